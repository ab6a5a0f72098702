import Testing
@testable import TraderCore

@Suite("RollingStd, RollingMax, RollingMin, BollingerBands")
struct RollingStatsTests {
    // MARK: RollingStd

    @Test("RollingStd matches the two-pass reference at every step",
          arguments: Dataset.allCases, [(2, 1), (5, 1), (20, 1), (20, 0), (63, 1), (1, 0)])
    func stdMatchesReference(dataset: Dataset, params: (Int, Int)) throws {
        let (period, ddof) = params
        let closes = try dataset.load().close
        let std = try RollingStd(period: period, ddof: ddof)
        expectMatches(outputs(std, closes), Reference.std(closes, period, ddof: ddof),
                      "RollingStd(\(period), ddof \(ddof)) \(dataset)")
    }

    @Test("RollingStd pins pandas rolling(n).std() values computed by hand")
    func stdPandasPins() throws {
        // pd.Series([1, 2, 4, 7, 11]).rolling(3).std(): windows {1,2,4}, {2,4,7}, {4,7,11} have
        // squared deviations 42/9, 114/9, 222/9, divided by n - 1 = 2: 7/3, 19/3, 37/3.
        let out = outputs(try RollingStd(period: 3), [1, 2, 4, 7, 11])
        #expect(out[0].isNaN && out[1].isNaN)
        #expect(isClose(out[2], 1.5275252316519468, tolerance: 1e-15))
        #expect(isClose(out[3], 2.516611478423583, tolerance: 1e-15))
        #expect(isClose(out[4], 3.5118845842842465, tolerance: 1e-15))
        // ddof = 0 divides by n: 42/9/3 = 14/9.
        let population = outputs(try RollingStd(period: 3, ddof: 0), [1, 2, 4])
        #expect(isClose(population[2], 1.247219128924647, tolerance: 1e-15))
        // The textbook set {2,4,4,4,5,5,7,9}: sum of squares 32, sample std √(32/7), population 2.
        let textbook: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        #expect(isClose(outputs(try RollingStd(period: 8), textbook)[7], 2.138089935299395, tolerance: 1e-15))
        #expect(outputs(try RollingStd(period: 8, ddof: 0), textbook)[7] == 2)
        // pd.Series([1, 2, 3, 4, 5]).rolling(2).std() is √0.5 everywhere after the first.
        #expect(outputs(try RollingStd(period: 2), [1, 2, 3, 4, 5]).dropFirst().allSatisfy {
            isClose($0, 0.7071067811865476, tolerance: 1e-15)
        })
    }

    @Test("RollingStd is exactly 0 on a constant window, even after a volatile history")
    func stdConstant() throws {
        var std = try RollingStd(period: 5)
        for x in [0.1, 0.7, 0.3] { std.update(x) }
        #expect(std.value.isNaN)
        let xs = TestBars.random(count: 200, seed: 3).close
        for x in xs { std.update(x) }
        var values: [Double] = []
        for _ in 0..<10 { values.append(std.update(0.1)) }
        #expect(values[3] > 0)
        #expect(values[4...].allSatisfy { $0 == 0 })
        #expect(std.variance == 0 && isClose(std.mean, 0.1, tolerance: 1e-15))
        #expect(outputs(try RollingStd(period: 4), [Double](repeating: 0.3, count: 12)).dropFirst(3).allSatisfy { $0 == 0 })
    }

    @Test("RollingStd stays accurate when a calm regime follows a wild one")
    func stdRegimeChange() throws {
        var rng = SplitMix64(seed: 99)
        let period = 20
        var xs = (0..<5000).map { _ in 1e8 + 1e7 * (rng.unit() - 0.5) }
        let calmStart = xs.count
        xs += (0..<5000).map { _ in 1.0 + 1e-3 * (rng.unit() - 0.5) }
        let got = outputs(try RollingStd(period: period), xs)
        let want = Reference.std(xs, period, ddof: 1)
        // As soon as the last wild value has left the window, no error from it may remain.
        let from = calmStart + period - 1
        expectMatches(Array(got[from...]), Array(want[from...]), "RollingStd after regime change")
        #expect(got.allSatisfy { $0.isNaN || $0 >= 0 })
    }

    @Test("RollingStd stays accurate on a level far from zero with a tiny spread")
    func stdLargeOffset() throws {
        var rng = SplitMix64(seed: 5)
        let xs = (0..<20000).map { _ in 1e9 + rng.unit() }
        let got = outputs(try RollingStd(period: 30), xs)
        expectMatches(got, Reference.std(xs, 30, ddof: 1), "RollingStd at 1e9")
    }

    @Test("RollingStd mean and variance are consistent with SMA and value")
    func stdMeanAndVariance() throws {
        let closes = try TestBars.goog().close
        var std = try RollingStd(period: 20)
        var sma = try SMA(period: 20)
        for x in closes {
            let s = std.update(x)
            let m = sma.update(x)
            #expect(std.mean.isNaN ? m.isNaN : std.mean == m)
            #expect(s.isNaN ? std.variance.isNaN : isClose(std.variance.squareRoot(), s, tolerance: 1e-15))
        }
    }

    // MARK: RollingMax / RollingMin

    @Test("RollingMax and RollingMin match a window scan at every step",
          arguments: Dataset.allCases, [1, 2, 3, 20, 250])
    func extremesMatchReference(dataset: Dataset, period: Int) throws {
        let bars = try dataset.load()
        expectMatches(outputs(try RollingMax(period: period), bars.high), Reference.rollingMax(bars.high, period),
                      "RollingMax(\(period)) \(dataset)", tolerance: 0)
        expectMatches(outputs(try RollingMin(period: period), bars.low), Reference.rollingMin(bars.low, period),
                      "RollingMin(\(period)) \(dataset)", tolerance: 0)
    }

    @Test("RollingMax and RollingMin handle monotone, sawtooth and tied sequences",
          arguments: [3, 4, 7])
    func extremesAdversarial(period: Int) throws {
        let n = 60
        let sequences: [(String, [Double])] = [
            ("increasing", (0..<n).map(Double.init)),
            ("decreasing", (0..<n).map { Double(n - $0) }),
            ("sawtooth", (0..<n).map { Double($0 % 5) }),
            ("ties", (0..<n).map { Double(($0 / 3) % 4) }),
            ("constant", [Double](repeating: 2, count: n)),
        ]
        for (name, xs) in sequences {
            expectMatches(outputs(try RollingMax(period: period), xs), Reference.rollingMax(xs, period),
                          "RollingMax(\(period)) \(name)", tolerance: 0)
            expectMatches(outputs(try RollingMin(period: period), xs), Reference.rollingMin(xs, period),
                          "RollingMin(\(period)) \(name)", tolerance: 0)
        }
    }

    // MARK: BollingerBands

    @Test("BollingerBands match SMA ± k·std references at every step",
          arguments: Dataset.allCases, [(20, 2.0, 1), (5, 1.5, 0), (2, 3.0, 1)])
    func bollingerMatchesReference(dataset: Dataset, params: (Int, Double, Int)) throws {
        let (period, k, ddof) = params
        let closes = try dataset.load().close
        let mid = Reference.sma(closes, period)
        let sd = Reference.std(closes, period, ddof: ddof)
        let upper = zip(mid, sd).map { $0 + k * $1 }
        let lower = zip(mid, sd).map { $0 - k * $1 }
        // A zero-width band puts the price in the middle: %B 0.5.
        let percentB = closes.indices.map { i in
            upper[i] == lower[i] ? 0.5 : (closes[i] - lower[i]) / (upper[i] - lower[i])
        }
        let bandwidth = mid.indices.map { (upper[$0] - lower[$0]) / mid[$0] }

        var bands = try BollingerBands(period: period, multiplier: k, ddof: ddof)
        #expect(bands.warmup == period && bands.ddof == ddof)
        var got: (m: [Double], u: [Double], l: [Double], b: [Double], w: [Double]) = ([], [], [], [], [])
        for (i, x) in closes.enumerated() {
            let v = bands.update(x)
            #expect(v.isNaN ? bands.value.isNaN : v == bands.middle)
            #expect(bands.isReady == (i + 1 >= period))
            got.m.append(bands.middle)
            got.u.append(bands.upper)
            got.l.append(bands.lower)
            got.b.append(bands.percentB)
            got.w.append(bands.bandwidth)
        }
        let label = "Bollinger(\(period), \(k), ddof \(ddof)) \(dataset)"
        expectMatches(got.m, mid, "\(label) middle")
        expectMatches(got.u, upper, "\(label) upper")
        expectMatches(got.l, lower, "\(label) lower")
        expectMatches(got.b, percentB, "\(label) %B")
        expectMatches(got.w, bandwidth, "\(label) bandwidth")
    }

    @Test("BollingerBands middle is bit-for-bit the SMA of the same period")
    func bollingerMiddleIsSMA() throws {
        var bands = try BollingerBands()
        var sma = try SMA(period: 20)
        var mismatches = 0
        for x in try TestBars.goog().close {
            let m = bands.update(x)
            let s = sma.update(x)
            if !(m.isNaN && s.isNaN) && m != s { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test("BollingerBands on a constant series: zero width, %B 0.5")
    func bollingerConstant() throws {
        var bands = try BollingerBands(period: 4)
        for _ in 0..<10 { bands.update(50) }
        #expect(bands.middle == 50 && bands.upper == 50 && bands.lower == 50)
        #expect(bands.percentB == 0.5 && bands.bandwidth == 0)
    }

    @Test("warm-up: NaN until exactly period values")
    func warmupBoundaries() throws {
        let xs = TestBars.random(count: 30, seed: 11).close
        for period in [1, 2, 9] {
            // `outputs` also checks, step by step, that isReady flips exactly at `warmup`.
            let bands = outputs(try BollingerBands(period: max(period, 2)), xs)
            #expect(bands.firstIndex { !$0.isNaN } == max(period, 2) - 1)
            let std = outputs(try RollingStd(period: max(period, 2)), xs)
            #expect(std.firstIndex { !$0.isNaN } == max(period, 2) - 1)
            let mx = outputs(try RollingMax(period: period), xs)
            #expect(mx.firstIndex { !$0.isNaN } == period - 1)
            let mn = outputs(try RollingMin(period: period), xs)
            #expect(mn.firstIndex { !$0.isNaN } == period - 1)
        }
    }

    @Test("invalid periods and parameters throw DomainError")
    func invalidParameters() {
        #expect(throws: DomainError.self) { try RollingStd(period: 0) }
        #expect(throws: DomainError.self) { try RollingStd(period: 1) } // ddof 1 needs 2 values
        #expect(throws: DomainError.self) { try RollingStd(period: 5, ddof: 5) }
        #expect(throws: DomainError.self) { try RollingStd(period: 5, ddof: -1) }
        #expect(throws: DomainError.self) { try RollingMax(period: 0) }
        #expect(throws: DomainError.self) { try RollingMin(period: -1) }
        #expect(throws: DomainError.self) { try BollingerBands(period: 0) }
        #expect(throws: DomainError.self) { try BollingerBands(period: 20, multiplier: 0) }
        #expect(throws: DomainError.self) { try BollingerBands(period: 20, multiplier: .nan) }
        #expect(throws: DomainError.self) { try BollingerBands(period: 20, ddof: 20) }
    }
}
