import Foundation
import Testing
import TraderCore
import TraderData

/// Inputs the fuzz targets found (docs/fuzzing.md), fed exactly as found.
@Suite struct DataFuzzRegressionTests {
    /// csv target, input crash-e209533fddc6: a first row in 1709 and the next in 2017 (9.7e18 ns
    /// apart) trapped while the reader inferred the bar spacing, and once that was fixed, in the
    /// backtest's statistics (every difference of two times is an Int64 of nanoseconds). A
    /// series must span less than 292 years: the second row is refused.
    @Test func barsCenturiesApartAreRefused() throws {
        let input = Data(base64Encoded: "RGF0ZSxPcGVuLEhpZ2gsTG93LENsb3NlLF1vbHVtZQoxNzA5LTA0LTE5VDA5OjAwOjAwLDEuMDcxNiwxLjA3MjIsMS4wNzA4MywxLjA3MjE5LDE0MTMKMjAxNy0wNC0xOVQxMDowMDowMCwxLjA3MjE0LDEuMDcyOTYsMS4wNzIxNCwxLjA3MjYsMTI0MQoyMDE3LTA0LTE5VDExOjAwOjAwLDEuMDcyNTYsMS4wNzI5OSwxLjA3MTcsMS4wNzE5MiwxMDI1CjIwMTctMDQtMTlUMTI6MDA6MDAsMS4wNzE5NSwxLjA3MjgsMS4wNzE5NSwxLjA3MjAyLDE0NjAKMjAxNy0wNC0xOVQxMzo0MDowMCwxLjA3MiwxLjA3MjMsMS4wNzA0NSwxLjA3MDUsMTU1NAoyMDE3LTA0LTE5VDE0OjAwOjAwLDEuMDcwNTQsMS4wNzIwMiwxLjA3MDQ0LDEuMDcxMjgsMjM0MgoyMDE3LTA0LTE5VDE1OjAwOjAwLDEuMDcxMjcsMS4wNzE4NywxLjA3MDAyLDEuMDQwNzYsMTg2NwoyMDE3LTA0LTE5VDE2OjAwOjAwLDEuMDcwNjgsMS4wNzE1MiwxLjA3MDUsMS4wNzEwMiwxMzQ5CjIwMTctMDQtMTlUMTc6MDA6MDAsMS4wNzEwNywxLjA3MTQsMS4wNzA5NCwxLjA3MTIyLDY2MwoyMDE3LTA0LTE5VDE4OjAwOjAwLDEuMDcxMiwxLjA3MjMyLDEuMDcxMiwxLjA3MjAyLDgwMgoyMDE3LTA0LTE5VDE5OjAwOjAwLDEuMDcxOTgsMS4wNzIxNCwxLjA3MDk4LDEuMDcxNjIsNjI0Cg==")!
        #expect(throws: DataError.malformed(file: "found.csv", line: 3, reason:
            "timestamp 2017-04-19T10:00:00 is more than 292 years after the first row's 1709-04-19T09:00:00")) {
            try CSVBarReader.parse(Array(input), source: "found.csv", symbol: "FOUND")
        }
        // 291 years are fine.
        let text = "Date,Open,High,Low,Close\n1726-01-01,1,1,1,1\n2017-01-01,1,1,1,1\n"
        #expect(try CSVBarReader.parse(Array(text.utf8), source: "ok.csv", symbol: "OK").count == 2)
    }

    /// numbers target, input `-9223372036854775807` (found-799287ff4423): the earliest times
    /// print, but did not read back (the whole second, 1677-09-21T00:12:43, times 10^9 lies
    /// beyond Int64 though the time with its fraction does not). Every printed time reads back.
    @Test func theEarliestTimesReadBack() {
        for nanos: Int64 in [-9_223_372_036_854_775_807, .min, -9_223_372_036_000_000_000, -1, .max] {
            let text = Timestamp(nanos: nanos).description
            #expect(TimestampParser.parse(text)?.nanos == nanos, "\(nanos) printed as \(text)")
        }
        #expect(TimestampParser.parse("1677-09-21T00:12:43.145224191") == nil, "one nanosecond before the first")
    }
}
