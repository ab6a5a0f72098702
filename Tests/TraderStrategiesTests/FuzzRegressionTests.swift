import Testing
import TraderStrategies

/// Inputs the cli fuzz target reaches through `--strategy NAME --param name=value`
/// (docs/fuzzing.md): each now ends in a clean error.
@Suite struct StrategyFuzzRegressionTests {
    /// "\u{6}sma-crossover\nfast=1e300": a whole number too large for Int passed validation and
    /// trapped when the strategy was built; -1e300 trapped formatting the error message.
    @Test func hugeWholeNumbersAreRefused() throws {
        for value in [1e300, -1e300, 1e16] {
            #expect(throws: StrategyError.invalidParameter(strategy: "sma-crossover", name: "fast", reason: "must be a whole number between 1 and 1000000 bars, got \(value)")) {
                try StrategySpec(name: "sma-crossover", overrides: ["fast": value])
            }
        }
        #expect(throws: StrategyError.self) { try StrategySpec(name: "breakout", overrides: ["lookback": -9.3e18]) }
        #expect(try StrategySpec(name: "sma-crossover", overrides: ["fast": 5, "slow": 20])["fast"] == 5)
    }
}
