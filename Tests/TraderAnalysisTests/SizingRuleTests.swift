import Foundation
import Testing
import TraderCore
import TraderEngine
@testable import TraderAnalysis

/// Closed-trade statistics of `wins` trades returning `win` and `losses` trades losing `loss`.
func tradeRecord(wins: Int, win: Double, losses: Int, loss: Double, breakEven: Int = 0) -> ClosedTradeStatistics {
    var s = ClosedTradeStatistics()
    for _ in 0..<wins { s.add(returnPct: win) }
    for _ in 0..<losses { s.add(returnPct: -loss) }
    for _ in 0..<breakEven { s.add(returnPct: 0) }
    return s
}

func request(price: Double = 100, exposure: Double = 0, confidence: Double = 1,
             trades: ClosedTradeStatistics = ClosedTradeStatistics()) -> SizingRequest {
    SizingRequest(barIndex: 50, time: Timestamp(nanos: 0), side: .buy, price: price, equity: 10_000, exposure: exposure,
                  confidence: confidence, trades: trades)
}

/// A daily bar on day `day` (from 2024-01-01).
func dailyBar(_ day: Int, open: Double? = nil, high: Double, low: Double, close: Double) -> Bar {
    Bar(timestamp: Timestamp(nanos: Timestamp(year: 2024, month: 1, day: 1).nanos + Int64(day) * Timestamp.nanosPerDay),
        open: open ?? close, high: high, low: low, close: close, volume: 1000)
}

@Suite struct KellySizingTests {
    @Test func formulaOnKnownOdds() {
        // f = p − (1 − p) / b
        #expect(abs(KellySizer.kellyFraction(winRate: 0.6, payoffRatio: 1) - 0.2) < 1e-12)
        #expect(abs(KellySizer.kellyFraction(winRate: 0.4, payoffRatio: 1) - -0.2) < 1e-12)
        #expect(KellySizer.kellyFraction(winRate: 0.5, payoffRatio: 2) == 0.25)
        #expect(KellySizer.kellyFraction(winRate: 0.7, payoffRatio: .infinity) == 0.7)  // never lost
        #expect(KellySizer.kellyFraction(winRate: 0, payoffRatio: 0) == -.infinity)     // never won
    }

    @Test func statisticsFromTrades() throws {
        let s = tradeRecord(wins: 6, win: 0.1, losses: 4, loss: 0.1)
        #expect(s.count == 10 && s.wins == 6 && s.losses == 4)
        #expect(s.winRate == 0.6)
        #expect(abs(s.averageWin - 0.1) < 1e-15 && abs(s.averageLoss - 0.1) < 1e-15)
        #expect(abs(s.payoffRatio - 1) < 1e-12)
        // A break-even trade is a non-win and no loss, as the report's win rate counts it.
        let even = tradeRecord(wins: 1, win: 0.2, losses: 1, loss: 0.1, breakEven: 2)
        #expect(even.winRate == 0.25 && even.payoffRatio == 2)
        // From real trades: long 100 → 110 is +10 %, short 100 → 110 is −10 %.
        var fromTrades = ClosedTradeStatistics()
        let t0 = Timestamp(nanos: 0)
        fromTrades.add(Trade(size: 10, entryBar: 0, exitBar: 1, entryTime: t0, exitTime: t0, entryPrice: 100, exitPrice: 110,
                             commission: 0, exitReason: .signal))
        fromTrades.add(Trade(size: -10, entryBar: 2, exitBar: 3, entryTime: t0, exitTime: t0, entryPrice: 100, exitPrice: 110,
                             commission: 0, exitReason: .signal))
        #expect(fromTrades.wins == 1 && fromTrades.losses == 1 && abs(fromTrades.payoffRatio - 1) < 1e-12)
        #expect(ClosedTradeStatistics().winRate.isNaN)
    }

    @Test func fullFractionalAndNegativeKelly() throws {
        let favourable = request(trades: tradeRecord(wins: 6, win: 0.1, losses: 4, loss: 0.1))   // p 0.6, b 1
        let unfavourable = request(trades: tradeRecord(wins: 4, win: 0.1, losses: 6, loss: 0.1)) // p 0.4, b 1
        let full = try KellySizer(multiplier: 1, minimumTrades: 10, fallback: 0.3)
        #expect(abs(full.fraction(for: favourable) - 0.2) < 1e-12)
        let quarter = try KellySizer(multiplier: 0.25, minimumTrades: 10, fallback: 0.3)
        #expect(abs(quarter.fraction(for: favourable) - 0.05) < 1e-12)
        // A negative edge: no position, or the floor when one is set.
        #expect(full.fraction(for: unfavourable) == 0)
        #expect(try KellySizer(minimumTrades: 10, fallback: 0.3, floor: 0.01).fraction(for: unfavourable) == 0.01)
        // Through the limits as the CLI builds it, f ≤ 0 stays "no position".
        var limited = LimitedSizer(full, limits: try SizingLimits())
        #expect(limited.fraction(for: unfavourable) == 0)
        #expect(full.summary.rule == "kelly" && quarter.summary.rule == "fractional-kelly")
    }

    @Test func fallbackUntilTheMinimumNumberOfTrades() throws {
        let sizer = try KellySizer(minimumTrades: 20, fallback: 0.3)
        #expect(sizer.fraction(for: request()) == 0.3)
        #expect(sizer.fraction(for: request(trades: tradeRecord(wins: 12, win: 0.1, losses: 7, loss: 0.1))) == 0.3)  // 19 trades
        let twenty = request(trades: tradeRecord(wins: 12, win: 0.1, losses: 8, loss: 0.1))  // p 0.6, b 1
        #expect(abs(sizer.fraction(for: twenty) - 0.2) < 1e-12)
    }

    @Test func invalidSettingsNameTheOption() {
        #expect(throws: DomainError.invalid(field: "kelly-fraction", reason: "must be in (0, 1], got 2")) {
            try KellySizer(multiplier: 2, fallback: 0.5)
        }
        #expect(throws: DomainError.self) { try KellySizer(minimumTrades: -1, fallback: 0.5) }
        #expect(throws: DomainError.self) { try KellySizer(fallback: 0) }
        #expect(throws: DomainError.self) { try KellySizer(fallback: 0.5, floor: -0.1) }
    }
}

@Suite struct VolatilityTargetSizingTests {
    @Test func fractionPutsOneATROfRiskAtTheTarget() throws {
        var sizer = try VolatilityTargetSizer(riskTarget: 0.01, atrPeriod: 14)
        #expect(sizer.observesBars)
        // Every bar spans 99–101 around a close of 100: each true range is 2, so ATR = 2 after 14.
        for day in 0..<13 { sizer.observe(dailyBar(day, high: 101, low: 99, close: 100)) }
        #expect(sizer.fraction(for: request()) == 0)  // ATR undefined yet: no position
        sizer.observe(dailyBar(13, high: 101, low: 99, close: 100))
        #expect(sizer.atr.value == 2)
        // f = target × price / ATR = 0.01 × 100 / 2: 50 units of 100 on 10,000, one ATR costs 100 = 1 %.
        #expect(sizer.fraction(for: request()) == 0.5)
        // A gap up to 100–104: true range max(4, |104 − 100|, |100 − 100|) = 4, Wilder: (2·13 + 4)/14.
        sizer.observe(dailyBar(14, high: 104, low: 100, close: 102))
        #expect(abs(sizer.atr.value - 30.0 / 14) < 1e-12)
        #expect(abs(sizer.fraction(for: request(price: 102)) - 0.01 * 102 / (30.0 / 14)) < 1e-12)
        // Through the limits: capped at the largest position.
        var limited = LimitedSizer(sizer, limits: try SizingLimits(maxPosition: 0.3))
        #expect(limited.fraction(for: request(price: 102)) == 0.3)
    }

    @Test func aDeadCalmMarketIsCappedNotInfinite() throws {
        var sizer = LimitedSizer(try VolatilityTargetSizer(riskTarget: 0.01, atrPeriod: 3), limits: try SizingLimits(maxPosition: 0.8))
        for day in 0..<3 { sizer.observe(dailyBar(day, high: 100, low: 100, close: 100)) }
        #expect(sizer.fraction(for: request()) == 0.8)
    }

    @Test func invalidSettingsNameTheOption() {
        #expect(throws: DomainError.self) { try VolatilityTargetSizer(riskTarget: 0) }
        do {
            _ = try VolatilityTargetSizer(riskTarget: 0.01, atrPeriod: 0)
            Issue.record("expected an error")
        } catch {
            #expect(error == .invalid(field: "atr-period", reason: "must be a whole number between 1 and 1000000 bars, got 0"))
        }
    }
}

/// Hands out a scripted regime per bar (a test double for the regime classifier).
struct ScriptedRegimeProvider: RegimeProvider {
    var script: [Regime?]
    var next = 0
    mutating func regime(after bar: Bar) -> Regime? {
        defer { next += 1 }
        return next < script.count ? script[next] : nil
    }
}

@Suite struct RegimeSizingTests {
    @Test func baseTimesTheRegimesMultiplier() throws {
        let expected: [(Regime, Double)] = [(.bullQuiet, 0.6), (.bullVolatile, 0.45), (.bearQuiet, 0.3), (.bearVolatile, 0.2),
                                            (.sidewaysQuiet, 0.5), (.sidewaysVolatile, 0.35), (.crisis, 0.1)]
        var sizer = try RegimeSizer(base: 0.5, provider: ScriptedRegimeProvider(script: [nil] + expected.map(\.0)))
        #expect(sizer.observesBars)
        sizer.observe(dailyBar(0, high: 101, low: 99, close: 100))
        #expect(sizer.regime == nil && sizer.fraction(for: request()) == 0.5)  // unknown yet: the base
        for (day, (regime, fraction)) in expected.enumerated() {
            sizer.observe(dailyBar(day + 1, high: 101, low: 99, close: 100))
            #expect(sizer.regime == regime)
            #expect(abs(sizer.fraction(for: request()) - fraction) < 1e-12, "\(regime)")
        }
    }

    @Test func aMultiplierAboveOneIsCappedByTheLimits() throws {
        var sizer = LimitedSizer(try RegimeSizer(base: 0.9, provider: ScriptedRegimeProvider(script: [.bullQuiet])),
                                 limits: try SizingLimits())
        sizer.observe(dailyBar(0, high: 101, low: 99, close: 100))
        #expect(sizer.fraction(for: request()) == 1)  // 0.9 × 1.2 = 1.08 → 1
    }

    /// `gpt-trader regime`'s threshold classifier is the provider `--sizing regime` uses: fed bar
    /// by bar it gives the same regimes as classifying all closes at once.
    @Test func theThresholdClassifierProvidesRegimes() throws {
        var closes: [Double] = []
        var price = 100.0
        for day in 0..<300 { price *= exp(day < 150 ? 0.002 : (day % 2 == 0 ? 0.04 : -0.05)); closes.append(price) }
        let expected = try ThresholdRegimeClassifier.regimes(closes: closes)
        var provider = try ThresholdRegimeClassifier()
        let fed = closes.enumerated().map { provider.regime(after: dailyBar($0, high: $1, low: $1, close: $1)) }
        #expect(fed == expected)
        #expect(Set(fed.compactMap { $0 }).count >= 2)
    }

}

@Suite struct ConfidenceAndFixedSizingTests {
    @Test func confidenceScalesTheBase() throws {
        let sizer = try ConfidenceSizer(base: 0.8)
        #expect(sizer.fraction(for: request(confidence: 0.5)) == 0.4)
        #expect(sizer.fraction(for: request(confidence: 1)) == 0.8)
        #expect(sizer.fraction(for: request(confidence: 1.5)) == 0.8)  // clamped to [0, 1]
        #expect(sizer.fraction(for: request(confidence: .nan)) == 0.8)  // no confidence: full
        #expect(sizer.fraction(for: request(confidence: 0)) == 0)
        #expect(!sizer.observesBars)
    }

    @Test func fixedIsTheFraction() throws {
        #expect(try FixedFractionSizer(fraction: 0.5).fraction(for: request()) == 0.5)
        #expect(throws: DomainError.self) { try FixedFractionSizer(fraction: 1.5) }
    }
}

@Suite struct SizingLimitsTests {
    @Test func clampToThePositionAndExposureCaps() throws {
        let limits = try SizingLimits(maxPosition: 0.5, maxExposure: 0.6)
        #expect(limits.clamp(0.8, exposure: 0) == 0.5)
        #expect(limits.clamp(0.4, exposure: 0) == 0.4)
        #expect(abs(limits.clamp(0.8, exposure: 0.3) - 0.3) < 1e-15)  // what the others leave
        #expect(limits.clamp(0.8, exposure: 0.7) == 0)                // nothing left
        #expect(limits.clamp(-0.2, exposure: 0) == 0)
        #expect(limits.clamp(.nan, exposure: 0) == 0)
        let open = try SizingLimits()
        #expect(open.clamp(1.7, exposure: 0) == 1)
        #expect(open.clamp(.infinity, exposure: 0) == 1)
    }

    @Test func limitsAreFractions() {
        #expect(throws: DomainError.invalid(field: "max-position", reason: "must be in (0, 1], got 0")) {
            try SizingLimits(maxPosition: 0)
        }
        #expect(throws: DomainError.self) { try SizingLimits(maxExposure: 1.5) }
    }

    @Test func limitedSizerAppliesTheLimitsAndReportsThem() throws {
        var sizer = LimitedSizer(try FixedFractionSizer(fraction: 0.9), limits: try SizingLimits(maxPosition: 0.25))
        #expect(sizer.fraction(for: request()) == 0.25)
        #expect(sizer.summary.description == "fixed(fraction=0.9, max_position=0.25, max_exposure=1)")
    }
}

@Suite struct SizingConfigurationTests {
    @Test func everyRuleBuildsItsSizer() throws {
        let expected: [SizingConfiguration.Rule: (String, Bool)] = [
            .fixed: ("fixed", false), .kelly: ("kelly", false), .fractionalKelly: ("fractional-kelly", false),
            .confidence: ("confidence", false), .regime: ("regime", true), .volatility: ("volatility", true),
        ]
        for rule in SizingConfiguration.Rule.allCases {
            let sizer = try SizingConfiguration(rule: rule).makeSizer()
            #expect(sizer.summary.rule == expected[rule]?.0, "\(rule)")
            #expect(sizer.observesBars == expected[rule]?.1, "\(rule)")
            #expect(sizer.summary.parameters.contains(.init("max_position", 1)))
        }
        var quarter = SizingConfiguration(rule: .fractionalKelly)
        quarter.minimumTrades = 0
        var sizer = try quarter.makeSizer()
        // Zero minimum still needs one trade to estimate from: the fallback before it.
        #expect(sizer.fraction(for: request()) == 1 - Double.ulpOfOne)
        #expect(abs(sizer.fraction(for: request(trades: tradeRecord(wins: 6, win: 0.1, losses: 4, loss: 0.1))) - 0.05) < 1e-12)
    }

    @Test func invalidValuesNameTheOption() {
        func field(_ configure: (inout SizingConfiguration) -> Void, rule: SizingConfiguration.Rule) -> String? {
            var c = SizingConfiguration(rule: rule)
            configure(&c)
            do { try c.validate(); return nil } catch { if case let .invalid(f, _) = error { return f }; return nil }
        }
        #expect(field({ $0.kellyFraction = 2 }, rule: .fractionalKelly) == "kelly-fraction")
        #expect(field({ $0.minimumTrades = -1 }, rule: .kelly) == "kelly-min-trades")
        #expect(field({ $0.kellyFloor = 2 }, rule: .kelly) == "kelly-floor")
        #expect(field({ $0.riskTarget = 0 }, rule: .volatility) == "risk-target")
        #expect(field({ $0.atrPeriod = 0 }, rule: .volatility) == "atr-period")
        #expect(field({ $0.baseFraction = 0 }, rule: .confidence) == "size")
        #expect(field({ $0.maxPosition = 1.5 }, rule: .fixed) == "max-position")
        #expect(field({ $0.maxExposure = 0 }, rule: .regime) == "max-exposure")
        #expect(field({ _ in }, rule: .volatility) == nil)
    }
}
