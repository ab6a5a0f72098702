import Testing
import TraderCore
import TraderData

@Suite("CSV writer")
struct CSVWriterTests {
    static func expectIdentical(_ a: BarSeries, _ b: BarSeries) {
        #expect(a.count == b.count)
        #expect(a.timestamps == b.timestamps)
        #expect(a.open.map(\.bitPattern) == b.open.map(\.bitPattern))
        #expect(a.high.map(\.bitPattern) == b.high.map(\.bitPattern))
        #expect(a.low.map(\.bitPattern) == b.low.map(\.bitPattern))
        #expect(a.close.map(\.bitPattern) == b.close.map(\.bitPattern))
        #expect(a.volume.map(\.bitPattern) == b.volume.map(\.bitPattern))
        #expect(a.timeframe == b.timeframe)
    }

    @Test func dailyRoundTripIsExact() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let series = try SyntheticBars.generate(symbol: "SYN", bars: 3000, seed: 11)
        let path = directory.path + "/syn.csv"
        try CSVBarWriter.write(series, to: path)
        let back = try CSVBarReader.read(path: path)
        #expect(back.symbol == "SYN")
        Self.expectIdentical(series, back)
        #expect(try directory.contents() == ["syn.csv"])  // no temporary file left behind
    }

    @Test func intradayRoundTripIsExact() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        for timeframe in [Timeframe.minute1, .minute5, .hour1, .hour4] {
            let series = try SyntheticBars.generate(symbol: "FX", bars: 2000, seed: 5, timeframe: timeframe, startPrice: 1.1)
            let path = directory.path + "/fx-\(timeframe).csv"
            try CSVBarWriter.write(series, to: path)
            Self.expectIdentical(series, try CSVBarReader.read(path: path, symbol: "FX"))
        }
    }

    @Test func awkwardValuesRoundTrip() throws {
        let t0 = time(2020, 1, 1, 0, 0)
        let timestamps = [t0, t0 + 1, t0 + 1_500_000_000, t0 + Timestamp.nanosPerDay, t0 + 2 * Timestamp.nanosPerDay + 123_000]
        let tiny = Double.leastNonzeroMagnitude
        let open = [tiny, 1e-7, 123_456_789.123_456_79, 1e21, 0.1]
        let high = [1.7976931348623157e308, 1e-7, 123_456_789.123_456_79, 2e21, 0.30000000000000004]
        let low = [tiny, (1e-7).nextDown, 1.0, 1e21, 0.1]
        let close = [2.2250738585072014e-308, 1e-7, 99.99, 1.5e21, 0.2]
        let volume = [0, 1e20, 0.5, 9_007_199_254_740_992, -0.0]
        let series = try BarSeries(symbol: "ODD", timestamps: timestamps, open: open, high: high, low: low,
                                   close: close, volume: volume)
        let text = String(decoding: CSVBarWriter.encode(series), as: UTF8.self)
        #expect(text.hasPrefix("Date,Open,High,Low,Close,Volume\n2020-01-01T00:00:00,5e-324,"))
        #expect(text.contains("\n2020-01-01T00:00:00.000000001,"))
        #expect(text.contains("\n2020-01-01T00:00:01.5,"))
        #expect(text.contains("\n2020-01-03T00:00:00.000123,"))
        #expect(text.contains(",1e+20\n"))
        let back = try CSVBarReader.parse(CSVBarWriter.encode(series), source: "odd.csv", symbol: "ODD")
        Self.expectIdentical(series, back)
    }

    @Test func dailyFilesUseDatesAndWholeVolumes() throws {
        let series = try BarSeries(symbol: "X", timestamps: [day(2024, 1, 2), day(2024, 1, 3)], open: [1, 2],
                                   high: [1.5, 2.5], low: [0.5, 1.5], close: [1.25, 2.25], volume: [100, 250.5])
        #expect(String(decoding: CSVBarWriter.encode(series), as: UTF8.self) == """
            Date,Open,High,Low,Close,Volume
            2024-01-02,1.0,1.5,0.5,1.25,100
            2024-01-03,2.0,2.5,1.5,2.25,250.5

            """)
    }

    @Test func replacesAnExistingFileAndReportsUnwritablePaths() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = try directory.write("x.csv", "old contents")
        let series = try SyntheticBars.generate(symbol: "X", bars: 10, seed: 1)
        try CSVBarWriter.write(series, to: path)
        Self.expectIdentical(series, try CSVBarReader.read(path: path))
        let nowhere = directory.path + "/missing/dir/x.csv"
        #expect(throws: DataError.unwritable(nowhere, reason: "No such file or directory")) {
            try CSVBarWriter.write(series, to: nowhere)
        }
        #expect(try directory.contents() == ["x.csv"])
    }

    @Test func largeSeriesRoundTripsThroughChunkedWrites() throws {
        // More than one 1 MiB output chunk.
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let series = try SyntheticBars.generate(symbol: "BIG", bars: 40_000, seed: 8, timeframe: .minute1)
        let path = directory.path + "/big.csv"
        try CSVBarWriter.write(series, to: path)
        let back = try CSVBarReader.read(path: path)
        Self.expectIdentical(series, back)
        #expect(CSVBarWriter.encode(back) == CSVBarWriter.encode(series))
    }
}
