import Foundation
import TraderData
public import TraderAnalysis
public import TraderCore
import TraderEngine

/// The report of a portfolio backtest for tables and JSON: the standard statistics (the same rows
/// and keys as a single-symbol backtest), each symbol's contribution, tier changes, skipped
/// entries and trades; and the tier table of a profile.
public enum PortfolioReport {
    /// The run as a `RunSummary`, so the statistics render with the backtest's labels and keys.
    public static func summary(_ r: PortfolioBacktestResult) -> RunSummary {
        var s = ExecutionSettings()
        s.initialCapital = r.settings.initialCapital
        s.commission = r.settings.commission
        s.costs = r.settings.costs
        s.wholeUnits = r.settings.wholeUnits
        let timeframe = Timeframe.infer(from: r.timestamps) ?? .day1
        return RunSummary(symbol: r.symbols.joined(separator: ","), strategy: r.strategy, timeframe: timeframe, settings: s,
                          barCount: r.barCount, openPositions: r.openTrades.count, metrics: r.metrics)
    }

    /// The machine-readable report; `includeTrades` adds the trade and fill lists.
    public static func json(_ r: PortfolioBacktestResult, includeTrades: Bool) -> JSONValue {
        var metrics: [(String, JSONValue)] = []
        for row in BacktestReport.rows(summary(r)) where !["symbol", "strategy"].contains(row.key) {
            metrics.append((row.key, BacktestReport.json(row.value)))
        }
        let capital = r.settings.initialCapital
        var fields: [(String, JSONValue)] = [
            ("symbols", .array(r.symbols.map(JSONValue.string))),
            ("strategy", .string(r.strategy)),
            ("profile", .string(r.profile.name)),
            ("account_type", .string(r.profile.accountType.rawValue)),
            ("settings", .object([
                ("capital", .number(capital)), ("commission_rate", .number(r.settings.commission.rate)),
                ("commission_fixed", .number(r.settings.commission.fixed)), ("spread", .number(r.settings.costs.spread)),
                ("slippage_bps", .number(r.settings.costs.slippage * 10_000)), ("whole_units", .bool(r.settings.wholeUnits)),
                ("fill", .string("next-open")), ("direction", .string("long-only")),
            ])),
            ("start_tier", .string(r.startTier.rawValue)),
            ("final_tier", .string(r.finalTier.rawValue)),
            ("tier_changes", .array(r.tierChanges.map { c in
                .object([("time", .string(c.time.iso8601(dateOnlyAtMidnight: true))), ("from", .string(c.from.rawValue)),
                         ("to", .string(c.to.rawValue)), ("equity", .number(c.equity))])
            })),
            ("metrics", .object(metrics)),
            ("contributions", .array(r.contributions.map { c in
                .object([("symbol", .string(c.symbol)), ("bars", .integer(c.bars)), ("pnl", .number(c.pnl)),
                         ("contribution_pct", .number(c.pnl / capital * 100)), ("realized_pnl", .number(c.realizedPnL)),
                         ("unrealized_pnl", .number(c.unrealizedPnL)), ("commissions", .number(c.commissions)),
                         ("closed_trades", .integer(c.closedTrades)), ("open_units", .number(c.openUnits))])
            })),
            ("skipped_entries", .object(r.skippedCounts.map { ($0.0.rawValue, .integer($0.1)) })),
            ("final_cash", .number(r.cash.last ?? capital)),
            ("final_exposure", .number(r.exposure.last ?? 0)),
        ]
        if includeTrades {
            fields.append(("trades", .array(r.trades.map(json))))
            fields.append(("open_trades", .array(r.openTrades.map(json))))
        }
        return .object(fields)
    }

    static func json(_ t: PortfolioTrade) -> JSONValue {
        guard case var .object(fields) = BacktestReport.json(t.trade) else { return .null }
        fields.insert(("symbol", .string(t.symbol)), at: 0)
        return .object(fields)
    }

    /// The tier table of `profile` as JSON.
    public static func tiersJSON(_ profile: PortfolioProfile) -> JSONValue {
        .object([
            ("profile", .string(profile.name)),
            ("description", .string(profile.summary)),
            ("account_type", .string(profile.accountType.rawValue)),
            ("hysteresis", .object([("buffer_pct", .number(profile.hysteresis.bufferPct)),
                                    ("min_days_in_tier", .integer(profile.hysteresis.minDaysInTier))])),
            ("pattern_day_trader", .object([
                ("applies", .bool(profile.accountType == .margin)),
                ("equity_below", .number(PatternDayTradeRule.equityThreshold)),
                ("max_day_trades", .integer(PatternDayTradeRule.maxDayTrades)),
                ("window_business_days", .integer(PatternDayTradeRule.windowBusinessDays)),
            ])),
            ("tiers", .array(CapitalTier.allCases.map { tier in
                let r = profile.rules(for: tier)
                return .object([
                    ("tier", .string(tier.rawValue)), ("min_equity", .number(tier.lowerBound)),
                    ("max_equity", tier.upperBound.map(JSONValue.number) ?? .null),
                    ("strategies", .array(r.strategies.map(JSONValue.string))),
                    ("max_positions", .integer(r.maxPositions)),
                    ("max_trades_per_week", r.maxTradesPerWeek.map(JSONValue.integer) ?? .null),
                    ("max_position_pct", .number(r.risk.maxPositionPct)), ("max_exposure_pct", .number(r.risk.maxExposurePct)),
                    ("stop_loss_pct", r.risk.stopLossPct.map(JSONValue.number) ?? .null),
                    ("max_daily_loss_pct", r.risk.maxDailyLossPct.map(JSONValue.number) ?? .null),
                    ("pdt_rule", .bool(profile.accountType == .margin && tier.lowerBound < PatternDayTradeRule.equityThreshold)),
                ])
            })),
        ])
    }

    /// Writes `Date,Equity,Cash,Exposure,Positions,Tier` per bar of the timeline, atomically.
    public static func writeEquityCSV(_ r: PortfolioBacktestResult, to path: String) throws(AppError) {
        var text = "Date,Equity,Cash,Exposure,Positions,Tier\n"
        text.reserveCapacity(r.barCount * 60)
        for i in 0..<r.barCount {
            text += Timestamp(nanos: r.timestamps[i]).iso8601(dateOnlyAtMidnight: true)
            text += ",\(r.equity[i]),\(r.cash[i]),\(r.exposure[i]),\(r.openPositions[i]),\(r.tiers[i].rawValue)\n"
        }
        do { try AtomicWrite.write(text, to: path) } catch { throw AppError(error, context: "equity curve") }
    }
}
