import Testing
@testable import TraderCore

@Suite("ATR and OBV")
struct BarIndicatorTests {
    @Test("ATR matches the Wilder reference at every step", arguments: Dataset.allCases, [1, 2, 14, 30])
    func atrMatchesReference(dataset: Dataset, period: Int) throws {
        let bars = try dataset.load()
        let want = Reference.atr(bars, period)
        let trueRanges = Reference.trueRange(bars)
        var atr = try ATR(period: period)
        var got: [Double] = []
        for (i, bar) in bars.bars.enumerated() {
            atr.update(bar)
            #expect(atr.isReady == (i + 1 >= period) && atr.isReady != atr.value.isNaN)
            #expect(atr.trueRange == trueRanges[i])
            got.append(atr.value)
        }
        expectMatches(got, want, "ATR(\(period)) \(dataset)")
        // The columnar entry point gives the same numbers.
        var columnar = try ATR(period: period)
        let viaColumns = (0..<bars.count).map { columnar.update(high: bars.high[$0], low: bars.low[$0], close: bars.close[$0]) }
        expectMatches(viaColumns, got, "ATR(\(period)) columnar", tolerance: 0)
    }

    @Test("ATR: first true range is high - low, gaps count, seed is the mean of the first period")
    func atrByHand() throws {
        var atr = try ATR(period: 2)
        #expect(atr.update(high: 11, low: 9, close: 10).isNaN)        // TR 2
        #expect(atr.update(high: 14, low: 13, close: 13.5) == 3)      // gap up: TR |14 - 10| = 4; mean 3
        #expect(atr.update(high: 13.5, low: 12, close: 12) == 2.25)   // TR 1.5: (3·1 + 1.5) / 2
    }

    @Test("ATR of flat bars is zero")
    func atrConstant() throws {
        var atr = try ATR(period: 3)
        for _ in 0..<10 { atr.update(high: 5, low: 5, close: 5) }
        #expect(atr.value == 0)
    }

    @Test("OBV matches the summed reference at every step", arguments: Dataset.allCases)
    func obvMatchesReference(dataset: Dataset) throws {
        let bars = try dataset.load()
        var obv = OBV()
        #expect(obv.value.isNaN && !obv.isReady && obv.warmup == 1)
        var got: [Double] = []
        for bar in bars.bars {
            obv.update(bar)
            #expect(obv.isReady)
            got.append(obv.value)
        }
        expectMatches(got, Reference.obv(bars), "OBV \(dataset)", tolerance: 0)
    }

    @Test("OBV starts at 0, adds on up closes, subtracts on down closes, holds on flat")
    func obvByHand() {
        var obv = OBV()
        #expect(obv.update(close: 10, volume: 500) == 0)
        #expect(obv.update(close: 11, volume: 100) == 100)
        #expect(obv.update(close: 11, volume: 300) == 100)
        #expect(obv.update(close: 9, volume: 40) == 60)
    }

    @Test("invalid periods throw DomainError")
    func invalidPeriods() {
        #expect(throws: DomainError.self) { try ATR(period: 0) }
        #expect(throws: DomainError.self) { try ATR(period: -14) }
    }
}
