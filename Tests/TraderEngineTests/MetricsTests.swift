import Foundation
import Testing
import TraderCore
@testable import TraderEngine

@Suite struct MetricsTests {
    @Test func logOfRatioMatchesLibm() {
        var worst = 0.0
        for k in 0..<20_000 {
            let b = 50 + Double(k % 997) * 0.37
            let r = (Double(k) - 10_000) * 7e-6  // returns within ±7 %: the series and libm's range
            let a = b * (1 + r)
            // The reference is libm's log1p of (a − b) / b: a − b is exact here (Sterbenz), so its
            // argument carries one rounding. `log(a / b)` would be a poor reference for small
            // returns: rounding a / b near 1 costs up to 1e-16 absolute, 1e-11 relative to a
            // return of 1e-5.
            let want = log1p((a - b) / b)
            let got = logOfRatio(a, b)
            if want != 0 { worst = max(worst, abs(got - want) / abs(want)) } else { #expect(abs(got) < 1e-300) }
        }
        // Within the series' range (|a/b − 1| under 6.5 %) a few ulps; beyond it `log(a / b)`, whose
        // rounded ratio costs up to 2e-15 relative at the range's edge.
        #expect(worst < 5e-15)
        #expect(logOfRatio(200, 100) == log(2.0))
    }

    @Test func drawdownEpisodesFollowBacktestingPy() {
        // Equity: peak 100, dip to 80, recover to 100 (episode 1: depth 0.2, 3 days), new peak 120,
        // dip to 90 and never recover (episode 2: depth 0.25, to the last bar).
        let equity: [Double] = [100, 90, 80, 100, 120, 110, 90, 95]
        let ts = (0..<8).map { Int64($0) * Timestamp.nanosPerDay }
        let dd = DrawdownAnalysis(equity: equity, timestamps: ts)
        #expect(dd.maxDrawdown == 0.25)
        #expect(dd.episodes == 2)
        #expect(abs(dd.meanEpisodeDepth - 0.225) < 1e-15)
        #expect(dd.maxEpisodeNanos == 3 * Timestamp.nanosPerDay)
        #expect(dd.meanEpisodeNanos == 3 * Timestamp.nanosPerDay)
    }

    @Test func noTradesGiveUndefinedTradeStatistics() throws {
        let s = try BarSeries(symbol: "X", timestamps: (0..<10).map { Int64($0) * Timestamp.nanosPerDay },
                              open: Array(repeating: 10, count: 10), high: Array(repeating: 10, count: 10),
                              low: Array(repeating: 10, count: 10), close: Array(repeating: 10, count: 10),
                              volume: Array(repeating: 1, count: 10))
        let m = MetricsCalculator.compute(equity: Array(repeating: 1000, count: 10), trades: [], series: s, firstTradingBar: 0)
        #expect(m.tradeCount == 0)
        #expect(m.winRatePct.isNaN && m.sqn.isNaN && m.profitFactor.isNaN && m.kellyCriterion.isNaN)
        #expect(m.maxDrawdownPct == 0 && m.maxDrawdownDuration == nil)
        #expect(m.returnPct == 0 && m.exposureTimePct == 0)
        #expect(m.annualTradingDays == 365)  // bars every day, weekends included
    }

    @Test func exposureIsTheUnionOfTradeIntervals() {
        func trade(_ a: Int, _ b: Int) -> Trade {
            Trade(size: 1, entryBar: a, exitBar: b, entryTime: Timestamp(nanos: 0), exitTime: Timestamp(nanos: 0),
                  entryPrice: 1, exitPrice: 1, commission: 0, exitReason: .signal)
        }
        func exposed(_ trades: [Trade]) -> Double {
            let s = try! BarSeries(symbol: "X", timestamps: (0..<20).map { Int64($0) * Timestamp.nanosPerDay },
                                   open: Array(repeating: 10, count: 20), high: Array(repeating: 10, count: 20),
                                   low: Array(repeating: 10, count: 20), close: Array(repeating: 10, count: 20),
                                   volume: Array(repeating: 1, count: 20))
            return MetricsCalculator.compute(equity: Array(repeating: 1000, count: 20), trades: trades, series: s,
                                             firstTradingBar: 0).exposureTimePct
        }
        // Bars 2…6 and 10: 6 of 20, whatever the order the trades come in.
        #expect(exposed([trade(2, 4), trade(4, 6), trade(10, 10), trade(3, 5)]) == 30)
        #expect(exposed([trade(10, 10), trade(2, 4), trade(3, 5), trade(4, 6)]) == 30)
        #expect(exposed([]) == 0)
    }

    @Test func ceilRoundsUpToTheBarResolution() {
        let day = Duration64(nanos: Timestamp.nanosPerDay)
        #expect(MetricsCalculator.ceil(Duration64(nanos: Timestamp.nanosPerDay + 1), to: day).nanos == 2 * Timestamp.nanosPerDay)
        #expect(MetricsCalculator.ceil(day, to: day) == day)
        let hour = Duration64(nanos: 3_600_000_000_000)
        #expect(MetricsCalculator.ceil(Duration64(nanos: 3_600_000_000_001), to: hour).nanos == 7_200_000_000_000)
    }
}
