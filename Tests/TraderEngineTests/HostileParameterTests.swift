import Testing
import TraderCore
import TraderData
import TraderStrategies
@testable import TraderEngine

/// Parameters a hostile user (or a fuzzer) can give: refused by name before anything is allocated
/// or converted, never a trap.
@Suite struct HostileParameterTests {
    @Test func strategyWindowsAreBounded() {
        // 999999999 would allocate an 8 GB window; Int.max would trap converting to Int.
        for (name, value) in [("slow", 999_999_999.0), ("slow", 9.223372036854776e18), ("fast", -5), ("fast", .nan)] {
            #expect(throws: StrategyError.self) { try StrategySpec(name: "sma-crossover", overrides: [name: value]) }
        }
        #expect((try? StrategySpec(name: "sma-crossover", overrides: ["slow": Double(Bounds.maxWindow)])) != nil)
    }

    @Test func windowsLongerThanTheDataAreRefusedBeforeRunning() throws {
        let spec = try StrategySpec(name: "sma-crossover", overrides: ["slow": 5000])
        #expect(spec.longestWindow?.name == "slow" && spec.longestWindow?.bars == 5000)
        #expect(throws: StrategyError.invalidParameter(strategy: "sma-crossover", name: "slow", reason: "is 5000 bars, longer than the data (2148 bars)")) {
            try spec.checkFits(barCount: 2148)
        }
        let series = try SyntheticBars.generate(symbol: "T", bars: 300, seed: 1)
        #expect(throws: StrategyError.self) { try Backtester.run(spec, on: series, settings: ExecutionSettings()) }
        let ensemble = try StrategySpec(name: "ensemble", members: [("momentum", 1), ("mean-reversion", 1)])
        #expect(ensemble.longestWindow?.bars == 20)
    }

    @Test func executionSettingsHaveOneRangeEach() {
        var s = ExecutionSettings()
        s.initialCapital = 1e308
        #expect(throws: DomainError.invalid(field: "capital", reason: "must be a number between 0.01 and 1e12, got 1e+308")) { try s.validate() }
        s = ExecutionSettings()
        s.takeProfit = 50
        #expect(throws: DomainError.self) { try s.validate() }
        #expect(throws: DomainError.self) { try CommissionModel(rate: .infinity) }
        #expect(throws: DomainError.self) { try SlippageModel(slippageBps: 1e9) }
    }

    @Test func hugeRangesAreRefusedWithoutTrapping() throws {
        // (stop - start) / step is infinite or beyond Int here: it must be checked before the
        // conversion to a count.
        for text in ["fast=1:1e308:1", "fast=-1e308:1e308:1e-308", "fast=0:9e18:1", "fast=1:2:1e-300"] {
            #expect(throws: OptimizationError.self) { try ParameterRange(parsing: text) }
        }
        for text in ["fast=0x10", "fast=inf", "fast=1:nan:1", "fast=1,2,0x3"] {
            #expect(throws: OptimizationError.self) { try ParameterRange(parsing: text) }
        }
        let big = try ParameterRange(parsing: "fast=1:1000000:1")
        let space = try ParameterSpace(ranges: [big,
            try ParameterRange(parsing: "slow=1:1000000:1"), try ParameterRange(parsing: "threshold=1:1000000:1"),
            try ParameterRange(parsing: "lookback=1:1000000:1"),
        ], known: ["fast", "slow", "threshold", "lookback"])
        #expect(space.productSize == Int.max)  // saturates instead of overflowing
        #expect(throws: OptimizationError.self) { try space.grid() }
    }

    @Test func rangesAreCheckedAgainstTheStrategyAndTheData() throws {
        let descriptor = try StrategyCatalog.descriptor(named: "sma-crossover")
        let tooLong = try ParameterSpace(ranges: [try ParameterRange(parsing: "slow=20:3000:20")], known: ["fast", "slow"])
        try tooLong.check(against: descriptor)
        #expect(throws: OptimizationError.malformedRange("slow", reason: "slow up to 3000 bars is longer than the data (2148 bars)")) {
            try tooLong.check(against: descriptor, barCount: 2148)
        }
        let outOfBounds = try ParameterSpace(ranges: [try ParameterRange(parsing: "fast=0,5")], known: ["fast", "slow"])
        #expect(throws: OptimizationError.self) { try outOfBounds.check(against: descriptor) }
    }

    @Test func walkForwardSaysWhyNoFoldFits() throws {
        let series = try SyntheticBars.generate(symbol: "T", bars: 500, seed: 3)  // daily bars, about two years
        let short = try WalkForward.Windows(trainDays: 1000, testDays: 30, stepDays: 30)
        #expect(WalkForward.whyNoSplits(series, short).hasPrefix("the data spans"))
        let tiny = try WalkForward.Windows(trainDays: 1, testDays: 1, stepDays: 1)
        #expect(WalkForward.splits(of: series, windows: tiny).isEmpty)
        #expect(WalkForward.whyNoSplits(series, tiny).contains("hold too few bars"))
        #expect(throws: OptimizationError.self) { try WalkForward.Windows(trainDays: Int.max) }
    }
}
