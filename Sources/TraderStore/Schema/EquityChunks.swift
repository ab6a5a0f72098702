import NIOCore

/// How equity curves are stored since schema v6: in chunks of up to `pointsPerChunk` points,
/// one row each (`equity_chunks(run_id, chunk, first_ts, last_ts, count, data)`), the chunk's
/// timestamps and values packed as little-endian 64-bit columns.
///
/// One row per point (`equity_points`, v1–v5) made a 1,000,000-point curve a million index
/// entries and, on PostgreSQL, a million foreign-key checks: 67 k points/s on PostgreSQL and
/// 211 k on SQLite (BENCHMARKS.md). A chunk row costs about what a point row did, so a curve is
/// ~8,000 times fewer rows. `first_ts`/`last_ts` let a range read fetch only the chunks it
/// overlaps. Values are stored by bit pattern, so NaN marks and every double read back exactly.
/// Runs saved before v6 keep their `equity_points` rows and are read from there.
enum EquityChunks {
    static let pointsPerChunk = 8_192
    static let columns = ["run_id", "chunk", "first_ts", "last_ts", "count", "data"]
    /// The first byte of `data`: the packing, so a later one can be told apart.
    static let format: UInt8 = 1

    struct Chunk {
        let index: Int
        let firstTimestamp: Int64
        let lastTimestamp: Int64
        let count: Int
        let data: ByteBuffer
    }

    static func chunks(_ curve: EquityCurve) -> [Chunk] {
        var out: [Chunk] = []
        out.reserveCapacity((curve.count + pointsPerChunk - 1) / pointsPerChunk)
        var start = 0
        while start < curve.count {
            let end = min(start + pointsPerChunk, curve.count)
            var data = ByteBuffer()
            data.reserveCapacity(1 + (end - start) * 16)
            data.writeInteger(format)
            for i in start..<end { data.writeInteger(curve.timestamps[i], endianness: .little) }
            for i in start..<end { data.writeInteger(curve.values[i].bitPattern, endianness: .little) }
            out.append(Chunk(index: out.count, firstTimestamp: curve.timestamps[start], lastTimestamp: curve.timestamps[end - 1],
                             count: end - start, data: data))
            start = end
        }
        return out
    }

    /// Appends a chunk's points to the columns; a chunk whose size or format is wrong is corrupt.
    static func decode(_ data: ByteBuffer, count: Int, into timestamps: inout [Int64], _ values: inout [Double]) throws {
        var buffer = data
        guard count >= 0, buffer.readableBytes == 1 + count * 16, buffer.readInteger(as: UInt8.self) == format else {
            throw StoreError.corrupt(field: "equity_chunks.data", reason: "\(data.readableBytes) bytes for \(count) points, or an unknown format")
        }
        for _ in 0..<count { timestamps.append(buffer.readInteger(endianness: .little, as: Int64.self)!) }
        for _ in 0..<count { values.append(Double(bitPattern: buffer.readInteger(endianness: .little, as: UInt64.self)!)) }
    }

    /// The points of `curve` within `[from, to]` (both optional).
    static func slice(_ curve: EquityCurve, from: Int64?, to: Int64?) -> EquityCurve {
        let lower = from.map { f in curve.timestamps.firstIndex { $0 >= f } ?? curve.count } ?? 0
        let upper = to.map { t in curve.timestamps.lastIndex { $0 <= t }.map { $0 + 1 } ?? 0 } ?? curve.count
        guard lower < upper else { return .empty }
        return EquityCurve(timestamps: curve.timestamps.extracting(lower..<upper), values: Array(curve.values[lower..<upper]))
    }
}
