import NIOCore

/// How a run's trades are stored since schema v8: packed in chunks of up to `tradesPerChunk`
/// trades, one row each (`trade_chunks(run_id, chunk, count, data)`).
///
/// A backtest over a million minute bars closes tens of thousands of trades; one row each
/// (`trades`, v1–v7) cost a B-tree insert into the table and its key per trade, bound value by
/// value — more than writing the whole equity curve. Nothing queries single trades (a run is
/// read whole), so they are kept like the curve: columns packed by `PackedWriter`, read back bit
/// for bit. Runs saved before v8 keep their `trades` rows and are read from there.
///
/// `data`: a format byte (1); the distinct exit reasons (a count, then each as a string) and one
/// index into them per trade; entry times and exit times (runs of equal differences); then size,
/// entry price, exit price, commission, net profit and return as XOR-packed doubles.
enum TradeChunks {
    static let tradesPerChunk = 65_536
    static let columns = ["run_id", "chunk", "count", "data"]
    static let format: UInt8 = 1

    struct Chunk {
        let index: Int
        let count: Int
        let data: ByteBuffer
    }

    /// How many chunks `trades` are stored in.
    static func count(_ trades: [StoredTrade]) -> Int {
        (trades.count + tradesPerChunk - 1) / tradesPerChunk
    }

    /// Chunk `index` of `trades`, packed (one at a time, as each row is bound).
    static func chunk(_ index: Int, of trades: [StoredTrade]) -> Chunk {
        let start = index * tradesPerChunk, end = min(start + tradesPerChunk, trades.count)
        return Chunk(index: index, count: end - start, data: ByteBuffer(bytes: pack(trades[start..<end])))
    }

    static func pack(_ trades: ArraySlice<StoredTrade>) -> [UInt8] {
        var packed = PackedWriter(capacity: 32 + trades.count * 64)
        packed.byte(format)
        var reasons: [String] = [], reasonIndex: [String: Int] = [:]
        var indices: [Int] = []
        indices.reserveCapacity(trades.count)
        for t in trades {
            if let i = reasonIndex[t.exitReason] { indices.append(i); continue }
            reasonIndex[t.exitReason] = reasons.count
            indices.append(reasons.count)
            reasons.append(t.exitReason)
        }
        packed.varint(UInt64(reasons.count))
        for reason in reasons { packed.string(reason) }
        for i in indices { packed.varint(UInt64(i)) }
        packed.times(trades.map(\.entryTime))
        packed.times(trades.map(\.exitTime))
        for field in doubleFields { packed.doubles(trades.map { $0[keyPath: field] }) }
        return packed.bytes
    }

    /// The doubles of a trade, in stored order.
    static var doubleFields: [WritableKeyPath<StoredTrade, Double>] { [\.size, \.entryPrice, \.exitPrice, \.commission, \.pnl, \.returnPct] }

    /// Appends a chunk's `count` trades to `trades`; bytes that are not such a chunk are corrupt.
    static func decode(_ data: ByteBuffer, count: Int, into trades: inout [StoredTrade]) throws {
        var reader = PackedReader(Array(data.readableBytesView), field: "trade_chunks.data")
        guard count >= 0 else { throw reader.corrupt("a negative count (\(count))") }
        let version = try reader.byte()
        guard version == format else { throw reader.corrupt("unknown format \(version)") }
        let reasons = try (0..<reader.count(atMost: count)).map { _ in try reader.string() }
        let indices = try (0..<count).map { _ in
            let i = try reader.varint()
            guard i < UInt64(reasons.count) else { throw reader.corrupt("exit reason \(i) of \(reasons.count)") }
            return Int(i)
        }
        var entries: [Int64] = [], exits: [Int64] = []
        try reader.times(count, into: &entries)
        try reader.times(count, into: &exits)
        var doubles: [[Double]] = []
        for _ in doubleFields {
            var column: [Double] = []
            column.reserveCapacity(count)
            try reader.doubles(count, into: &column)
            doubles.append(column)
        }
        guard reader.isAtEnd else { throw reader.corrupt("bytes left after \(count) trades") }
        trades.reserveCapacity(trades.count + count)
        for i in 0..<count {
            var trade = StoredTrade(size: 0, entryTime: entries[i], exitTime: exits[i], entryPrice: 0, exitPrice: 0, commission: 0,
                                    pnl: 0, returnPct: 0, exitReason: reasons[indices[i]])
            for (k, field) in doubleFields.enumerated() { trade[keyPath: field] = doubles[k][i] }
            trades.append(trade)
        }
    }
}
