import Foundation
import TraderCore

/// The bars a download has received so far, kept next to the bar store
/// (`<store>/.fetch/SYMBOL_TF.SOURCE.partial`) so a download stopped any way (Ctrl-C, a crash,
/// SIGKILL, a venue that gave up answering) resumes after the last page it received instead of
/// starting over. Bars are appended page by page as fixed 48-byte records (time, open, high,
/// low, close, volume, little-endian); a record cut short by a kill mid-write is dropped on
/// reading. The file goes once the bars are in the store.
struct FetchStaging {
    let path: String
    static let recordSize = 48

    init(directory: String, name: String, timeframe: Timeframe, source: String) {
        path = "\(directory)/.fetch/\(name)_\(timeframe).\(source).partial"
    }

    /// The bars received by earlier runs, in the order they came.
    func read() throws(AppError) -> [Bar] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .runtime("\(path): cannot read the partial download: \(error.localizedDescription)")
        }
        let n = data.count / Self.recordSize
        return data.withUnsafeBytes { raw in
            (0..<n).map { i in
                let base = i * Self.recordSize
                func d(_ k: Int) -> Double { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8 * k, as: UInt64.self))) }
                return Bar(timestamp: Timestamp(nanos: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: base, as: Int64.self))),
                           open: d(1), high: d(2), low: d(3), close: d(4), volume: d(5))
            }
        }
    }

    /// Appends one page's bars (written before the download asks for the next page).
    func append(_ bars: [Bar]) throws(AppError) {
        guard !bars.isEmpty else { return }
        var data = Data(capacity: bars.count * Self.recordSize)
        for b in bars {
            withUnsafeBytes(of: b.timestamp.nanos.littleEndian) { data.append(contentsOf: $0) }
            for x in [b.open, b.high, b.low, b.close, b.volume] { withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        do {
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            // A record cut short by an earlier kill would shift every later one: cut it off first.
            let end = try handle.seekToEnd()
            let whole = end / UInt64(Self.recordSize) * UInt64(Self.recordSize)
            if whole != end {
                try handle.truncate(atOffset: whole)
                try handle.seek(toOffset: whole)
            }
            try handle.write(contentsOf: data)
        } catch {
            throw .runtime("\(path): cannot save the partial download: \(error.localizedDescription)")
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
