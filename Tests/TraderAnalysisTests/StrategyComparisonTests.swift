import Testing
import TraderAnalysis
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies

/// The comparison backtests every built-in strategy on the same recent window and ranks them by
/// the documented score.
@Suite struct StrategyComparisonTests {
    static let series = try! SyntheticBars.generate(symbol: "CMP", bars: 1_000, seed: 3, timeframe: .day1)
    static var settings: ExecutionSettings {
        var s = ExecutionSettings()
        s.commission = try! CommissionModel(rate: 0.001, fixed: 0)
        return s
    }

    func comparison(through last: Int = 999, bars: Int = 252) throws -> StrategyComparison {
        try StrategyComparison.compare(Self.series, through: last, bars: bars, settings: Self.settings,
                                       strategies: StrategyComparison.catalogDefaults())
    }

    @Test func everyStrategyIsRankedByTheDocumentedScore() throws {
        let c = try comparison()
        #expect(c.startIndex == 748 && c.endIndex == 999 && c.bars == 252)
        #expect(Set(c.scores.map(\.spec.name)) == Set(StrategyCatalog.names))
        #expect(c.scores.map(\.rank) == Array(1...StrategyCatalog.names.count))
        for (a, b) in zip(c.scores, c.scores.dropFirst()) { #expect(a.score >= b.score) }
        for s in c.scores {
            // 0.4 · clamp(Sharpe / 2) + 0.3 · clamp(return / 20 %) + 0.2 · clamp(drawdown / 20 %)
            // + 0.1 · (0 with 5+ trades, else −(5 − trades) / 5); NaN terms count 0.
            func clamp(_ x: Double) -> Double { x.isNaN ? 0 : min(1, max(-1, x)) }
            let expected = 0.4 * clamp(s.sharpeRatio / 2) + 0.3 * clamp(s.returnPct / 20) + 0.2 * clamp(s.maxDrawdownPct / 20)
                + 0.1 * (s.trades >= 5 ? 0 : -Double(5 - s.trades) / 5)
            #expect(abs(s.score - expected) < 1e-12, "\(s.spec.name)")
        }
    }

    @Test func statisticsEqualABacktestOfTheWindow() throws {
        let c = try comparison()
        let window = Self.series.slice(748..<1000)
        for s in c.scores {
            let m = try Backtester.run(s.spec, on: window, settings: Self.settings).metrics
            #expect(m.tradeCount == s.trades, "\(s.spec.name)")
            #expect(abs(m.returnPct - s.returnPct) < 1e-9, "\(s.spec.name)")
            #expect(abs(m.maxDrawdownPct - s.maxDrawdownPct) < 1e-9, "\(s.spec.name)")
            #expect(m.sharpeRatio.isNaN == s.sharpeRatio.isNaN && (m.sharpeRatio.isNaN || abs(m.sharpeRatio - s.sharpeRatio) < 1e-9))
        }
    }

    @Test func lastSignalOfTheCrossoverIsItsLastCross() throws {
        // The last bar in the window where SMA(10) crossed SMA(30), found here with TraderCore's SMAs.
        let c = try comparison()
        let row = try #require(c.scores.first { $0.spec.name == "sma-crossover" })
        var fast = try SMA(period: 10), slow = try SMA(period: 30)
        var previous: (Double, Double) = (.nan, .nan)
        var last: (Signal, Int)?
        for i in 748...999 {
            let f = fast.update(Self.series.close[i]), s = slow.update(Self.series.close[i])
            if previous.0 < previous.1 && f > s { last = (.buy, i) }
            if previous.0 > previous.1 && f < s { last = (.sell, i) }
            previous = (f, s)
        }
        #expect(row.lastSignal == last?.0 && row.lastSignalIndex == last?.1)
        #expect(row.lastSignalTime?.nanos == last.map { Self.series.timestamps[$0.1] })
    }

    @Test func aShortSeriesUsesAllItsBars() throws {
        let c = try comparison(through: 99)
        #expect(c.startIndex == 0 && c.bars == 100)
        #expect(throws: DomainError.self) { try comparison(bars: 0) }
    }
}
