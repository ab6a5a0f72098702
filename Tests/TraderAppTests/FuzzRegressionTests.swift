import Foundation
import Testing
import TraderCore
@testable import TraderApp

/// Inputs the fuzz targets found (docs/fuzzing.md), fed exactly as found: each now ends in a
/// clean error or a normal result.
@Suite struct AppFuzzRegressionTests {
    /// config target, input crash-948ecae67b6e: a tab inside an unknown key went into the error
    /// line as a raw control character.
    @Test func configKeysAreQuotedEscaped() throws {
        let input = Data(base64Encoded: "c3lzdGVtOgogZQlnX2wgb3ZsZXBpdGFsOiA1MDAwPTAwLjAgZmlsbCBvc2M6bGQKb3B0aW1pemhlOgogIGpvcyMgc3ltYm9sc28gZmFsc2UK")!
        let error = #expect(throws: AppError.self) { try AppConfiguration.parsing(String(decoding: input, as: UTF8.self), file: "found.yaml") }
        #expect(error?.message == "found.yaml:2:2: unknown key 'e\\tg_l ovlepital' in section system; known: log_level, log_format, log_file")
        let value = #expect(throws: AppError.self) { try AppConfiguration.parsing("backtest:\n  capital: \"\(String(repeating: "9", count: 10_000))\"\n", file: "v.yaml") }
        #expect(value.map { DisplayText.isPlainLine($0.message) && $0.message.count < 300 } == true, "\(value?.message.count ?? 0)")
    }

    /// cli target, input "\u{5}sma:1e19": normalizing the spec trapped converting 10^19 to Int64.
    @Test func seriesSpecsWithHugeNumbersDoNotTrap() throws {
        // 1e19 has no Int: refused by its range before anything converts it.
        let error = #expect(throws: AppError.self) { try IndicatorSeries.normalized("sma:1e19") }
        #expect(error?.message == "--series sma:1e19: period must be a whole number between 1 and 1000000 bars, got 1e+19")
        #expect(try IndicatorSeries.normalized("bollinger:20:2.5") == "bollinger:20:2.5")
    }
}
