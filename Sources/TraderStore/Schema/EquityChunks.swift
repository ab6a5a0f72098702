import NIOCore

/// How equity curves are stored: in chunks of up to `pointsPerChunk` points, one row each
/// (`equity_chunks(run_id, chunk, first_ts, last_ts, count, data)`, schema v6).
///
/// `data` starts with a format byte:
/// - 2 (written since schema v8): the chunk's timestamps and values packed losslessly by
///   `PackedWriter` — timestamps as runs of equal spacing, values XORed with the one before
///   (a curve is flat whenever no position is open). A 1,000,000-point curve of an SMA crossover
///   on minute bars takes ~3.6 MB instead of 16 MB, and saving a run costs mostly what its
///   bytes cost (written to the log, then checkpointed and synced): BENCHMARKS.md.
/// - 1 (v6, v7): `count` timestamps, then `count` values, as little-endian 64-bit words.
///
/// One row per point (`equity_points`, v1–v5) made a 1,000,000-point curve a million index
/// entries and, on PostgreSQL, a million foreign-key checks. `first_ts`/`last_ts` let a range
/// read fetch only the chunks it overlaps. Values are kept by bit pattern, so NaN marks and every
/// double read back exactly. Runs saved before v6 keep their `equity_points` rows and are read
/// from there; chunks of format 1 are read as they were written.
enum EquityChunks {
    static let pointsPerChunk = 8_192
    static let columns = ["run_id", "chunk", "first_ts", "last_ts", "count", "data"]
    /// The first byte of `data` written now.
    static let format: UInt8 = 2
    /// The first byte of chunks written by schema v6 and v7.
    static let rawFormat: UInt8 = 1

    struct Chunk {
        let index: Int
        let firstTimestamp: Int64
        let lastTimestamp: Int64
        let count: Int
        let data: ByteBuffer
    }

    /// How many chunks `curve` is stored in.
    static func count(_ curve: EquityCurve) -> Int {
        (curve.count + pointsPerChunk - 1) / pointsPerChunk
    }

    /// Chunk `index` of `curve`, packed. Made one at a time, as each row is bound, so a long
    /// curve is never held packed in full besides the statement being written.
    static func chunk(_ index: Int, of curve: EquityCurve) -> Chunk {
        let start = index * pointsPerChunk, end = min(start + pointsPerChunk, curve.count)
        var packed = PackedWriter(capacity: 64 + (end - start) * 9)
        packed.byte(format)
        packed.times(curve.timestamps.extracting(start..<end))
        packed.doubles(curve.values[start..<end])
        return Chunk(index: index, firstTimestamp: curve.timestamps[start], lastTimestamp: curve.timestamps[end - 1],
                     count: end - start, data: ByteBuffer(bytes: packed.bytes))
    }

    /// Appends a chunk's points to the columns; a chunk whose size or format is wrong is corrupt.
    static func decode(_ data: ByteBuffer, count: Int, into timestamps: inout [Int64], _ values: inout [Double]) throws {
        let field = "equity_chunks.data"
        guard count >= 0, let first = data.getInteger(at: data.readerIndex, as: UInt8.self) else {
            throw StoreError.corrupt(field: field, reason: "empty, or a negative count (\(count))")
        }
        switch first {
        case format:
            var reader = PackedReader(Array(data.readableBytesView.dropFirst()), field: field)
            try reader.times(count, into: &timestamps)
            try reader.doubles(count, into: &values)
            guard reader.isAtEnd else { throw reader.corrupt("bytes left after \(count) points") }
        case rawFormat:
            var buffer = data
            guard buffer.readableBytes == 1 + count * 16 else {
                throw StoreError.corrupt(field: field, reason: "\(data.readableBytes) bytes for \(count) points")
            }
            buffer.moveReaderIndex(forwardBy: 1)
            for _ in 0..<count { timestamps.append(buffer.readInteger(endianness: .little, as: Int64.self)!) }
            for _ in 0..<count { values.append(Double(bitPattern: buffer.readInteger(endianness: .little, as: UInt64.self)!)) }
        default:
            throw StoreError.corrupt(field: field, reason: "unknown format \(first)")
        }
    }

    /// The points of `curve` within `[from, to]` (both optional).
    static func slice(_ curve: EquityCurve, from: Int64?, to: Int64?) -> EquityCurve {
        let lower = from.map { f in curve.timestamps.firstIndex { $0 >= f } ?? curve.count } ?? 0
        let upper = to.map { t in curve.timestamps.lastIndex { $0 <= t }.map { $0 + 1 } ?? 0 } ?? curve.count
        guard lower < upper else { return .empty }
        return EquityCurve(timestamps: curve.timestamps.extracting(lower..<upper), values: Array(curve.values[lower..<upper]))
    }
}
