import Testing
import TraderCore
import TraderData

@Suite("CSV layouts")
struct CSVLayoutTests {
    @Test func genericLayout() throws {
        let series = try parseCSV("""
            Date,Open,High,Low,Close,Volume
            2004-08-19,100.0,104.06,95.96,100.34,22351900
            2004-08-20,101.01,109.08,100.5,108.31,11428600

            """)
        #expect(series.count == 2)
        #expect(series.symbol == "T")
        #expect(series.timestamps == [day(2004, 8, 19), day(2004, 8, 20)])
        #expect(series.open == [100.0, 101.01])
        #expect(series.high == [104.06, 109.08])
        #expect(series.low == [95.96, 100.5])
        #expect(series.close == [100.34, 108.31])
        #expect(series.volume == [22_351_900, 11_428_600])
        #expect(series.timeframe == .day1)
    }

    @Test func yahooWithAdjustedClose() throws {
        let series = try parseCSV("""
            Date,Open,High,Low,Close,Adj Close,Volume
            2020-01-02,74.059998,75.150002,73.797501,75.087502,73.449394,135480400
            2020-01-03,74.287498,75.144997,74.125000,74.357498,72.735321,146322800
            """)
        #expect(series.close == [75.087502, 74.357498])  // raw close, not the adjusted one
        #expect(series.volume == [135_480_400, 146_322_800])
        #expect(series.open == [74.059998, 74.287498])
    }

    @Test func backtestingPyIndexWithEmptyHeader() throws {
        let series = try parseCSV("""
            ,Open,High,Low,Close,Volume
            2013-02-28 00:00:00,801.1,806.99,801.03,801.2,2265800
            2013-03-01 00:00:00,797.8,807.14,796.15,806.19,2175400
            """)
        #expect(series.timestamps == [day(2013, 2, 28), day(2013, 3, 1)])
        #expect(series.close == [801.2, 806.19])
    }

    @Test func pandasUnnamedIndex() throws {
        let series = try parseCSV("""
            Unnamed: 0,Open,High,Low,Close,Volume
            2017-04-19 09:00:00,1.0716,1.0722,1.07083,1.07219,1413
            2017-04-19 10:00:00,1.07214,1.07296,1.07214,1.0726,1241
            """)
        #expect(series.timestamps == [time(2017, 4, 19, 9, 0), time(2017, 4, 19, 10, 0)])
        #expect(series.timeframe == .hour1)
    }

    @Test func anyOrderAnyCaseExtraColumnsAndNoVolume() throws {
        let series = try parseCSV("""
            symbol,CLOSE,low, High ,timestamp,open,trades
            X,10.5,9.5,11,2021-06-01T00:00:00Z,10,17
            X,11.5,10.25,12,2021-06-02T00:00:00Z,10.5,20
            """)
        #expect(series.timestamps == [day(2021, 6, 1), day(2021, 6, 2)])
        #expect(series.open == [10, 10.5])
        #expect(series.high == [11, 12])
        #expect(series.low == [9.5, 10.25])
        #expect(series.close == [10.5, 11.5])
        #expect(series.volume == [0, 0])
    }

    @Test func isoDateTimesWithSpaceTFractionsAndZones() throws {
        let series = try parseCSV("""
            Datetime,Open,High,Low,Close,Volume
            2020-03-02 09:30:00,1,2,1,2,5
            2020-03-02T09:31:00.5,1,2,1,2,5
            2020-03-02T09:32:00.123456789Z,1,2,1,2,5
            2020-03-02T11:33:00+02:00,1,2,1,2,5
            2020-03-02T04:34:00-05:00,1,2,1,2,5
            2020-03-02T09:35:00+0000,1,2,1,2,5
            2020-03-02 09:36,1,2,1,2,5
            """)
        #expect(series.timestamps == [
            time(2020, 3, 2, 9, 30), time(2020, 3, 2, 9, 31, 0, nanosecond: 500_000_000),
            time(2020, 3, 2, 9, 32, 0, nanosecond: 123_456_789), time(2020, 3, 2, 9, 33),
            time(2020, 3, 2, 9, 34), time(2020, 3, 2, 9, 35), time(2020, 3, 2, 9, 36),
        ])
        #expect(series.timeframe == .minute1)
    }

    @Test func offsetsConvertToUTCAcrossMidnight() throws {
        let series = try parseCSV("""
            Date,Open,High,Low,Close
            2020-01-01 00:30:00+01:00,1,1,1,1
            2020-01-01 23:30:00-01:00,1,1,1,1
            """)
        #expect(series.timestamps == [time(2019, 12, 31, 23, 30), time(2020, 1, 2, 0, 30)])
    }

    @Test func epochSeconds() throws {
        let series = try parseCSV("""
            timestamp,open,high,low,close,volume
            1577836800,1,2,0.5,1.5,10
            1577923200,1,2,0.5,1.5,10
            """)
        #expect(series.timestamps == [day(2020, 1, 1), day(2020, 1, 2)])
    }

    @Test func epochMillisecondsMicrosecondsAndNanoseconds() throws {
        let millis = try parseCSV("""
            time,open,high,low,close,volume
            1577836800000,1,2,0.5,1.5,10
            1577836860000,1,2,0.5,1.5,10
            """)
        #expect(millis.timestamps == [time(2020, 1, 1, 0, 0), time(2020, 1, 1, 0, 1)])
        #expect(millis.timeframe == .minute1)
        let micros = try parseCSV("time,open,high,low,close\n1577836800000000,1,1,1,1\n1577836800500000,1,1,1,1\n")
        #expect(micros.timestamps == [day(2020, 1, 1), day(2020, 1, 1) + 500_000_000])
        let nanos = try parseCSV("time,open,high,low,close\n1577836800000000000,1,1,1,1\n1577836800000000001,1,1,1,1\n")
        #expect(nanos.timestamps == [day(2020, 1, 1), day(2020, 1, 1) + 1])
        let fractional = try parseCSV("time,open,high,low,close\n1577836800.25,1,1,1,1\n")
        #expect(fractional.timestamps == [day(2020, 1, 1) + 250_000_000])
    }

    @Test func separateDateAndTimeColumns() throws {
        let series = try parseCSV("""
            Date,Time,Open,High,Low,Close,Volume
            2024-01-02,09:30:00,1,2,1,2,100
            2024-01-02,09:35,1,2,1,2,100
            """)
        #expect(series.timestamps == [time(2024, 1, 2, 9, 30), time(2024, 1, 2, 9, 35)])
        #expect(series.timeframe == .minute5)
    }

    @Test func quotedFieldsSemicolonsAndTabs() throws {
        let quoted = try parseCSV("""
            "Date","Open","High","Low","Close","Volume","Note"
            "2024-01-02","1.5","2","1","1.75","100","a, b"
            """)
        #expect(quoted.close == [1.75])
        #expect(quoted.timestamps == [day(2024, 1, 2)])
        let semicolons = try parseCSV("Date;Open;High;Low;Close;Volume\n2024-01-02;1;2;1;2;3\n")
        #expect(semicolons.volume == [3])
        let tabs = try parseCSV("Date\tOpen\tHigh\tLow\tClose\tVolume\n2024-01-02\t1\t2\t1\t2\t3\n")
        #expect(tabs.high == [2])
    }

    @Test func lineEndingsBOMAndBlankLines() throws {
        let expected = try parseCSV("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,2,3\n2024-01-03,1,2,1,2,4\n")
        let variants = [
            "Date,Open,High,Low,Close,Volume\r\n2024-01-02,1,2,1,2,3\r\n2024-01-03,1,2,1,2,4\r\n",
            "Date,Open,High,Low,Close,Volume\r\n2024-01-02,1,2,1,2,3\r\n2024-01-03,1,2,1,2,4",
            "Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,2,3\n2024-01-03,1,2,1,2,4",
            "\u{FEFF}Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,2,3\n2024-01-03,1,2,1,2,4\n",
            "\u{FEFF}Date,Open,High,Low,Close,Volume\r\n2024-01-02,1,2,1,2,3\r\n2024-01-03,1,2,1,2,4\r\n\r\n\r\n",
            "Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,2,3\n\n2024-01-03,1,2,1,2,4\n\n\n",
            "Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,2,3\n2024-01-03,1,2,1,2,4\n,,,,,\n",
        ]
        for text in variants {
            let series = try parseCSV(text)
            #expect(series.timestamps == expected.timestamps, "\(text.debugDescription)")
            #expect(series.volume == expected.volume, "\(text.debugDescription)")
        }
    }

    @Test func lineNumbersCountCRLFAndBlankLines() {
        let text = "\u{FEFF}Date,Open,High,Low,Close\r\n2024-01-02,1,2,1,2\r\n\r\n2024-01-03,1,2,1,x\r\n"
        #expect(parseError(text) == "t.csv:4: Close 'x' is not a number")
    }

    @Test func unknownLayouts() {
        #expect(parseError("Date,Open,High,Low\n2024-01-02,1,2,1\n")
            == "t.csv: unrecognized header 'Date,Open,High,Low': missing column Close")
        #expect(parseError("Date,Open,Price\n2024-01-02,1,2\n")
            == "t.csv: unrecognized header 'Date,Open,Price': missing columns High, Low, Close")
        #expect(parseError("Symbol,Open,High,Low,Close\nX,1,2,1,2\n")
            == "t.csv: unrecognized header 'Symbol,Open,High,Low,Close': no time column (Date, Datetime, Time, Timestamp, or an unnamed first column)")
        #expect(parseError("Date,Open,High,Low,Close,close\n2024-01-02,1,2,1,2,2\n")
            == "t.csv: unrecognized header 'Date,Open,High,Low,Close,close': duplicate columns 'Close' and 'close'")
        #expect(parseError("Date,date,Open,High,Low,Close\n") != nil)
    }

    @Test func emptyInputs() {
        #expect(parseError("") == "t.csv: no data rows")
        #expect(parseError("\n\n") == "t.csv: no data rows")
        #expect(parseError("Date,Open,High,Low,Close,Volume\n") == "t.csv: no data rows")
        #expect(parseError("\u{FEFF}Date,Open,High,Low,Close,Volume\r\n\r\n") == "t.csv: no data rows")
    }

    @Test func symbolDefaultsToTheFileName() throws {
        #expect(CSVBarReader.defaultSymbol(forPath: "data/sample/goog.csv") == "GOOG")
        #expect(CSVBarReader.defaultSymbol(forPath: "/x/y/BTC-USD.1h.csv") == "BTC-USD.1H")
        #expect(CSVBarReader.defaultSymbol(forPath: "EURUSD") == "EURUSD")
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = try directory.write("msft.csv", "Date,Open,High,Low,Close\n2024-01-02,1,2,1,2\n")
        #expect(try CSVBarReader.read(path: path).symbol == "MSFT")
        #expect(try CSVBarReader.read(path: path, symbol: "Microsoft").symbol == "Microsoft")
    }

    @Test func fileErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let missing = directory.path + "/none.csv"
        #expect(throws: DataError.fileNotFound(missing)) { try CSVBarReader.read(path: missing) }
        #expect(DataError.fileNotFound(missing).description == "\(missing): no such file")
        #expect(throws: DataError.notRegularFile(directory.path, kind: "a directory")) {
            try CSVBarReader.read(path: directory.path)
        }
        let empty = try directory.write("empty.csv", "")
        #expect(throws: DataError.empty(empty)) { try CSVBarReader.read(path: empty) }
        let bad = try directory.write("bad.csv", "Date,Open,High,Low,Close\n2024-01-02,1,2,3,2\n")
        #expect(throws: DataError.malformed(file: bad, line: 2, reason: "High 2 is below Low 3")) {
            try CSVBarReader.read(path: bad)
        }
    }

    @Test func timestampParserForms() {
        #expect(TimestampParser.parse("2004-08-19")?.nanos == day(2004, 8, 19))
        #expect(TimestampParser.parse("2004/8/9")?.nanos == day(2004, 8, 9))
        #expect(TimestampParser.parse("2004-08-19T09:30")?.nanos == time(2004, 8, 19, 9, 30))
        #expect(TimestampParser.parse("2004-08-19 9:30:15.25")?.nanos == time(2004, 8, 19, 9, 30, 15, nanosecond: 250_000_000))
        #expect(TimestampParser.parse("2004-08-19T09:30:00+05:30")?.nanos == time(2004, 8, 19, 4, 0))
        #expect(TimestampParser.parse("2004-08-19T09:30:00-02")?.nanos == time(2004, 8, 19, 11, 30))
        #expect(TimestampParser.parse("2000-02-29")?.nanos == day(2000, 2, 29))
        #expect(TimestampParser.parse("1969-12-31T23:59:59")?.nanos == -1_000_000_000)
        #expect(TimestampParser.parse("0")?.nanos == 0)
        #expect(TimestampParser.parse("-86400")?.nanos == -Timestamp.nanosPerDay)
        for bad in ["", "2004-13-01", "2004-02-30", "1900-02-29", "2004-08-19T24:00:00", "2004-08-19T09:60",
                    "2004-08-19T09:30:61", "2004-08-19x", "2300-01-01", "1600-01-01", "20040819T", "abc",
                    "2004-08-19T09:30:00+25:00", "9999999999999999999", "1.", "2004-08", "2004-08-19 "] {
            #expect(TimestampParser.parse(bad) == nil, "\(bad)")
        }
    }
}
