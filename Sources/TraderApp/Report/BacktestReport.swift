public import TraderCore
public import TraderEngine

/// One statistic of a report: the label backtesting.py users know, a JSON key, and a value.
public struct ReportRow: Sendable {
    public enum Value: Sendable {
        case number(Double)
        case integer(Int)
        case money(Double)
        case percent(Double)
        case time(Timestamp)
        case duration(Duration64?)
        case text(String)
    }

    public let label: String
    public let key: String
    public let value: Value
}

/// The report of a backtest as rows, in backtesting.py's order, for tables, JSON and the API.
public enum BacktestReport {
    public static func rows(_ r: BacktestResult) -> [ReportRow] {
        rows(RunSummary(r))
    }

    public static func rows(_ r: RunSummary) -> [ReportRow] {
        let m = r.metrics
        return [
            .init(label: "Symbol", key: "symbol", value: .text(r.symbol)),
            .init(label: "Strategy", key: "strategy", value: .text(r.strategy)),
            .init(label: "Start", key: "start", value: .time(m.start)),
            .init(label: "End", key: "end", value: .time(m.end)),
            .init(label: "Duration", key: "duration_days", value: .duration(m.duration)),
            .init(label: "Bars", key: "bars", value: .integer(r.barCount)),
            .init(label: "Exposure Time [%]", key: "exposure_time_pct", value: .percent(m.exposureTimePct)),
            .init(label: "Equity Final [$]", key: "equity_final", value: .money(m.equityFinal)),
            .init(label: "Equity Peak [$]", key: "equity_peak", value: .money(m.equityPeak)),
            .init(label: "Commissions [$]", key: "commissions", value: .money(m.commissions)),
            .init(label: "Return [%]", key: "return_pct", value: .percent(m.returnPct)),
            .init(label: "Buy & Hold Return [%]", key: "buy_and_hold_return_pct", value: .percent(m.buyAndHoldReturnPct)),
            .init(label: "Return (Ann.) [%]", key: "return_ann_pct", value: .percent(m.annualizedReturnPct)),
            .init(label: "Volatility (Ann.) [%]", key: "volatility_ann_pct", value: .percent(m.annualizedVolatilityPct)),
            .init(label: "CAGR [%]", key: "cagr_pct", value: .percent(m.cagrPct)),
            .init(label: "Sharpe Ratio", key: "sharpe_ratio", value: .number(m.sharpeRatio)),
            .init(label: "Sortino Ratio", key: "sortino_ratio", value: .number(m.sortinoRatio)),
            .init(label: "Calmar Ratio", key: "calmar_ratio", value: .number(m.calmarRatio)),
            .init(label: "Alpha [%]", key: "alpha_pct", value: .percent(m.alphaPct)),
            .init(label: "Beta", key: "beta", value: .number(m.beta)),
            .init(label: "Max. Drawdown [%]", key: "max_drawdown_pct", value: .percent(m.maxDrawdownPct)),
            .init(label: "Avg. Drawdown [%]", key: "avg_drawdown_pct", value: .percent(m.avgDrawdownPct)),
            .init(label: "Max. Drawdown Duration", key: "max_drawdown_duration_days", value: .duration(m.maxDrawdownDuration)),
            .init(label: "Avg. Drawdown Duration", key: "avg_drawdown_duration_days", value: .duration(m.avgDrawdownDuration)),
            .init(label: "# Trades", key: "trades", value: .integer(m.tradeCount)),
            .init(label: "Win Rate [%]", key: "win_rate_pct", value: .percent(m.winRatePct)),
            .init(label: "Best Trade [%]", key: "best_trade_pct", value: .percent(m.bestTradePct)),
            .init(label: "Worst Trade [%]", key: "worst_trade_pct", value: .percent(m.worstTradePct)),
            .init(label: "Avg. Trade [%]", key: "avg_trade_pct", value: .percent(m.avgTradePct)),
            .init(label: "Max. Trade Duration", key: "max_trade_duration_days", value: .duration(m.maxTradeDuration)),
            .init(label: "Avg. Trade Duration", key: "avg_trade_duration_days", value: .duration(m.avgTradeDuration)),
            .init(label: "Profit Factor", key: "profit_factor", value: .number(m.profitFactor)),
            .init(label: "Expectancy [%]", key: "expectancy_pct", value: .percent(m.expectancyPct)),
            .init(label: "SQN", key: "sqn", value: .number(m.sqn)),
            .init(label: "Kelly Criterion", key: "kelly_criterion", value: .number(m.kellyCriterion)),
            .init(label: "Open Positions", key: "open_positions", value: .integer(r.openPositions)),
        ]
    }
}

/// What the report shows of a run, from an in-memory or a streaming backtest.
public struct RunSummary: Sendable {
    public var symbol: String
    public var strategy: String
    public var timeframe: Timeframe
    public var settings: ExecutionSettings
    public var barCount: Int
    public var openPositions: Int
    public var metrics: PerformanceMetrics
    /// The sizer of the run; nil when entries used `settings.positionFraction`.
    public var sizing: SizingSummary?
    /// Signal entries the sizer declined.
    public var skippedEntries: Int

    public init(_ r: BacktestResult) {
        self.init(symbol: r.symbol, strategy: r.strategy, timeframe: r.timeframe, settings: r.settings, barCount: r.barCount,
                  openPositions: r.openTrades.count, metrics: r.metrics, sizing: r.sizing, skippedEntries: r.skippedEntries)
    }

    public init(_ r: StreamingBacktestResult) {
        self.init(symbol: r.symbol, strategy: r.strategy, timeframe: r.timeframe, settings: r.settings, barCount: r.barCount,
                  openPositions: r.openTrades.count, metrics: r.metrics, sizing: r.sizing, skippedEntries: r.skippedEntries)
    }

    public init(symbol: String, strategy: String, timeframe: Timeframe, settings: ExecutionSettings, barCount: Int,
                openPositions: Int, metrics: PerformanceMetrics, sizing: SizingSummary? = nil, skippedEntries: Int = 0) {
        self.symbol = symbol
        self.strategy = strategy
        self.timeframe = timeframe
        self.settings = settings
        self.barCount = barCount
        self.openPositions = openPositions
        self.metrics = metrics
        self.sizing = sizing
        self.skippedEntries = skippedEntries
    }
}
