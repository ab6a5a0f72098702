import Testing
import TraderCore
import TraderData

@Suite("Synthetic bars")
struct SyntheticBarsTests {
    @Test func sameSeedSameSeries() throws {
        let a = try SyntheticBars.generate(symbol: "AAA", bars: 5000, seed: 42)
        let b = try SyntheticBars.generate(symbol: "AAA", bars: 5000, seed: 42)
        #expect(a.timestamps == b.timestamps)
        #expect(a.open == b.open && a.high == b.high && a.low == b.low && a.close == b.close && a.volume == b.volume)
        #expect(a.open[0] == 100)
        // 5,000 weekdays from 2000-01-03 end on 2019-03-01 (weekends skipped for daily bars).
        #expect(a.timestamps[4999] == day(2019, 3, 1))
    }

    @Test func seedsAndSymbolsGiveDifferentStreams() throws {
        let base = try SyntheticBars.generate(symbol: "AAA", bars: 500, seed: 42)
        let otherSeed = try SyntheticBars.generate(symbol: "AAA", bars: 500, seed: 43)
        let otherSymbol = try SyntheticBars.generate(symbol: "BBB", bars: 500, seed: 42)
        #expect(base.close != otherSeed.close)
        #expect(base.close != otherSymbol.close)
        #expect(otherSymbol.symbol == "BBB")
        let many = try SyntheticBars.generate(symbols: ["AAA", "BBB", "CCC"], bars: 500, seed: 42)
        #expect(many.map(\.symbol) == ["AAA", "BBB", "CCC"])
        #expect(many[0].close == base.close)
        #expect(many[1].close == otherSymbol.close)
        #expect(many[2].close != base.close)
    }

    @Test func everyBarIsValid() throws {
        for timeframe in [Timeframe.day1, .hour1, .minute1, .week1] {
            let bars = timeframe == .week1 ? 5000 : 20_000  // 20,000 weeks would run past 2262
            let s = try SyntheticBars.generate(symbol: "V", bars: bars, seed: 9, timeframe: timeframe, startPrice: 50)
            // The checked initializer re-validates every invariant.
            let checked = try BarSeries(symbol: s.symbol, columns: s.timestamps, open: s.open, high: s.high,
                                        low: s.low, close: s.close, volume: s.volume)
            #expect(checked.count == bars)
            for i in 0..<s.count {
                let bar = s[i]
                #expect(bar.high >= max(bar.open, bar.close) && bar.low <= min(bar.open, bar.close))
                #expect(bar.volume == bar.volume.rounded())
                if !(bar.high >= max(bar.open, bar.close)) { break }
            }
            #expect(s.open[0] == 50)
            #expect(s.timeframe == timeframe)
        }
    }

    @Test func dailyBarsSkipWeekends() throws {
        let s = try SyntheticBars.generate(symbol: "D", bars: 1000, seed: 1)
        #expect(s.timestamps[0] == day(2000, 1, 3))
        for i in 0..<s.count { #expect(Timestamp(nanos: s.timestamps[i]).weekday < 5) }
        for i in 1..<s.count {
            let gap = (s.timestamps[i] - s.timestamps[i - 1]) / Timestamp.nanosPerDay
            let isMonday = Timestamp(nanos: s.timestamps[i]).weekday == 0
            #expect(gap == (isMonday ? 3 : 1))
        }
        #expect(!s.tradesOnWeekends)
        #expect(Timeframe.infer(from: s.timestamps) == .day1)
        // A weekend start moves to Monday and keeps its time of day.
        let saturday = Timestamp(year: 2024, month: 3, day: 2, hour: 21)
        let moved = try SyntheticBars.generate(symbol: "D", bars: 3, seed: 1, start: saturday)
        #expect(moved.timestamps == [time(2024, 3, 4, 21, 0), time(2024, 3, 5, 21, 0), time(2024, 3, 6, 21, 0)])
    }

    @Test func intradayBarsAreContinuous() throws {
        let start = Timestamp(year: 2024, month: 3, day: 1, hour: 22)  // a Friday evening
        let s = try SyntheticBars.generate(symbol: "I", bars: 10_000, seed: 2, start: start, timeframe: .minute5)
        #expect(s.timestamps[0] == start.nanos)
        for i in 1..<s.count { #expect(s.timestamps[i] - s.timestamps[i - 1] == 300 * Timestamp.nanosPerSecond) }
        #expect(s.tradesOnWeekends)
        #expect(Timeframe.infer(from: s.timestamps) == .minute5)
    }

    @Test func regimesSwitchAndChangeRealizedVolatility() throws {
        let (series, regimes) = try SyntheticBars.generateWithRegimes(symbol: "R", bars: 50_000, seed: 3)
        #expect(regimes.count == series.count)
        #expect(Set(regimes).count == MarketRegime.allCases.count)  // every regime is visited
        // Regimes persist: far fewer switches than bars.
        let switches = zip(regimes, regimes.dropFirst()).filter { $0 != $1 }.count
        #expect(switches > 200 && switches < 5000)
        // The same series as plain generate.
        #expect(try SyntheticBars.generate(symbol: "R", bars: 50_000, seed: 3).close == series.close)

        // Realized volatility of close-to-close returns per regime follows the regime's setting.
        var sums = [MarketRegime: (n: Double, sum: Double, squares: Double)]()
        for i in 1..<series.count {
            let r = series.close[i] / series.close[i - 1] - 1
            let entry = sums[regimes[i], default: (0, 0, 0)]
            sums[regimes[i]] = (entry.n + 1, entry.sum + r, entry.squares + r * r)
        }
        func volatility(_ regime: MarketRegime) -> Double {
            let e = sums[regime]!
            let mean = e.sum / e.n
            return (e.squares / e.n - mean * mean).squareRoot()
        }
        for regime in MarketRegime.allCases {
            let realized = volatility(regime)
            #expect(realized > regime.dailyVolatility * 0.8 && realized < regime.dailyVolatility * 1.4, "\(regime): \(realized)")
        }
        #expect(volatility(.crisis) > 3 * volatility(.sideways))
        #expect(volatility(.bearVolatile) > 2 * volatility(.bullQuiet))
    }

    @Test func rollingVolatilityIsNotConstant() throws {
        // Seen without the regime labels: 50-bar realized volatility varies several-fold.
        let s = try SyntheticBars.generate(symbol: "W", bars: 20_000, seed: 4)
        var vols: [Double] = []
        for start in stride(from: 1, to: s.count - 50, by: 50) {
            var sum = 0.0, squares = 0.0
            for i in start..<(start + 50) {
                let r = s.close[i] / s.close[i - 1] - 1
                sum += r
                squares += r * r
            }
            vols.append((squares / 50 - (sum / 50) * (sum / 50)).squareRoot())
        }
        vols.sort()
        #expect(vols[vols.count * 9 / 10] > 2.5 * vols[vols.count / 10])
    }

    @Test func rejectsBadArguments() {
        #expect(throws: DomainError.self) { try SyntheticBars.generate(symbol: "X", bars: -1, seed: 1) }
        #expect(throws: DomainError.self) { try SyntheticBars.generate(symbol: "X", bars: 10, seed: 1, startPrice: 0) }
        #expect(throws: DomainError.self) { try SyntheticBars.generate(symbol: "X", bars: 10, seed: 1, startPrice: .nan) }
        // A million daily bars would run past 2262, the end of Int64 nanoseconds.
        #expect(throws: DomainError.self) { try SyntheticBars.generate(symbol: "X", bars: 1_000_000, seed: 1) }
        #expect((try? SyntheticBars.generate(symbol: "X", bars: 0, seed: 1))?.count == 0)
    }

    @Test func aMillionIntradayBars() throws {
        let s = try SyntheticBars.generate(symbol: "M", bars: 1_000_000, seed: 5, timeframe: .minute1)
        #expect(s.count == 1_000_000)
        let (lo, hi) = (s.low.min()!, s.high.max()!)
        #expect(lo > 100e-4 * 0.5 && hi < 100e4 * 2)
    }
}

@Suite("Seeded random")
struct SeededRandomTests {
    @Test func splitMix64MatchesTheReference() {
        // Reference outputs of SplitMix64 seeded with 1234567 (Vigna's splitmix64.c).
        var state: UInt64 = 1_234_567
        let outputs = (0..<5).map { _ in SeededRandom.splitMix64(&state) }
        #expect(outputs == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                            4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
    }

    @Test func xoshiro256StarStarMatchesTheReference() {
        // xoshiro256** with its state filled by SplitMix64(42), per Vigna's xoshiro256starstar.c.
        var random = SeededRandom(seed: 42)
        let outputs = (0..<5).map { _ in random.next() }
        #expect(outputs == [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009,
                            17_057_574_109_182_124_193, 18_295_552_978_065_317_476])
    }

    @Test func streamsAreStableAndDistinct() {
        #expect(SeededRandom.mix(1, "AAPL") == SeededRandom.mix(1, "AAPL"))
        #expect(SeededRandom.mix(1, "AAPL") != SeededRandom.mix(1, "MSFT"))
        #expect(SeededRandom.mix(1, "AAPL") != SeededRandom.mix(2, "AAPL"))
        var a = SeededRandom(seed: 1, stream: "AAPL"), b = SeededRandom(seed: 1, stream: "AAPL")
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
    }

    @Test func uniformsAreInTheUnitInterval() {
        var random = SeededRandom(seed: 5)
        var sum = 0.0
        for _ in 0..<100_000 {
            let u = random.nextUniform()
            #expect(u >= 0 && u < 1)
            sum += u
        }
        #expect(abs(sum / 100_000 - 0.5) < 0.01)
        // Works with the standard library's random APIs.
        let k = Int.random(in: 1...6, using: &random)
        #expect((1...6).contains(k))
    }

    @Test func gaussiansHaveUnitMomentsAndRepeat() {
        var random = SeededRandom(seed: 6)
        let n = 200_000
        var sum = 0.0, squares = 0.0, fourth = 0.0, beyondTwo = 0
        for _ in 0..<n {
            let z = random.nextGaussian()
            sum += z
            squares += z * z
            fourth += z * z * z * z
            if abs(z) > 2 { beyondTwo += 1 }
        }
        let mean = sum / Double(n), variance = squares / Double(n) - mean * mean
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.01)
        #expect(abs(fourth / Double(n) - 3) < 0.1)  // normal kurtosis
        #expect(abs(Double(beyondTwo) / Double(n) - 0.0455) < 0.003)
        var a = SeededRandom(seed: 6), b = SeededRandom(seed: 6)
        #expect((0..<1001).map { _ in a.nextGaussian() } == (0..<1001).map { _ in b.nextGaussian() })
        var c = SeededRandom(seed: 6)
        let scaled = c.nextGaussian(mean: 10, standardDeviation: 2)
        var d = SeededRandom(seed: 6)
        #expect(scaled == 10 + 2 * d.nextGaussian())
    }
}
