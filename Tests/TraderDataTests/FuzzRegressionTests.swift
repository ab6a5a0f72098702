import Foundation
import Testing
import TraderCore
import TraderData

/// Inputs the fuzz targets found (docs/fuzzing.md), fed exactly as found.
@Suite struct DataFuzzRegressionTests {
    /// csv target, input crash-e209533fddc6: a first row in 1709 and the next in 2017 (9.7e18 ns
    /// apart) trapped while the reader inferred the bar spacing; the file is valid and now reads.
    @Test func barsCenturiesApartRead() throws {
        let input = Data(base64Encoded: "RGF0ZSxPcGVuLEhpZ2gsTG93LENsb3NlLF1vbHVtZQoxNzA5LTA0LTE5VDA5OjAwOjAwLDEuMDcxNiwxLjA3MjIsMS4wNzA4MywxLjA3MjE5LDE0MTMKMjAxNy0wNC0xOVQxMDowMDowMCwxLjA3MjE0LDEuMDcyOTYsMS4wNzIxNCwxLjA3MjYsMTI0MQoyMDE3LTA0LTE5VDExOjAwOjAwLDEuMDcyNTYsMS4wNzI5OSwxLjA3MTcsMS4wNzE5MiwxMDI1CjIwMTctMDQtMTlUMTI6MDA6MDAsMS4wNzE5NSwxLjA3MjgsMS4wNzE5NSwxLjA3MjAyLDE0NjAKMjAxNy0wNC0xOVQxMzo0MDowMCwxLjA3MiwxLjA3MjMsMS4wNzA0NSwxLjA3MDUsMTU1NAoyMDE3LTA0LTE5VDE0OjAwOjAwLDEuMDcwNTQsMS4wNzIwMiwxLjA3MDQ0LDEuMDcxMjgsMjM0MgoyMDE3LTA0LTE5VDE1OjAwOjAwLDEuMDcxMjcsMS4wNzE4NywxLjA3MDAyLDEuMDQwNzYsMTg2NwoyMDE3LTA0LTE5VDE2OjAwOjAwLDEuMDcwNjgsMS4wNzE1MiwxLjA3MDUsMS4wNzEwMiwxMzQ5CjIwMTctMDQtMTlUMTc6MDA6MDAsMS4wNzEwNywxLjA3MTQsMS4wNzA5NCwxLjA3MTIyLDY2MwoyMDE3LTA0LTE5VDE4OjAwOjAwLDEuMDcxMiwxLjA3MjMyLDEuMDcxMiwxLjA3MjAyLDgwMgoyMDE3LTA0LTE5VDE5OjAwOjAwLDEuMDcxOTgsMS4wNzIxNCwxLjA3MDk4LDEuMDcxNjIsNjI0Cg==")!
        let series = try CSVBarReader.parse(Array(input), source: "found.csv", symbol: "FOUND")
        #expect(series.count == 11)
        #expect(series.timeframe == .hour1)
    }
}
