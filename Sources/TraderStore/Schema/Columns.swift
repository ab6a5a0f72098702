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
