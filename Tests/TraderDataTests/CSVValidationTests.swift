import Foundation
import Testing
import TraderCore
import TraderData

@Suite("CSV validation")
struct CSVValidationTests {
    static let header = "Date,Open,High,Low,Close,Volume\n"
    static let good = "2004-08-19,100.0,104.06,95.96,100.34,22351900\n"

    /// (second data row, expected message): the bad row is always line 3.
    static let cases: [(String, String)] = [
        ("2004-08-20,101.01,109.08,100.5,108.31", "t.csv:3: missing field Volume (row has 5 of 6 fields)"),
        ("2004-08-20,101.01", "t.csv:3: missing field High (row has 2 of 6 fields)"),
        ("2004-08-20,101.01,109.08,100.5,108.31,11428600,7", "t.csv:3: row has 7 fields but the header has 6"),
        ("2004-08-20,null,null,null,null,null", "t.csv:3: Open 'null' is not a number"),
        ("2004-08-20,101.01,109.08,100.5,,11428600", "t.csv:3: Close is empty"),
        ("2004-08-20,101.01,109.08,100.5,108.31,1e", "t.csv:3: Volume '1e' is not a number"),
        ("2004-08-20,101.01,1O9.08,100.5,108.31,5", "t.csv:3: High '1O9.08' is not a number"),
        ("2004-08-20,101.01,nan,100.5,108.31,5", "t.csv:3: High 'nan' is not a number"),
        ("2004-08-20,101.01,109.08,-inf,108.31,5", "t.csv:3: Low '-inf' is not a number"),
        ("2004-08-20,101.01,109.08,100.5,108.31,NaN", "t.csv:3: Volume 'NaN' is not a number"),
        ("2004-08-20,101.01,109.08,100.5,0x1p3,5", "t.csv:3: Close '0x1p3' is not a number"),
        ("2004-08-20,101.01,1e400,100.5,108.31,5", "t.csv:3: High is infinite"),
        ("2004-08-20,101.01,99.0,100.5,100.0,5", "t.csv:3: High 99 is below Low 100.5"),
        ("2004-08-20,0,109.08,100.5,108.31,5", "t.csv:3: Open must be positive, got 0"),
        ("2004-08-20,110,109.08,100.5,108.31,5", "t.csv:3: Open 110 is above High 109.08"),
        ("2004-08-20,101.01,109.08,100.5,100.25,5", "t.csv:3: Close 100.25 is below Low 100.5"),
        ("2004-08-20,101.01,109.08,100.5,-108.31,5", "t.csv:3: Close must be positive, got -108.31"),
        ("2004-08-20,101.01,109.08,100.5,108.31,-5", "t.csv:3: Volume must not be negative, got -5"),
        ("2004-13-20,101.01,109.08,100.5,108.31,5", "t.csv:3: Date '2004-13-20' is not a valid date or time"),
        ("2004-02-30,101.01,109.08,100.5,108.31,5", "t.csv:3: Date '2004-02-30' is not a valid date or time"),
        ("Aug 20 2004,101.01,109.08,100.5,108.31,5", "t.csv:3: Date 'Aug 20 2004' is not a valid date or time"),
        (",101.01,109.08,100.5,108.31,5", "t.csv:3: Date is empty"),
        ("2004-08-19,101.01,109.08,100.5,108.31,5", "t.csv:3: timestamp 2004-08-19 is not after the previous row's 2004-08-19"),
        ("2004-08-18,101.01,109.08,100.5,108.31,5", "t.csv:3: timestamp 2004-08-18 is not after the previous row's 2004-08-19"),
    ]

    @Test(arguments: cases)
    func rejectsBadRow(row: String, message: String) {
        #expect(parseError(Self.header + Self.good + row + "\n") == message)
        // The same message with CRLF line ends and without a final newline.
        let crlf = (Self.header + Self.good).replacingOccurrences(of: "\n", with: "\r\n") + row + "\r\n"
        #expect(parseError(crlf) == message)
        #expect(parseError(Self.header + Self.good + row) == message)
    }

    @Test func errorIsTheMalformedCase() {
        do {
            _ = try parseCSV(Self.header + Self.good + "2004-08-20,null,1,1,1,1\n", source: "data/GOOG.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error == .malformed(file: "data/GOOG.csv", line: 3, reason: "Open 'null' is not a number"))
            #expect(error.description == "data/GOOG.csv:3: Open 'null' is not a number")
        }
    }

    @Test func messagesUseTheHeaderSpelling() {
        let text = "timestamp,OPEN,high,low,close\n1577836800,1,2,1,oops\n"
        #expect(parseError(text) == "t.csv:2: close 'oops' is not a number")
        let index = ",Open,High,Low,Close\nnot-a-date,1,2,1,2\n"
        #expect(parseError(index) == "t.csv:2: index 'not-a-date' is not a valid date or time")
    }

    @Test func intradayOrderMessagesShowTheTime() {
        let text = """
            Datetime,Open,High,Low,Close
            2024-01-02 10:00:00,1,2,1,2
            2024-01-02 09:00:00,1,2,1,2
            """
        #expect(parseError(text) == "t.csv:3: timestamp 2024-01-02T09:00:00 is not after the previous row's 2024-01-02T10:00:00")
    }

    @Test func badTimeOfDayColumn() {
        let text = "Date,Time,Open,High,Low,Close\n2024-01-02,25:00,1,2,1,2\n"
        #expect(parseError(text) == "t.csv:2: Time '25:00' is not a valid time of day")
    }

    @Test func errorsStopAtTheFirstBadRow() {
        var text = Self.header
        for d in 1...9 { text += "2004-09-0\(d),1,2,1,2,3\n" }
        text += "2004-09-10,1,2,1,2,-3\n2004-09-11,1,x,1,2,3\n"
        #expect(parseError(text) == "t.csv:11: Volume must not be negative, got -3")
    }
}
