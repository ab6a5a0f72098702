import TraderCore

/// Column lists shared by both backends, so the two cannot drift apart.
enum RunSummaryColumns {
    static let list = "id, created_at, strategy, symbol, timeframe, bar_count, trade_count, return_pct, sharpe_ratio, max_drawdown_pct"
}

/// Checks both backends apply before writing, so a bad value fails the same way on each.
enum RunValidation {
    static func check(_ run: NewRun) throws {
        if run.strategy.isEmpty { throw StoreError.invalid(field: "strategy", reason: "is empty") }
        if run.symbol.isEmpty { throw StoreError.invalid(field: "symbol", reason: "is empty") }
        for (i, trade) in run.trades.enumerated() {
            if !(trade.size.isFinite && trade.entryPrice.isFinite && trade.exitPrice.isFinite) {
                throw StoreError.invalid(field: "trades[\(i)]", reason: "size and prices must be finite")
            }
            // What the `trades` table's CHECK asked before trades were packed (schema v8).
            if !(1...32).contains(trade.exitReason.count) {
                throw StoreError.invalid(field: "trades[\(i)].exitReason", reason: "must be 1 to 32 characters")
            }
        }
    }
}

enum OptimizationSummaryColumns {
    static let list = "id, created_at, strategy, symbol, objective, result_count"
}

/// The `SELECT … WHERE … ORDER BY … LIMIT` of a list (`runs`, `optimizations`) built once for
/// both backends: each supplies its placeholder (`?` or `$n`) and binds `values` in order.
struct ListQuery {
    enum Value: Equatable { case text(String), integer(Int) }

    let sql: String
    let values: [Value]

    /// `placeholder(n)` is the n-th (1-based) parameter's marker.
    init(table: String, columns: String, filter: RunFilter, placeholder: (Int) -> String) throws {
        var conditions: [String] = []
        var values: [Value] = []
        func bind(_ value: Value) -> String {
            values.append(value)
            return placeholder(values.count)
        }
        if let strategy = filter.strategy { conditions.append("strategy = " + bind(.text(strategy))) }
        if let symbol = filter.symbol { conditions.append("symbol = " + bind(.text(symbol))) }
        // Safe in LIKE: the prefix holds only hexadecimal digits and '-'.
        if let prefix = try filter.normalizedIDPrefix() { conditions.append("id LIKE " + bind(.text(prefix + "%"))) }
        var sql = "SELECT \(columns) FROM \(table)"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY created_at DESC, id DESC LIMIT " + bind(.integer(max(0, filter.limit)))
        self.sql = sql
        self.values = values
    }
}

/// The statements of trading state that read the same in both dialects (placeholders aside).
enum TradingSQL {
    static let orderColumns = ["id", "bot_id", "symbol", "side", "order_type", "quantity", "limit_price", "stop_price", "status",
                               "filled_quantity", "average_fill_price", "broker_order_id", "created_at", "updated_at"]

    /// Insert or move forward: a state older than the stored one (a late, reordered update)
    /// does not overwrite it; the broker's id, once known, is kept.
    static func upsertOrder(placeholders p: [String]) -> String {
        "INSERT INTO orders (\(orderColumns.joined(separator: ", "))) VALUES (\(p.joined(separator: ", ")))" + orderConflict
    }

    /// What an order row already stored becomes: the newer state wins.
    static let orderConflict = """

        ON CONFLICT (id) DO UPDATE SET quantity = excluded.quantity, limit_price = excluded.limit_price,
            stop_price = excluded.stop_price, status = excluded.status, filled_quantity = excluded.filled_quantity,
            average_fill_price = excluded.average_fill_price,
            broker_order_id = COALESCE(excluded.broker_order_id, orders.broker_order_id), updated_at = excluded.updated_at
        WHERE excluded.updated_at >= orders.updated_at
        """

    static let orderStateColumns = ["order_id", "at", "status", "filled_quantity", "detail"]
    static let fillColumns = ["id", "order_id", "bot_id", "symbol", "at", "quantity", "price", "commission"]

    static let terminalStatuses = "('filled', 'cancelled', 'rejected', 'expired')"

    /// The side as stored (`OrderSide.description`: `buy`/`sell`) read back.
    static func side(_ text: String) throws -> OrderSide {
        switch text {
        case "buy": .buy
        case "sell": .sell
        default: throw StoreError.corrupt(field: "orders.side", reason: "'\(text)' is not buy or sell")
        }
    }

    static func status(_ text: String, field: String) throws -> OrderStatus {
        guard let s = OrderStatus(rawValue: text) else { throw StoreError.corrupt(field: field, reason: "unknown order status '\(text)'") }
        return s
    }
}

/// Archived bars as columns while they are read back.
struct BarColumns {
    static let names = ["symbol", "timeframe", "ts", "open", "high", "low", "close", "volume"]

    var timestamps: [Int64] = [], open: [Double] = [], high: [Double] = [], low: [Double] = [], close: [Double] = [], volume: [Double] = []

    init(capacity: Int) {
        timestamps.reserveCapacity(capacity)
        for path in [\BarColumns.open, \.high, \.low, \.close, \.volume] { self[keyPath: path].reserveCapacity(capacity) }
    }

    mutating func append(ts: Int64, open o: Double, high h: Double, low l: Double, close c: Double, volume v: Double) {
        timestamps.append(ts); open.append(o); high.append(h); low.append(l); close.append(c); volume.append(v)
    }

    /// The bars were checked when they were archived (a `BarSeries` holds only valid bars).
    func series(symbol: String, timeframe: Timeframe) -> BarSeries {
        BarSeries(unchecked: symbol, timeframe: timeframe, timestamps: timestamps, open: open, high: high, low: low, close: close, volume: volume)
    }
}
