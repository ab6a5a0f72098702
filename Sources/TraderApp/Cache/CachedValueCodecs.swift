public import TraderCache
public import TraderCore
public import TraderEngine

/// Binary encodings of the values the application caches. Each is framed and checksummed
/// (`CacheFrame`) and begins with its own format version, so bytes that are not exactly such a
/// value — garbage, a truncated write, an older format — decode to nil: a miss.
extension CacheCodec where Value == BarSeries {
    /// Symbol, timeframe and the six columns, copied in bulk: a 500,000-bar series is 24 MB.
    public static var bars: CacheCodec<BarSeries> {
        CacheCodec(
            encode: { s in
                var w = ByteWriter(capacity: 64 + s.count * 48)
                w.write(UInt8(1))
                w.write(s.symbol)
                w.write(s.timeframe.seconds)
                for column in [s.open, s.high, s.low, s.close, s.volume] { w.write(column: column) }
                w.write(column: s.timestamps)
                return CacheFrame.wrap(w.bytes)
            },
            decode: { bytes in
                guard let payload = CacheFrame.unwrap(bytes) else { return nil }
                var r = ByteReader(payload)
                guard r.read(UInt8.self) == 1, let symbol = r.readString(), let seconds = r.read(Int64.self),
                      let timeframe = try? Timeframe(seconds: seconds) else { return nil }
                var columns: [[Double]] = []
                for _ in 0..<5 { guard let c = r.readColumn(Double.self) else { return nil }; columns.append(c) }
                guard let timestamps = r.readColumn(Int64.self), r.isAtEnd, columns.allSatisfy({ $0.count == timestamps.count }) else { return nil }
                return BarSeries(unchecked: symbol, timeframe: timeframe, timestamps: timestamps, open: columns[0], high: columns[1],
                                 low: columns[2], close: columns[3], volume: columns[4])
            },
            cost: { 64 + $0.count * 48 })
    }
}

extension CacheCodec where Value == BacktestResult {
    /// A whole run: the small fields field by field (`RunRecordCoding`), the equity curve and
    /// timestamps as columns, trades as fixed records.
    public static var backtestResult: CacheCodec<BacktestResult> {
        CacheCodec(
            encode: { r in
                var w = ByteWriter(capacity: 4_096 + r.equity.count * 16 + (r.trades.count + r.openTrades.count) * 96)
                // 3: the end-of-run exit is a name (`EndOfRunExit`), no longer a Bool.
                // 4: the settings end with the volume limit.
                w.write(UInt8(4))
                w.write(r.symbol)
                w.write(r.strategy)
                RunRecordCoding.write(r.settings, into: &w)
                w.write(r.timeframe.seconds)
                RunRecordCoding.write(r.metrics, into: &w)
                w.write(Int64(r.fills)); w.write(Int64(r.rejectedOrders)); w.write(r.ranOutOfMoney)
                RunRecordCoding.write(r.sizing, into: &w)
                w.write(Int64(r.skippedEntries))
                w.write(column: r.timestamps)
                w.write(column: r.equity)
                for list in [r.trades, r.openTrades] {
                    w.write(UInt64(list.count))
                    for t in list { TradeRecord.write(t, into: &w) }
                }
                return CacheFrame.wrap(w.bytes)
            },
            decode: { bytes in
                guard let payload = CacheFrame.unwrap(bytes) else { return nil }
                var r = ByteReader(payload)
                guard r.read(UInt8.self) == 4, let symbol = r.readString(), let strategy = r.readString(),
                      let settings = RunRecordCoding.readSettings(&r), let seconds = r.read(Int64.self),
                      let timeframe = try? Timeframe(seconds: seconds), let metrics = RunRecordCoding.readMetrics(&r),
                      let fills = r.read(Int64.self), let rejected = r.read(Int64.self), let broke = r.readBool(),
                      let sizing = RunRecordCoding.readSizing(&r), let skipped = r.read(Int64.self),
                      let timestamps = r.readColumn(Int64.self), let equity = r.readColumn(Double.self), equity.count == timestamps.count,
                      let trades = TradeRecord.readList(&r), let open = TradeRecord.readList(&r), r.isAtEnd else { return nil }
                return BacktestResult(symbol: symbol, strategy: strategy, settings: settings, timeframe: timeframe, timestamps: BarColumn(timestamps),
                                      equity: equity, trades: trades, openTrades: open, metrics: metrics, fills: Int(fills),
                                      rejectedOrders: Int(rejected), ranOutOfMoney: broke, sizing: sizing, skippedEntries: Int(skipped))
            },
            cost: { 1_024 + $0.equity.count * 16 + ($0.trades.count + $0.openTrades.count) * 96 })
    }
}

/// A trade as ten 8-byte fields and its exit reason (pnl and return stored too, so a trade reads
/// back bit for bit whatever computed them).
enum TradeRecord {
    static func write(_ t: Trade, into w: inout ByteWriter) {
        w.write(t.size); w.write(Int64(t.entryBar)); w.write(Int64(t.exitBar)); w.write(t.entryTime.nanos); w.write(t.exitTime.nanos)
        w.write(t.entryPrice); w.write(t.exitPrice); w.write(t.commission); w.write(t.pnl); w.write(t.returnPct)
        w.write(t.exitReason.rawValue)
    }

    static func readList(_ r: inout ByteReader) -> [Trade]? {
        guard let count = r.read(UInt64.self), count <= 100_000_000 else { return nil }
        var out: [Trade] = []
        out.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let size = r.readDouble(), let entryBar = r.read(Int64.self), let exitBar = r.read(Int64.self),
                  let entryTime = r.read(Int64.self), let exitTime = r.read(Int64.self), let entryPrice = r.readDouble(),
                  let exitPrice = r.readDouble(), let commission = r.readDouble(), let pnl = r.readDouble(), let returnPct = r.readDouble(),
                  let reason = r.readString().flatMap(ExitReason.init(rawValue:)) else { return nil }
            var t = Trade(size: size, entryBar: Int(entryBar), exitBar: Int(exitBar), entryTime: Timestamp(nanos: entryTime),
                          exitTime: Timestamp(nanos: exitTime), entryPrice: entryPrice, exitPrice: exitPrice,
                          commission: commission, exitReason: reason)
            t.pnl = pnl
            t.returnPct = returnPct
            out.append(t)
        }
        return out
    }
}
