import Testing
@testable import TraderCore

@Suite("RSI and Stochastic")
struct OscillatorTests {
    // MARK: RSI

    @Test("RSI matches the Wilder reference at every step", arguments: Dataset.allCases, [1, 2, 14, 30])
    func rsiMatchesReference(dataset: Dataset, period: Int) throws {
        let closes = try dataset.load().close
        expectMatches(outputs(try RSI(period: period), closes), Reference.rsi(closes, period),
                      "RSI(\(period)) \(dataset)")
    }

    @Test("RSI is ready after exactly period + 1 closes")
    func rsiWarmup() throws {
        var rsi = try RSI(period: 3)
        #expect(rsi.warmup == 4)
        for x in [10.0, 11, 10.5] {
            #expect(rsi.update(x).isNaN)
            #expect(!rsi.isReady)
        }
        // Changes +1, -0.5, +1.5: average gain 2.5/3, average loss 0.5/3, RS 5.
        let first = rsi.update(12)
        #expect(rsi.isReady)
        #expect(isClose(first, 100 - 100 / 6.0, tolerance: 1e-15))
        // Next change -1: gain (2.5/3·2 + 0)/3 = 5/9, loss (0.5/3·2 + 1)/3 = 4/9, RS 5/4.
        #expect(isClose(rsi.update(11), 100 - 100 / 2.25, tolerance: 1e-13))
    }

    @Test("RSI on flat and one-way series: 50 when flat, 100 without losses, 0 without gains")
    func rsiConstantAndMonotone() throws {
        let flat = outputs(try RSI(period: 14), [Double](repeating: 100, count: 40))
        #expect(flat.dropFirst(14).allSatisfy { $0 == 50 })
        let up = outputs(try RSI(period: 5), (0..<30).map(Double.init))
        #expect(up.dropFirst(5).allSatisfy { $0 == 100 })
        let down = outputs(try RSI(period: 5), (0..<30).map { 100 - Double($0) })
        #expect(down.dropFirst(5).allSatisfy { $0 == 0 })
        #expect(RSI.index(avgGain: 0, avgLoss: 0) == 50)
        #expect(RSI.index(avgGain: 1, avgLoss: 0) == 100)
        #expect(RSI.index(avgGain: 1, avgLoss: 1) == 50)
    }

    // MARK: Stochastic

    /// %K and %D recomputed over their windows at every step; both NaN until %D is defined.
    static func referenceStochastic(_ b: TestBars, period: Int, smoothD: Int) -> (k: [Double], d: [Double]) {
        let hh = Reference.rollingMax(b.high, period)
        let ll = Reference.rollingMin(b.low, period)
        let k = (0..<b.count).map { i -> Double in
            if hh[i].isNaN { return .nan }
            let range = hh[i] - ll[i]
            return range > 0 ? 100 * (b.close[i] - ll[i]) / range : 50
        }
        let d = Reference.sma(Array(k[(period - 1)...]), smoothD)
        let dFull = [Double](repeating: .nan, count: period - 1) + d
        return (zip(k, dFull).map { $1.isNaN ? .nan : $0 }, dFull)
    }

    @Test("Stochastic %K and %D match the window reference at every step",
          arguments: Dataset.allCases, [(14, 3), (5, 1), (1, 1), (20, 5)])
    func stochasticMatchesReference(dataset: Dataset, params: (Int, Int)) throws {
        let (period, smoothD) = params
        let bars = try dataset.load()
        let want = Self.referenceStochastic(bars, period: period, smoothD: smoothD)
        var stoch = try Stochastic(period: period, smoothD: smoothD)
        #expect(stoch.warmup == period + smoothD - 1)
        var k: [Double] = [], d: [Double] = []
        for (i, bar) in bars.bars.enumerated() {
            stoch.update(bar)
            #expect(stoch.isReady == (i + 1 >= stoch.warmup))
            #expect(stoch.isReady != stoch.k.isNaN && stoch.isReady != stoch.d.isNaN)
            k.append(stoch.k)
            d.append(stoch.d)
        }
        expectMatches(k, want.k, "Stochastic(\(period), \(smoothD)) %K \(dataset)")
        expectMatches(d, want.d, "Stochastic(\(period), \(smoothD)) %D \(dataset)")
    }

    @Test("Stochastic is 50 on a flat range and NaN until exactly period + smoothD - 1 bars")
    func stochasticConstantAndWarmup() throws {
        var stoch = try Stochastic(period: 4, smoothD: 3)
        for _ in 0..<5 {
            stoch.update(high: 10, low: 10, close: 10)
            #expect(stoch.k.isNaN && stoch.d.isNaN && !stoch.isReady)
        }
        stoch.update(high: 10, low: 10, close: 10)
        #expect(stoch.isReady && stoch.k == 50 && stoch.d == 50)
        stoch.update(high: 12, low: 10, close: 12)
        #expect(stoch.k == 100 && isClose(stoch.d, 200.0 / 3, tolerance: 1e-15))
    }

    @Test("invalid periods throw DomainError")
    func invalidPeriods() {
        #expect(throws: DomainError.self) { try RSI(period: 0) }
        #expect(throws: DomainError.self) { try Stochastic(period: 0) }
        #expect(throws: DomainError.self) { try Stochastic(period: 14, smoothD: 0) }
    }
}
