public import TraderCore
import TraderAnalysis
import TraderData
import TraderEngine
import TraderStrategies
import TraderWorkflows

/// Every numeric setting a user can give, with the one `Bounds` that checks it and the names it
/// goes by on each face (option, configuration key, workflow parameter).
///
/// The bounds themselves live beside the types they configure (`ExecutionSettings.Limits`,
/// `OptimizerLimits`, `StrategyParameter.bounds`, ...); this list gathers them so that
/// `docs/limits.md` can show them all, and a test keeps that page equal to this list.
public enum ValueLimits {
    /// One documented setting.
    public struct Entry: Sendable {
        /// What it is, as the options name it (`--capital`).
        public var setting: String
        /// Other names of the same value (`backtest.capital`, step parameter `capital`).
        public var alsoAs: String
        public var bounds: Bounds
    }

    /// Every entry, in the order of docs/limits.md.
    public static var all: [Entry] {
        var out: [Entry] = [
            Entry(setting: "--capital", alsoAs: "backtest.capital, paper_trade.capital, step `capital`, portfolio --capital", bounds: ExecutionSettings.Limits.capital),
            Entry(setting: "--commission", alsoAs: "backtest.commission, step `commission`", bounds: ExecutionSettings.Limits.commissionRate),
            Entry(setting: "--commission-fixed", alsoAs: "", bounds: ExecutionSettings.Limits.commissionFixed),
            Entry(setting: "--slippage", alsoAs: "backtest.slippage_bps", bounds: ExecutionSettings.Limits.slippageBps),
            Entry(setting: "--spread", alsoAs: "", bounds: ExecutionSettings.Limits.spread),
            Entry(setting: "--size", alsoAs: "step `position_fraction`", bounds: ExecutionSettings.Limits.positionFraction),
            Entry(setting: "--stop-loss, --take-profit, --trailing-stop", alsoAs: "risk.stop_loss, risk.take_profit (0 = none), step `stop_loss`, `take_profit`",
                  bounds: ExecutionSettings.Limits.protectiveExit),
            Entry(setting: "--daily-loss-limit, --drawdown-halt", alsoAs: "", bounds: RiskRules.Limits.lossFraction),
            Entry(setting: "--position-limit, --exposure-limit", alsoAs: "", bounds: RiskRules.Limits.equityFraction),
            Entry(setting: "--cash-reserve", alsoAs: "", bounds: RiskRules.Limits.reserveFraction),
            Entry(setting: "--max-positions", alsoAs: "", bounds: RiskRules.Limits.positions),
            Entry(setting: "--max-entries-per-week", alsoAs: "", bounds: RiskRules.Limits.weeklyEntries),
            Entry(setting: "--kelly-fraction, --risk-target, --max-position, --max-exposure", alsoAs: "step `kelly_fraction`, `risk_target`, `max_position`",
                  bounds: SizingConfiguration.Limits.fraction),
            Entry(setting: "--kelly-floor", alsoAs: "", bounds: SizingConfiguration.Limits.kellyFloor),
            Entry(setting: "--kelly-min-trades", alsoAs: "", bounds: SizingConfiguration.Limits.minimumTrades),
            Entry(setting: "--atr-period", alsoAs: "", bounds: SizingConfiguration.Limits.atrPeriod),
        ]
        for descriptor in StrategyCatalog.all {
            for p in descriptor.parameters {
                out.append(Entry(setting: "\(descriptor.name) `\(p.name)`", alsoAs: "--\(p.name), --param \(p.name)=…, step `strategy_parameters`",
                                 bounds: p.bounds))
            }
        }
        out += [
            Entry(setting: "any indicator window", alsoAs: "analyze --series sma:N (and every period), --lookback, --bars, --pivot-window", bounds: .window()),
            Entry(setting: "--param ranges", alsoAs: "optimize, step `ranges`", bounds: .integers(1, ParameterRange.maxValues, unit: "values per range")),
            Entry(setting: "grid size", alsoAs: "optimize --method grid", bounds: .integers(1, OptimizerLimits.maxGridSets, unit: "sets")),
            Entry(setting: "--samples", alsoAs: "optimize.samples", bounds: OptimizerLimits.samples),
            Entry(setting: "--jobs", alsoAs: "optimize.jobs (0 = all cores), backtest --jobs", bounds: OptimizerLimits.jobs),
            Entry(setting: "--top", alsoAs: "optimize", bounds: OptimizerLimits.top),
            Entry(setting: "--min-trades", alsoAs: "optimize", bounds: OptimizerLimits.minimumTrades),
            Entry(setting: "--train, --test, --step", alsoAs: "optimize --method walk-forward", bounds: OptimizerLimits.walkForwardDays),
            Entry(setting: "--selection-period", alsoAs: "select, backtest --strategy auto", bounds: SelectorConfiguration.Limits.periodBars),
            Entry(setting: "--training-periods, --min-training-periods", alsoAs: "select, backtest --strategy auto", bounds: SelectorConfiguration.Limits.trainingPeriods),
            Entry(setting: "--lambda", alsoAs: "select, backtest --strategy auto", bounds: SelectorConfiguration.Limits.lambda),
            Entry(setting: "--states", alsoAs: "regime", bounds: RegimeRequest.Limits.states),
            Entry(setting: "--changes", alsoAs: "regime", bounds: RegimeRequest.Limits.changes),
            Entry(setting: "--synthetic", alsoAs: "backtest, optimize, analyze, regime, select, portfolio (in memory)", bounds: SyntheticBars.inMemoryBounds),
            Entry(setting: "--synthetic --stream, data generate --bars", alsoAs: "", bounds: SyntheticBars.streamedBounds),
            Entry(setting: "--timeframe", alsoAs: "1m, 1h, 1d, 1w or seconds", bounds: Timeframe.bounds),
            Entry(setting: "--every, timeout, retry_backoff, wait `for`", alsoAs: "workflow files and workflow run", bounds: DurationText.bounds),
            Entry(setting: "--times", alsoAs: "workflow `schedule.times`", bounds: WorkflowSchedule.timesBounds),
            Entry(setting: "retries", alsoAs: "workflow step `retries`", bounds: WorkflowFile.retryBounds),
            Entry(setting: "--limit", alsoAs: "runs list, workflow status", bounds: RunHistory.listLimit),
        ]
        return out
    }

    /// The table of docs/limits.md, one row per entry.
    public static var markdownRows: [String] {
        all.map { "| \($0.setting) | \($0.bounds) | \($0.alsoAs) |" }
    }
}
