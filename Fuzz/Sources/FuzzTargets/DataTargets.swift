#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TraderCore
@testable import TraderData

extension FuzzTarget {
    /// CSV files as `data import` and `backtest --data` read them.
    static let csv = FuzzTarget(name: "csv", summary: "CSVBarReader.parse: valid, ordered bars or a file:line error") { data in
        do throws(DataError) {
            let s = try CSVBarReader.parse(data, source: "fuzz.csv", symbol: "FUZZ")
            Check.require(s.count > 0, "an empty series was accepted")
            for i in 0..<s.count {
                Check.require(Bar.violation(open: s.open[i], high: s.high[i], low: s.low[i], close: s.close[i], volume: s.volume[i]) == nil,
                              "row \(i) was accepted with an invalid bar")
                Check.require(i == 0 || s.timestamps[i] > s.timestamps[i - 1], "row \(i) was accepted out of order")
            }
        } catch {
            Check.require(error.description.hasPrefix("fuzz.csv"), "a CSV error does not name the file: \(error)")
        }
    }

    /// The number and timestamp parsers behind the CSV reader, `--start`/`--end` and DecimalText.
    /// Differential: for decimal text (`DecimalText`'s grammar) the fast parsers must give the
    /// standard library's value bit for bit; a parsed timestamp must survive ISO 8601 and back.
    static let numbers = FuzzTarget(name: "numbers", summary: "DecimalParser, DecimalText and TimestampParser against the standard library") { data in
        let text = String(decoding: data, as: UTF8.self)
        let reference = Double(text)
        if DecimalText.isDecimal(data) {
            let fast = DecimalParser.parseDouble(data)
            Check.require(fast?.bitPattern == reference?.bitPattern, "DecimalParser gives \(String(describing: fast)), Double(String) \(String(describing: reference)) for '\(text)'")
            Check.require(DecimalText.parse(text) == (reference?.isFinite == true ? reference : nil), "DecimalText.parse disagrees for '\(text)'")
        }
        // The CSV reader's in-place scanner: whatever prefix it consumes must mean what
        // Double(String) makes of that prefix.
        if let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self), !data.isEmpty {
            var i = 0
            if let value = DecimalParser.scan(base, &i, data.count) {
                let prefix = String(decoding: UnsafeRawBufferPointer(rebasing: data[0..<i]), as: UTF8.self)
                Check.require(value.bitPattern == Double(prefix)?.bitPattern, "DecimalParser.scan reads '\(prefix)' as \(value), Double(String) as \(String(describing: Double(prefix)))")
            }
        }
        if let n = DecimalText.parseInteger(text) { Check.require(n == Int(text), "parseInteger('\(text)') is \(n)") }
        if let t = TimestampParser.parse(text) {
            let year = t.components.year
            if (1...9999).contains(year) {
                let iso = t.iso8601()
                Check.require(TimestampParser.parse(iso) == t, "\(t.nanos) printed as \(iso) reads back as \(String(describing: TimestampParser.parse(iso)?.nanos))")
            }
        }
    }

    /// Bar store files (`.gtbars`): the header gate, then opening, loading, chunked reading and
    /// verifying. Inputs whose first byte is odd get their header checksum fixed, so the checks
    /// behind the checksum are reached too.
    static let barstore = FuzzTarget(name: "barstore", summary: "BarStoreHeader.decode, BarStoreFile and BarStoreChunks on a temporary file") { data in
        var bytes = Array(data)
        if bytes.count >= BarStoreFormat.headerSize, bytes[0] & 1 == 1 {
            bytes[0] = BarStoreFormat.magic[0]
            let checksum = bytes.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<BarStoreFormat.headerChecksumOffset])) }
            withUnsafeBytes(of: checksum.littleEndian) { for (k, b) in $0.enumerated() { bytes[BarStoreFormat.headerChecksumOffset + k] = b } }
        }
        _ = bytes.withUnsafeBytes { try? BarStoreHeader.decode($0, fileSize: $0.count, path: "fuzz.gtbars") }
        let path = BarStoreScratch.path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        Check.require(fd >= 0, "cannot write \(path)")
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        do throws(DataError) {
            let file = try BarStoreFile(path: path)
            let all = try file.load()
            Check.require(all.count == file.count, "load() gave \(all.count) of \(file.count) bars")
            _ = try file.load(from: Timestamp(nanos: file.header.firstTimestamp / 2 + file.header.lastTimestamp / 2), through: nil)
            let chunks = file.chunks(size: 3, verifying: true)
            var seen = 0
            for chunk in chunks { seen += chunk.count }
            let failed = (try? chunks.throwIfFailed()) == nil
            Check.require(failed || seen == file.count, "chunks gave \(seen) of \(file.count) bars")
            _ = try? file.verify()
        } catch {
            Check.require(error.description.contains("fuzz.gtbars"), "a bar store error does not name the file: \(error)")
        }
    }
}

/// The one temporary file of the barstore target, in a directory made at start and removed at exit.
enum BarStoreScratch {
    static let path: String = {
        var template = Array("/tmp/gpt-trader-fuzz.XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) } ?? "/tmp"
        let path = dir + "/fuzz.gtbars"
        atexit { _ = BarStoreScratch.remove() }
        return path
    }()

    static func remove() -> Int32 {
        unlink(path)
        return rmdir(String(path.dropLast("/fuzz.gtbars".count)))
    }
}
