import Foundation
import Testing
import TraderCore
import TraderData

/// The real files shipped in `data/sample`.
@Suite("Sample data")
struct SampleDataTests {
    @Test func goog() throws {
        let series = try CSVBarReader.read(path: repositoryRoot + "/data/sample/GOOG.csv")
        #expect(series.symbol == "GOOG")
        #expect(series.count == 2148)
        #expect(series.timeframe == .day1)
        // First row: 2004-08-19,100.0,104.06,95.96,100.34,22351900
        let first = try #require(series.first)
        #expect(first == Bar(timestamp: Timestamp(nanos: day(2004, 8, 19)), open: 100.0, high: 104.06, low: 95.96,
                              close: 100.34, volume: 22_351_900))
        // Last row: 2013-03-01,797.8,807.14,796.15,806.19,2175400
        let last = try #require(series.last)
        #expect(last == Bar(timestamp: Timestamp(nanos: day(2013, 3, 1)), open: 797.8, high: 807.14, low: 796.15,
                             close: 806.19, volume: 2_175_400))
        #expect(!series.tradesOnWeekends)
    }

    @Test func eurusd() throws {
        let series = try CSVBarReader.read(path: repositoryRoot + "/data/sample/EURUSD.csv")
        #expect(series.symbol == "EURUSD")
        #expect(series.count == 5000)
        #expect(series.timeframe == .hour1)
        // First row: 2017-04-19T09:00:00,1.0716,1.0722,1.07083,1.07219,1413
        #expect(series[0] == Bar(timestamp: Timestamp(nanos: time(2017, 4, 19, 9, 0)), open: 1.0716, high: 1.0722,
                                 low: 1.07083, close: 1.07219, volume: 1413))
        // Last row: 2018-02-07T15:00:00,1.23427,1.23444,1.22904,1.22904,6143
        #expect(series[4999] == Bar(timestamp: Timestamp(nanos: time(2018, 2, 7, 15, 0)), open: 1.23427, high: 1.23444,
                                    low: 1.22904, close: 1.22904, volume: 6143))
    }

    @Test func readerAgreesWithTheCheckedInitializer() throws {
        for name in ["GOOG", "EURUSD"] {
            let series = try CSVBarReader.read(path: repositoryRoot + "/data/sample/\(name).csv")
            let checked = try BarSeries(symbol: series.symbol, columns: series.timestamps, open: series.open,
                                        high: series.high, low: series.low, close: series.close, volume: series.volume)
            #expect(checked.timeframe == series.timeframe)
        }
    }

    @Test(arguments: ["GOOG", "EURUSD"])
    func samplesRoundTripThroughTheWriterByteForByte(name: String) throws {
        // The samples are written in exactly the writer's format, so writing them back reproduces them.
        let path = repositoryRoot + "/data/sample/\(name).csv"
        let series = try CSVBarReader.read(path: path)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(CSVBarWriter.encode(series) == original)
    }
}
