import Testing
import TraderAnalysis
import TraderCore

/// Support and resistance on a hand-made zigzag between about 100 and 110.
@Suite struct SupportResistanceTests {
    // Peaks (highs = close + 0.2) 110.2, 110.5, 110.0, 110.3 at bars 10, 30, 50, 70; troughs
    // (lows = close − 0.2) 99.8, 100.0, 99.7 at bars 20, 40, 60. The last bar (75) closes at 105.
    static let zigzag: [(Int, Double)] = [(0, 105), (10, 110), (20, 100), (30, 110.3), (40, 100.2), (50, 109.8), (60, 99.9), (70, 110.1), (75, 105)]

    @Test func peaksAndTroughsClusterIntoOneResistanceAndOneSupport() throws {
        let series = try Path.bars(Self.zigzag)
        let last = series.count - 1
        var atr = try ATR(period: 14)
        for i in 0...last { atr.update(series[i]) }
        let levels = try PriceLevels.find(in: series, through: last, atr: atr.value)
        #expect(close(levels.tolerance, 0.5 * atr.value))
        // The peaks span 0.5 and the troughs 0.3: each must fit in one cluster.
        try #require(levels.tolerance >= 0.5)

        #expect(levels.levels.count == 2)
        let resistance = try #require(levels.nearestResistance)
        #expect(close(resistance.price, (110.2 + 110.5 + 110.0 + 110.3) / 4))
        #expect(resistance.touches == 4 && resistance.firstIndex == 10 && resistance.lastIndex == 70)
        #expect(close(resistance.low, 110.0) && close(resistance.high, 110.5) && resistance.role == .resistance)
        #expect(close(resistance.strength, 4 + (1 - 5.0 / 252)))

        let support = try #require(levels.nearestSupport)
        #expect(close(support.price, (99.8 + 100.0 + 99.7) / 3))
        #expect(support.touches == 3 && support.firstIndex == 20 && support.lastIndex == 60 && support.role == .support)
        #expect(close(support.strength, 3 + (1 - 15.0 / 252)))

        // Ranked by strength: four touches before three.
        #expect(levels.levels.map(\.touches) == [4, 3])
    }

    @Test func aNarrowToleranceSplitsTheCluster() throws {
        let series = try Path.bars(Self.zigzag)
        var p = LevelParameters()
        p.tolerance = 0
        // With a zero tolerance only equal prices cluster: seven distinct swing prices, seven levels.
        let levels = try PriceLevels.find(in: series, through: series.count - 1, atr: 1, parameters: p)
        #expect(levels.levels.count == 7 && levels.levels.allSatisfy { $0.touches == 1 })
        // All touched once, so recency ranks them: the peak at bar 70 first.
        #expect(levels.levels.first?.lastIndex == 70)
        #expect(close(levels.nearestSupport?.price, 100.0) && close(levels.nearestResistance?.price, 110.0))
    }

    @Test func lookbackForgetsOldSwings() throws {
        let series = try Path.bars(Self.zigzag)
        var p = LevelParameters()
        p.lookback = 30  // bars 46...75: the peaks at 50 and 70 and the trough at 60
        let levels = try PriceLevels.find(in: series, through: series.count - 1, atr: 1, parameters: p)
        #expect(levels.nearestResistance?.touches == 2 && levels.nearestSupport?.touches == 1)
        #expect(close(levels.nearestResistance?.price, (110.0 + 110.3) / 2))
    }

    @Test func roleFollowsTheAnalysedClose() throws {
        // As of bar 65 (close 104.8 on the way up) the same swings are support below and
        // resistance above; as of bar 10 there are none yet.
        let series = try Path.bars(Self.zigzag)
        let levels = try PriceLevels.find(in: series, through: 65, atr: 1)
        #expect(levels.levels.allSatisfy { ($0.role == .support) == ($0.price <= series.close[65]) })
        #expect(try PriceLevels.find(in: series, through: 10, atr: 1).levels.isEmpty)
    }

    @Test func badParametersNameTheField() throws {
        let series = try Path.bars(Self.zigzag)
        var p = LevelParameters()
        p.pivotWindow = 0
        #expect(throws: DomainError.invalid(field: "pivot-window", reason: "must be a whole number between 1 and 1000000 bars, got 0")) {
            try PriceLevels.find(in: series, through: 70, atr: 1, parameters: p)
        }
        let error = #expect(throws: DomainError.self) { try PriceLevels.find(in: series, through: 76, atr: 1) }
        #expect(error?.description.hasPrefix("invalid as-of:") == true)
    }
}
