import TraderCore
import TraderData
import TraderEngine
import TraderStrategies
@testable import TraderAnalysis

/// Builders shared by the portfolio backtest tests.
enum PortfolioFixtures {
    /// A daily series from `(day of January 2024, open, high, low, close)` rows.
    static func series(_ symbol: String, _ rows: [(Int, Double, Double, Double, Double)]) throws -> BarSeries {
        try BarSeries(symbol: symbol, timeframe: .day1, timestamps: rows.map { Timestamp(year: 2024, month: 1, day: $0.0).nanos },
                      open: rows.map(\.1), high: rows.map(\.2), low: rows.map(\.3), close: rows.map(\.4),
                      volume: Array(repeating: 1_000, count: rows.count))
    }

    /// The same rules in every tier.
    static func profile(strategies: [String], maxPositions: Int, maxTradesPerWeek: Int? = nil, positionPct: Double, exposurePct: Double,
                        stopLossPct: Double? = nil, dailyLossPct: Double? = nil, account: AccountType = .cash,
                        hysteresis: TierHysteresis = .standard) throws -> PortfolioProfile {
        let risk = try RiskLimits(maxPositionPct: positionPct, maxExposurePct: exposurePct, stopLossPct: stopLossPct, maxDailyLossPct: dailyLossPct)
        let rules = try TierRules(strategies: strategies, maxPositions: maxPositions, maxTradesPerWeek: maxTradesPerWeek, risk: risk)
        return PortfolioProfile(name: "test", accountType: account, hysteresis: hysteresis, micro: rules, small: rules, medium: rules, large: rules)
    }

    /// Several synthetic symbols of different lengths and start dates, so the timeline has gaps.
    static func syntheticUniverse(bars: Int = 1_200, timeframe: Timeframe = .day1) throws -> [BarSeries] {
        let step = timeframe.seconds * Timestamp.nanosPerSecond
        return [
            try SyntheticBars.generate(symbol: "AAA", bars: bars, seed: 7, timeframe: timeframe),
            try SyntheticBars.generate(symbol: "BBB", bars: bars - 200, seed: 7,
                                       start: Timestamp(nanos: SyntheticBars.defaultStart.nanos + 100 * step), timeframe: timeframe, startPrice: 40),
            try SyntheticBars.generate(symbol: "CCC", bars: bars / 2, seed: 7, timeframe: timeframe, startPrice: 250),
            try SyntheticBars.generate(symbol: "DDD", bars: bars, seed: 7, timeframe: timeframe, startPrice: 12),
        ]
    }
}
