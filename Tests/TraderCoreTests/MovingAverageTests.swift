import Testing
@testable import TraderCore

@Suite("EMA and MACD")
struct MovingAverageTests {
    @Test("EMA matches the closed-form reference at every step", arguments: Dataset.allCases, [1, 2, 10, 30])
    func emaMatchesReference(dataset: Dataset, period: Int) throws {
        let closes = try dataset.load().close
        let ema = try EMA(period: period)
        expectMatches(outputs(ema, closes), Reference.ema(closes, period), "EMA(\(period)) \(dataset)")
    }

    @Test("EMA is seeded with the SMA of the first period values, then smooths with 2/(n+1)")
    func emaSeedAndStep() throws {
        var ema = try EMA(period: 3)
        #expect(ema.alpha == 0.5)
        #expect(ema.update(1).isNaN)
        #expect(ema.update(2).isNaN)
        #expect(!ema.isReady)
        #expect(ema.update(6) == 3)
        #expect(ema.isReady)
        #expect(ema.update(5) == 4)
        #expect(ema.update(0) == 2)
    }

    @Test("EMA of a constant series is that constant")
    func emaConstant() throws {
        let out = outputs(try EMA(period: 5), [Double](repeating: 7.25, count: 40))
        #expect(out.dropFirst(4).allSatisfy { $0 == 7.25 })
    }

    @Test("MACD line, signal and histogram match the reference at every step",
          arguments: Dataset.allCases, [(12, 26, 9), (3, 7, 4), (1, 2, 1)])
    func macdMatchesReference(dataset: Dataset, periods: (Int, Int, Int)) throws {
        let (fast, slow, signal) = periods
        let closes = try dataset.load().close
        let fastEMA = Reference.ema(closes, fast)
        let slowEMA = Reference.ema(closes, slow)
        let line = zip(fastEMA, slowEMA).map { $0 - $1 }
        let signalFromStart = Reference.ema(Array(line[(slow - 1)...]), signal)
        let expectedSignal = [Double](repeating: .nan, count: slow - 1) + signalFromStart
        let expectedLine = zip(line, expectedSignal).map { l, s in s.isNaN ? .nan : l }
        let expectedHistogram = zip(line, expectedSignal).map { $0 - $1 }

        var macd = try MACD(fast: fast, slow: slow, signal: signal)
        #expect(macd.warmup == slow + signal - 1)
        var value: [Double] = [], sig: [Double] = [], hist: [Double] = []
        for (i, x) in closes.enumerated() {
            let v = macd.update(x)
            #expect(v.isNaN ? macd.value.isNaN : v == macd.value)
            #expect(macd.isReady == (i + 1 >= macd.warmup))
            value.append(macd.value)
            sig.append(macd.signal)
            hist.append(macd.histogram)
        }
        let label = "MACD(\(fast),\(slow),\(signal)) \(dataset)"
        expectMatches(value, expectedLine, "\(label) line")
        expectMatches(sig, expectedSignal, "\(label) signal")
        expectMatches(hist, expectedHistogram, "\(label) histogram")
    }

    @Test("MACD outputs are all NaN until exactly slow + signal - 1 values, then all defined")
    func macdWarmupBoundary() throws {
        var macd = try MACD()
        let xs = TestBars.random(count: 40, seed: 7).close
        for i in 0..<33 {
            macd.update(xs[i])
            #expect(macd.value.isNaN && macd.signal.isNaN && macd.histogram.isNaN && !macd.isReady)
        }
        macd.update(xs[33])
        #expect(macd.isReady)
        #expect(!macd.value.isNaN && !macd.signal.isNaN && !macd.histogram.isNaN)
    }

    @Test("MACD of a constant series is zero")
    func macdConstant() throws {
        var macd = try MACD(fast: 3, slow: 5, signal: 2)
        for _ in 0..<20 { macd.update(42) }
        #expect(macd.value == 0 && macd.signal == 0 && macd.histogram == 0)
    }

    @Test("invalid periods throw DomainError")
    func invalidPeriods() {
        #expect(throws: DomainError.self) { try EMA(period: 0) }
        #expect(throws: DomainError.self) { try EMA(period: -3) }
        #expect(throws: DomainError.self) { try MACD(fast: 0, slow: 26, signal: 9) }
        #expect(throws: DomainError.self) { try MACD(fast: 12, slow: 26, signal: 0) }
        #expect(throws: DomainError.self) { try MACD(fast: 26, slow: 12, signal: 9) }
        #expect(throws: DomainError.self) { try MACD(fast: 12, slow: 12, signal: 9) }
    }
}
