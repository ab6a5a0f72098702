import Foundation
import Testing
import TraderCore
import TraderData

/// True when two series hold the same symbol, timeframe and bit-identical columns (NaN-safe and
/// sign-of-zero-safe, unlike `==` on doubles).
func sameBits(_ a: BarSeries, _ b: BarSeries) -> Bool {
    func bits(_ c: BarColumn<Double>) -> [UInt64] { c.map(\.bitPattern) }
    return a.symbol == b.symbol && a.timeframe == b.timeframe && a.timestamps == b.timestamps
        && bits(a.open) == bits(b.open) && bits(a.high) == bits(b.high) && bits(a.low) == bits(b.low)
        && bits(a.close) == bits(b.close) && bits(a.volume) == bits(b.volume)
}

/// The chunks concatenated into one series.
func concatenate(_ chunks: [BarSeries], symbol: String, timeframe: Timeframe) -> BarSeries {
    BarSeries(unchecked: symbol, timeframe: timeframe, timestamps: chunks.flatMap(\.timestamps),
              open: chunks.flatMap(\.open), high: chunks.flatMap(\.high), low: chunks.flatMap(\.low),
              close: chunks.flatMap(\.close), volume: chunks.flatMap(\.volume))
}

/// Rewrites bytes of the file at `path` in place; with `fixHeaderChecksum`, recomputes the
/// header checksum afterwards so only the edited field is wrong.
func patch(_ path: String, fixHeaderChecksum: Bool = false, _ edit: (inout [UInt8]) -> Void) throws {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    edit(&bytes)
    if fixHeaderChecksum {
        let checksum = XXHash64.hash(Array(bytes[0..<248]))
        withUnsafeBytes(of: checksum.littleEndian) { for i in 0..<8 { bytes[248 + i] = $0[i] } }
    }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Stores a little-endian integer into `bytes` at `offset`.
func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { raw in for i in 0..<raw.count { bytes[offset + i] = raw[i] } }
}

/// The `DataError.corrupt` reason opening `path` throws, or nil when it opens.
func corruptReason(_ path: String) -> String? {
    do {
        _ = try BarStoreFile(path: path)
        return nil
    } catch {
        guard case let .corrupt(p, reason) = error else { return "unexpected: \(error)" }
        #expect(p == path)
        #expect(error.description.hasPrefix("\(path): corrupt bar store file: "))
        return reason
    }
}
