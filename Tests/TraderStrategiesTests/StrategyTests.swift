import Testing
import TraderCore
@testable import TraderStrategies

/// Feeds closes (open = high = low = close unless given) and collects the signals.
func signals<S: Strategy>(_ strategy: S, closes: [Double], highs: [Double]? = nil, lows: [Double]? = nil) -> [Signal] {
    var s = strategy
    var context = StrategyContext()
    return closes.indices.map { i in
        let bar = Bar(timestamp: Timestamp(seconds: Int64(i) * 86_400), open: closes[i], high: highs?[i] ?? closes[i],
                      low: lows?[i] ?? closes[i], close: closes[i], volume: 1)
        return s.onBar(bar, context: &context)
    }
}

@Suite struct StrategyRuleTests {
    @Test func smaCrossoverFiresOnlyOnCrosses() throws {
        // fast 2 / slow 3: flat, then up, then down.
        let closes: [Double] = [10, 10, 10, 10, 13, 16, 16, 10, 4, 4]
        let out = signals(try SMACrossover(fast: 2, slow: 3), closes: closes)
        // Bar 4: fast 11.5 > slow 11, but on bar 3 they were equal (10 = 10), not below: no cross
        // under backtesting.lib.crossover's strict comparisons. Bar 7: 16 > 15 then 13 < 14.
        #expect(out.filter { $0 != .hold }.count == 1)
        #expect(out[4] == .hold)
        #expect(out.firstIndex(of: .sell) == 7)
    }

    @Test func smaCrossoverCrossUpAfterBeingBelow() throws {
        let closes: [Double] = [10, 9, 8, 7, 9, 12, 15]
        let out = signals(try SMACrossover(fast: 2, slow: 4), closes: closes)
        // fast/slow at 3: 7.5/8.5 (below); at 4: 8/8.25 (below); at 5: 10.5/9 (above) → buy at 5.
        #expect(out.firstIndex(of: .buy) == 5)
        #expect(!out.contains(.sell))
    }

    @Test func momentumComparesWithLookbackClose() throws {
        let closes: [Double] = [100, 100, 100, 103, 100, 97]
        let out = signals(try Momentum(lookback: 2, threshold: 0.02), closes: closes)
        #expect(out == [.hold, .hold, .hold, .buy, .hold, .sell])
    }

    @Test func meanReversionBuysBelowLowerBand() throws {
        // Bands include the current bar (pandas rolling): window of 10 ending at 90 has
        // lower band 92.47; the next window ending at 115 has upper band 112.58.
        let closes: [Double] = [100, 101, 99, 100, 101, 99, 100, 101, 99, 100, 101, 99, 90, 115]
        let out = signals(try MeanReversion(period: 10, deviations: 2), closes: closes)
        #expect(out[12] == .buy)
        #expect(out[13] == .sell)
        #expect(out[0..<12].allSatisfy { $0 == .hold })
    }

    @Test func breakoutUsesPreviousChannel() throws {
        let closes: [Double] = [10, 11, 12, 11, 12, 13, 9]
        let out = signals(try Breakout(lookback: 3), closes: closes, highs: closes, lows: closes)
        // bar 3: channel of 0..2 is [10, 12]; 11 inside. bar 5: channel of 2..4 = [11, 12]; 13 breaks out.
        #expect(out[3] == .hold)
        #expect(out[5] == .buy)
        #expect(out[6] == .sell)
        #expect(out[0..<3].allSatisfy { $0 == .hold })
    }

    @Test func scalpThresholdInBasisPoints() throws {
        let out = signals(try Scalp(bps: 5), closes: [100, 100.04, 100.1, 100.0])
        #expect(out == [.hold, .hold, .buy, .sell])
    }

    @Test func volatilityFilterStepsAsideInTurbulence() throws {
        var closes: [Double] = (0..<25).map { 100 + Double($0) * 0.1 }
        closes += [110, 95, 112, 93]
        let out = signals(try VolatilityFilter(period: 5, threshold: 0.02), closes: closes)
        #expect(out[24] == .buy)
        #expect(out.last == .sell)
    }

    @Test func ensembleNeedsAWeightedMajority() throws {
        struct Fixed: Strategy {
            let s: Signal
            var warmupBars: Int { 1 }
            mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal { s }
        }
        func vote(_ a: Signal, _ b: Signal, _ c: Signal) throws -> Signal {
            let e = try Ensemble(members: [.init(name: "a", weight: 0.4, strategy: Fixed(s: a)),
                                           .init(name: "b", weight: 0.3, strategy: Fixed(s: b)),
                                           .init(name: "c", weight: 0.3, strategy: Fixed(s: c))], threshold: 0.5)
            return signals(e, closes: [1])[0]
        }
        #expect(try vote(.buy, .hold, .hold) == .hold)    // 0.4
        #expect(try vote(.buy, .buy, .hold) == .buy)      // 0.7
        #expect(try vote(.hold, .buy, .buy) == .buy)      // 0.6
        #expect(try vote(.buy, .sell, .sell) == .hold)    // -0.2
        #expect(try vote(.sell, .sell, .hold) == .sell)   // -0.7
    }
}

@Suite struct StrategyCatalogTests {
    @Test func defaultsAreBotV2s() throws {
        let expected: [String: [String: Double]] = [
            "sma-crossover": ["fast": 10, "slow": 30], "momentum": ["lookback": 20, "threshold": 0.02],
            "mean-reversion": ["period": 20, "std": 2], "volatility": ["period": 20, "threshold": 0.02],
            "breakout": ["lookback": 20], "scalp": ["bps": 5], "ensemble": ["threshold": 0.5],
        ]
        for (name, params) in expected {
            #expect(try StrategySpec(name: name).parameters == params, "\(name)")
        }
        let ensemble = try StrategySpec(name: "ensemble")
        #expect(ensemble.members.map(\.spec.name) == ["momentum", "mean-reversion", "sma-crossover"])
        #expect(ensemble.members.map(\.weight) == [0.4, 0.3, 0.3])
    }

    @Test func invalidParametersAreRefusedByName() {
        #expect(throws: StrategyError.constraint(strategy: "sma-crossover", reason: "fast (30) must be < slow (20)")) {
            try StrategySpec(name: "sma-crossover", overrides: ["fast": 30, "slow": 20])
        }
        #expect(throws: StrategyError.self) { try StrategySpec(name: "momentum", overrides: ["lookback": 0]) }
        #expect(throws: StrategyError.self) { try StrategySpec(name: "momentum", overrides: ["lookback": 2.5]) }
        #expect(throws: StrategyError.self) { try StrategySpec(name: "breakout", overrides: ["lookback": -3]) }
        #expect(throws: StrategyError.self) { try StrategySpec(name: "scalp", overrides: ["bps": 0]) }
        #expect(throws: StrategyError.unknownParameter(strategy: "breakout", name: "fast", known: ["lookback"])) {
            try StrategySpec(name: "breakout", overrides: ["fast": 3])
        }
        #expect(throws: StrategyError.self) { try StrategySpec(name: "nope") }
        #expect(throws: StrategyError.self) { try StrategySpec(name: "ensemble", members: [("ensemble", 1)]) }
        #expect(throws: StrategyError.self) { try StrategySpec(name: "ensemble", members: [("momentum", -1)]) }
        #expect(throws: StrategyError.self) { try StrategySpec(name: "momentum", members: [("breakout", 1)]) }
    }

    @Test func errorMessagesNameStrategyAndParameter() {
        let e = StrategyError.invalidParameter(strategy: "momentum", name: "lookback", reason: "must be >= 1, got 0")
        #expect(e.description == "momentum: parameter 'lookback' must be >= 1, got 0")
    }

    @Test func everyCatalogEntryBuilds() throws {
        for d in StrategyCatalog.all {
            let spec = try StrategySpec(name: d.name)
            let s = try spec.makeStrategy()
            #expect(s.warmupBars > 0)
            #expect(spec.description.hasPrefix(d.name + "("))
        }
    }
}
