public import TraderCore

/// The statistics of a run, defined exactly as backtesting.py's `compute_stats` (version 0.6.6)
/// so that numbers agree with it on the same trades; see docs/metrics.md for every formula.
///
/// Percentages are in percent (12.5 means 12.5 %), durations in `Duration64`, and a statistic
/// that is undefined for the run (no trades, no drawdown) is NaN.
public struct PerformanceMetrics: Sendable, Equatable, Codable {
    public var start: Timestamp
    public var end: Timestamp
    public var duration: Duration64
    public var exposureTimePct: Double
    public var equityFinal: Double
    public var equityPeak: Double
    public var commissions: Double
    public var returnPct: Double
    public var buyAndHoldReturnPct: Double
    public var annualizedReturnPct: Double
    public var annualizedVolatilityPct: Double
    public var cagrPct: Double
    public var sharpeRatio: Double
    public var sortinoRatio: Double
    public var calmarRatio: Double
    public var alphaPct: Double
    public var beta: Double
    /// Largest drawdown, as a negative percentage (backtesting.py's sign).
    public var maxDrawdownPct: Double
    /// Mean of the deepest point of each drawdown episode, negative.
    public var avgDrawdownPct: Double
    public var maxDrawdownDuration: Duration64?
    public var avgDrawdownDuration: Duration64?
    public var tradeCount: Int
    public var winRatePct: Double
    public var bestTradePct: Double
    public var worstTradePct: Double
    /// Geometric mean of trade returns.
    public var avgTradePct: Double
    public var maxTradeDuration: Duration64?
    public var avgTradeDuration: Duration64?
    public var profitFactor: Double
    public var expectancyPct: Double
    public var sqn: Double
    public var kellyCriterion: Double
    /// Trading days per year used to annualize (252, or 365 when weekends trade; 52/12/1 for
    /// weekly, monthly, yearly bars).
    public var annualTradingDays: Double
}
