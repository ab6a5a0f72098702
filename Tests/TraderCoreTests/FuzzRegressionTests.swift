import Testing
import TraderCore

/// Inputs the fuzz targets found (docs/fuzzing.md): each now ends in a clean error.
@Suite struct CoreFuzzRegressionTests {
    /// cli target, input "\u{3}9999999999999999w": the count times the unit overflowed Int64.
    @Test func timeframesAreBounded() throws {
        for text in ["9999999999999999w", "9223372036854775807", "367d", "53w", "0m", "-5m", "m", ""] {
            #expect(throws: DomainError.self, "\(text)") { try Timeframe(parsing: text) }
        }
        #expect(try Timeframe(parsing: "52w").seconds == 52 * 604_800)
        #expect(try Timeframe(parsing: "366d").seconds == 366 * 86_400)
        #expect(try Timeframe(parsing: "15m") == .minute15)
    }

    /// csv target, input crash-e209533fddc6: bars in 1709 and 2017 are 9.7e18 ns apart, more
    /// than an Int64 holds; inferring the spacing trapped on the difference.
    @Test func inferringTheSpacingOfFarApartBars() {
        let nanosPerYear = Int64(365.25 * 86_400) * 1_000_000_000
        let bars: [Int64] = [-154 * nanosPerYear, 154 * nanosPerYear, 154 * nanosPerYear + 3_600_000_000_000]
        #expect(Timeframe.infer(from: bars)?.seconds == 3600)
        #expect(Timeframe.infer(from: [.min, .max]) == nil)
    }

    /// numbers target, input `-9223372036854775807` (epoch nanoseconds near Int64.min): the
    /// calendar fields, and so every message or report printing the time, trapped.
    @Test func theEarliestTimestampsPrint() {
        #expect(Timestamp(nanos: -9_223_372_036_854_775_807).description == "1677-09-21T00:12:43.145224193")
        #expect(Timestamp(nanos: .min).components.year == 1677)
        #expect(Timestamp(nanos: .max).description == "2262-04-11T23:47:16.854775807")
        #expect(Timestamp(nanos: -1).description == "1969-12-31T23:59:59.999999999")
    }
}
