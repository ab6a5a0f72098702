import Foundation
import Testing
import TraderCore
import TraderData
@testable import TraderAnalysis

/// A constructed price series whose regimes are known by hand. Daily log returns, bar 0 at 100:
/// - bars 1–120, calm uptrend: +0.002 on odd bars, 0 on even bars;
/// - bars 121–160, crash: +0.01 on odd bars, −0.05 on even bars;
/// - bars 161–300, flat calm: +0.001 on odd bars, −0.001 on even bars.
enum ConstructedSeries {
    static let returns: [Double] = (1...300).map { bar in
        if bar <= 120 { return bar % 2 == 1 ? 0.002 : 0 }
        if bar <= 160 { return bar % 2 == 1 ? 0.01 : -0.05 }
        return bar % 2 == 1 ? 0.001 : -0.001
    }
    static let closes: [Double] = {
        var level = log(100.0)
        var out = [100.0]
        for r in returns { level += r; out.append(exp(level)) }
        return out
    }()
    static let timestamps: [Int64] = (0..<closes.count).map { Int64($0) * Timestamp.nanosPerDay + Timestamp(year: 2020, month: 1, day: 1).nanos }

    /// The changes, derived by hand from the rules of docs/regime.md (and checked with an
    /// independent numpy script):
    /// - 60: first bar with 60 returns; trend = 30 × 0.002 × 252/60 = 25.2 %, volatility =
    ///   0.001·√(20/19)·√252 = 1.63 % → bull-quiet.
    /// - 124: the 60 returns 65…124 sum to 28 × 0.002 − 0.08 = −0.024 → trend −10.08 %;
    ///   volatility 25.82 % → bear-volatile (bar 123: +0.026 → +10.92 %, volatility 19.0 %).
    /// - 132: the peak is bar 121's close; returns 122…132 sum to 6 × (−0.05) + 5 × 0.01 =
    ///   −0.25, drawdown 1 − e^−0.25 = 22.1 % with volatility 41.4 % → crisis (bar 131:
    ///   drawdown 1 − e^−0.2 = 18.1 %).
    /// - 170: the window 151…170 holds 10 crash and 10 calm returns, volatility 38.2 % → bear-volatile.
    /// - 178: the window 159…178 holds 2 crash returns, volatility 18.3 % → bear-quiet (bar 177:
    ///   3 crash returns, 25.02 %).
    /// - 220: the 60 returns 161…220 sum to 0 → sideways-quiet (bar 219: −0.049 → −20.58 %).
    static let changes: [(Int, Regime?, Regime)] = [
        (60, nil, .bullQuiet), (124, .bullQuiet, .bearVolatile), (132, .bearVolatile, .crisis),
        (170, .crisis, .bearVolatile), (178, .bearVolatile, .bearQuiet), (220, .bearQuiet, .sidewaysQuiet),
    ]
}

@Suite struct ThresholdRegimeTests {
    /// Readings compare bit for bit (NaN equal to NaN).
    func same(_ a: RegimeReading, _ b: RegimeReading) -> Bool {
        a.regime == b.regime && a.volatility.bitPattern == b.volatility.bitPattern
            && a.trend.bitPattern == b.trend.bitPattern && a.drawdown.bitPattern == b.drawdown.bitPattern
    }

    @Test func constructedSeriesFollowsTheKnownRegimes() throws {
        let readings = try ThresholdRegimeClassifier.classify(closes: ConstructedSeries.closes)
        #expect(readings[59].regime == nil && readings[59].trend.isNaN)
        let r60 = readings[60]
        #expect(abs(r60.trend - 0.252) < 1e-12)
        #expect(abs(r60.volatility - 0.001 * (20.0 / 19).squareRoot() * 252.0.squareRoot()) < 1e-12)
        #expect(r60.drawdown == 0)
        #expect(abs(readings[124].trend - (-0.024 * 252 / 60)) < 1e-12)
        #expect(abs(readings[132].drawdown - (1 - exp(-0.25))) < 1e-12)
        #expect(abs(readings[131].drawdown - (1 - exp(-0.20))) < 1e-12)
        #expect(abs(readings[219].trend - (-0.049 * 252 / 60)) < 1e-12)
        #expect(abs(readings[220].trend) < 1e-12)

        var expected: Regime? = nil
        var changes = ConstructedSeries.changes[...]
        for (bar, reading) in readings.enumerated() {
            if let next = changes.first, next.0 == bar { expected = next.2; changes.removeFirst() }
            #expect(reading.regime == expected, "bar \(bar): \(String(describing: reading.regime)) ≠ \(String(describing: expected))")
        }
    }

    @Test func ruleBoundariesAreExact() {
        let t = RegimeThresholds()
        #expect(t.classify(volatility: 0.25, trend: 0.06, drawdown: 0) == .bullVolatile)
        #expect(t.classify(volatility: 0.2499, trend: 0.06, drawdown: 0) == .bullQuiet)
        #expect(t.classify(volatility: 0.10, trend: 0.05, drawdown: 0) == .sidewaysQuiet)
        #expect(t.classify(volatility: 0.10, trend: -0.05, drawdown: 0) == .sidewaysQuiet)
        #expect(t.classify(volatility: 0.30, trend: -0.0501, drawdown: 0) == .bearVolatile)
        #expect(t.classify(volatility: 0.40, trend: 0.5, drawdown: 0.20) == .crisis)
        #expect(t.classify(volatility: 0.3999, trend: -0.5, drawdown: 0.5) == .bearVolatile)
        #expect(t.classify(volatility: 0.90, trend: -0.5, drawdown: 0.1999) == .bearVolatile)
        #expect(t.classify(volatility: .nan, trend: 0, drawdown: 0) == nil)
        #expect(t.volatilityLevel(0.1499) == .low && t.volatilityLevel(0.15) == .normal)
        #expect(t.volatilityLevel(0.25) == .high && t.volatilityLevel(0.40) == .extreme)
        #expect(t.trendLevel(0.2001) == .strongBull && t.trendLevel(0.20) == .bull && t.trendLevel(-0.21) == .strongBear)
        #expect(t.classifyState(volatility: 0.45, drift: -0.20) == .crisis)
        #expect(t.classifyState(volatility: 0.45, drift: -0.19) == .bearVolatile)
        #expect(t.classifyState(volatility: 0.10, drift: 0.01) == .sidewaysQuiet)
    }

    @Test func invalidThresholdsNameTheField() {
        func field(_ t: RegimeThresholds) -> String? {
            do { try t.validate(); return nil } catch { if case let .invalid(f, _) = error { return f }; return nil }
        }
        #expect(field(RegimeThresholds()) == nil)
        #expect(field(RegimeThresholds(volatilityWindow: 1)) == "volatilityWindow")
        #expect(field(RegimeThresholds(trendWindow: 0)) == "trendWindow")
        #expect(field(RegimeThresholds(periodsPerYear: 0)) == "periodsPerYear")
        #expect(field(RegimeThresholds(crisisVolatility: 0.2)) == "crisisVolatility")
        #expect(field(RegimeThresholds(stressDrawdown: 1.5)) == "stressDrawdown")
        #expect(throws: DomainError.self) { try ThresholdRegimeClassifier(thresholds: RegimeThresholds(peakWindow: -1)) }
    }

    /// No lookahead: classifying bars 0…k gives, for those bars, exactly the readings of the
    /// full series.
    @Test func prefixesGiveTheSameReadings() throws {
        let series = try SyntheticBars.generate(symbol: "LOOK", bars: 1_200, seed: 11)
        let full = try ThresholdRegimeClassifier.classify(closes: series.close)
        for k in [1, 59, 60, 61, 300, 777, 1_199] {
            let prefix = try ThresholdRegimeClassifier.classify(closes: Array(series.close[0..<k]))
            #expect(prefix.count == k)
            #expect(zip(prefix, full).allSatisfy(same), "prefix \(k) differs")
        }
    }

    @Test func drawdownUsesTheRollingPeak() throws {
        // Up to 200, then down 1 % a bar; a 5-bar peak window forgets the top after 5 bars.
        var closes = (0...10).map { 100 + 10 * Double($0) }
        for _ in 0..<10 { closes.append(closes.last! * 0.99) }
        let readings = try ThresholdRegimeClassifier.classify(
            closes: closes, thresholds: RegimeThresholds(volatilityWindow: 2, trendWindow: 2, peakWindow: 5))
        #expect(readings[10].drawdown == 0)
        #expect(abs(readings[13].drawdown - (1 - 0.99 * 0.99 * 0.99)) < 1e-12)  // peak 200 at bar 10
        #expect(abs(readings[15].drawdown - (1 - 0.99 * 0.99 * 0.99 * 0.99)) < 1e-12)  // window 11…15: peak at bar 11
    }

    @Test func periodsPerYearFollowTheCalendar() throws {
        let daily = try SyntheticBars.generate(symbol: "D", bars: 100, seed: 1)
        #expect(RegimeThresholds.periodsPerYear(for: daily) == 252)
        let weekly = try SyntheticBars.generate(symbol: "W", bars: 100, seed: 1, timeframe: .week1)
        #expect(abs(RegimeThresholds.periodsPerYear(for: weekly) - 365.25 / 7) < 1e-12)
        let everyDay = try BarSeries(symbol: "E", timeframe: .day1, timestamps: (0..<70).map { Int64($0) * Timestamp.nanosPerDay },
                                     open: Array(repeating: 1, count: 70), high: Array(repeating: 1, count: 70),
                                     low: Array(repeating: 1, count: 70), close: Array(repeating: 1, count: 70),
                                     volume: Array(repeating: 0, count: 70))
        #expect(RegimeThresholds.periodsPerYear(for: everyDay) == 365)
    }

    @Test func hourlyBarsAreResampledToDailyCloses() throws {
        let hourly = try SyntheticBars.generate(symbol: "H", bars: 24 * 5, seed: 3, timeframe: .hour1)
        let daily = DailyBars.resample(hourly)
        #expect(daily.count == 5 && daily.timeframe == .day1)
        #expect(daily.close[0] == hourly.close[23] && daily.open[1] == hourly.open[24])
        #expect(daily.high[2] == hourly.high[48..<72].max()! && daily.low[2] == hourly.low[48..<72].min()!)
        #expect(daily.volume[4] == hourly.volume[96..<120].reduce(0, +))
        #expect(daily.timestamps[1] - daily.timestamps[0] == Timestamp.nanosPerDay)
    }

    @Test func scanInParallelMatchesOneByOne() async throws {
        let series = try SyntheticBars.generate(symbols: (0..<12).map { "S\($0)" }, bars: 400, seed: 5)
        let parallel = try await RegimeScan.regimes(series, jobs: 3)
        for (s, r) in zip(series, parallel) {
            #expect(r == (try ThresholdRegimeClassifier.regimes(closes: s.close)))
        }
        await #expect(throws: DomainError.self) { _ = try await RegimeScan.regimes(series, jobs: 0) }
    }
}
