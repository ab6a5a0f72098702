import Testing
import TraderEngine

/// Inputs the cli fuzz target reaches (docs/fuzzing.md): each now ends in a clean error.
@Suite struct EngineFuzzRegressionTests {
    /// "\u{0}fast=1:1e308:1": 1e308 values do not fit the Int the count was converted to.
    @Test func rangesTooLargeToCountAreRefused() throws {
        for text in ["fast=1:1e308:1", "fast=-1e308:1e308:1", "fast=0:1:1e-320"] {
            #expect(throws: OptimizationError.malformedRange(text, reason: "more than 1000000 values"), "\(text)") { try ParameterRange(parsing: text) }
        }
        #expect(throws: OptimizationError.malformedRange("fast=0x10", reason: "'0x10' is not a decimal number")) { try ParameterRange(parsing: "fast=0x10") }
        #expect(try ParameterRange(parsing: "fast=5:50:5").values.count == 10)
        #expect(try ParameterRange(parsing: "slow=0:999999:1").values.count == 1_000_000)
    }
}
