/// Column lists shared by both backends, so the two cannot drift apart.
enum RunSummaryColumns {
    static let list = "id, created_at, strategy, symbol, timeframe, bar_count, trade_count, return_pct, sharpe_ratio, max_drawdown_pct"
}

enum TradeColumns {
    static let names = ["run_id", "idx", "size", "entry_time", "exit_time", "entry_price", "exit_price", "commission", "pnl",
                        "return_pct", "exit_reason"]
}

/// Checks both backends apply before writing, so a bad value fails the same way on each.
enum RunValidation {
    static func check(_ run: NewRun) throws {
        if run.strategy.isEmpty { throw StoreError.invalid(field: "strategy", reason: "is empty") }
        if run.symbol.isEmpty { throw StoreError.invalid(field: "symbol", reason: "is empty") }
        for (i, trade) in run.trades.enumerated() where !(trade.size.isFinite && trade.entryPrice.isFinite && trade.exitPrice.isFinite) {
            throw StoreError.invalid(field: "trades[\(i)]", reason: "size and prices must be finite")
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
