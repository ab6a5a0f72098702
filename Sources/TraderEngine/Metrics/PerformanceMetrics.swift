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

extension PerformanceMetrics {
    /// Every statistic undefined (NaN, nil, zero counts): the value readers fill field by field
    /// (a stored run read back), and what a run without bars reports.
    public static let undefined = PerformanceMetrics(
        start: Timestamp(nanos: 0), end: Timestamp(nanos: 0), duration: Duration64(nanos: 0),
        exposureTimePct: .nan, equityFinal: .nan, equityPeak: .nan, commissions: .nan, returnPct: .nan, buyAndHoldReturnPct: .nan,
        annualizedReturnPct: .nan, annualizedVolatilityPct: .nan, cagrPct: .nan, sharpeRatio: .nan, sortinoRatio: .nan,
        calmarRatio: .nan, alphaPct: .nan, beta: .nan, maxDrawdownPct: .nan, avgDrawdownPct: .nan,
        maxDrawdownDuration: nil, avgDrawdownDuration: nil, tradeCount: 0, winRatePct: .nan, bestTradePct: .nan,
        worstTradePct: .nan, avgTradePct: .nan, maxTradeDuration: nil, avgTradeDuration: nil, profitFactor: .nan,
        expectancyPct: .nan, sqn: .nan, kellyCriterion: .nan, annualTradingDays: .nan)
}
