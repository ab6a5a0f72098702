import Testing
import TraderCore

/// The helpers every message and parser goes through: quoted input made one short line, the
/// one number syntax, credentials masked, documented ranges.
@Suite struct HostileTextTests {
    // MARK: DisplayText

    @Test func quotesEscapeControlBytesAndInvalidUTF8() {
        #expect(DisplayText.quote("abc") == "abc")
        #expect(DisplayText.quote("a\nb\tc\r") == "a\\nb\\tc\\r")
        #expect(DisplayText.quote("\u{1B}[2J") == "\\x1b[2J")  // a screen clear is shown, not run
        #expect(DisplayText.quote(bytes: [0x41, 0xFF, 0x42]) == "A\\u{FFFD}B")
        #expect(DisplayText.quote("\u{202E}txt") == "\\u{202e}txt")  // right-to-left override
        #expect(DisplayText.quote("é日本") == "é日本")
    }

    @Test func longQuotesAreCutWithTheirSize() {
        let field = [UInt8](repeating: UInt8(ascii: "9"), count: 10_000_000)
        let shown = DisplayText.quote(bytes: field)
        #expect(shown.count < 200)
        #expect(shown.hasSuffix("… (10000000 bytes)"))
        #expect(shown.hasPrefix(String(repeating: "9", count: DisplayText.quoteLimit)))
    }

    @Test func messagesBecomeOneBoundedLine() {
        let message = "error: x.csv:2: Close '" + String(repeating: "z", count: 100_000) + "' is not a number\nsecond line"
        let line = DisplayText.line(message)
        #expect(!line.contains("\n"))
        #expect(line.count <= DisplayText.lineLimit + 60)
        #expect(line.hasPrefix("error: x.csv:2:"))
        #expect(line.hasSuffix("is not a number\\nsecond line"))  // the end says what to do
        #expect(DisplayText.isPlainLine("plain"))
        #expect(!DisplayText.isPlainLine("two\nlines"))
    }

    // MARK: DecimalText

    @Test(arguments: ["0", "10", "-5", "+5", "0.5", ".5", "5.", "1e3", "1E-3", "-2.5e+10", "007"])
    func decimalNumbersParse(_ text: String) {
        #expect(DecimalText.parse(text) == Double(text))
    }

    @Test(arguments: ["", " 1", "1 ", "0x10", "0x1p3", "inf", "-inf", "infinity", "nan", "NaN", "1e", "e5", ".", "-", "1_000",
                      "1,5", "1e400", "١٢", "１２"])
    func everythingElseIsRefused(_ text: String) {
        #expect(DecimalText.parse(text) == nil)
    }

    @Test func wholeNumbers() {
        #expect(DecimalText.parseInteger("42") == 42)
        #expect(DecimalText.parseInteger("-7") == -7)
        #expect(DecimalText.parseInteger("9223372036854775807") == Int.max)
        for text in ["9223372036854775808", "1e3", "1.0", "0x10", "", "-", "+"] { #expect(DecimalText.parseInteger(text) == nil, "\(text)") }
    }

    // MARK: Redaction

    @Test func urlPasswordsAndSecretOptionsAreMasked() {
        #expect(Redaction.redactURL("postgres://me:hunter2@db:5432/trading") == "postgres://me:***@db:5432/trading")
        #expect(Redaction.redactURL("postgres://me@db/trading") == "postgres://me@db/trading")
        #expect(Redaction.redactURL("postgres://me:p@ss/w0rd@db/t") == "postgres://me:***@db/t")
        #expect(Redaction.redactURL("postgres://me@db/t?sslmode=require&password=hunter2&sslpassword=k3y")
            == "postgres://me@db/t?sslmode=require&password=***&sslpassword=***")
        #expect(Redaction.redactURL("redis://hunter2@cache:6379/0") == "redis://***@cache:6379/0")
        #expect(Redaction.redactURL("redis://:hunter2@cache") == "redis://:***@cache")
        #expect(Redaction.redactURL("https://api.example/v2?api_key=abc&symbol=GOOG#x") == "https://api.example/v2?api_key=***&symbol=GOOG#x")
        #expect(Redaction.redactURL("no url here") == "no url here")
    }

    @Test func freeTextIsScrubbed() {
        let message = "run database postgres://me:hunter2@db/t?password=hunter2: connection refused (token=abc123, api_key: 'k', \"secret\":\"s\")"
        let scrubbed = Redaction.scrub(message)
        for secret in ["hunter2", "abc123", "'k'", "\"s\""] { #expect(!scrubbed.contains(secret), "\(secret) in \(scrubbed)") }
        #expect(scrubbed.contains("postgres://me:***@db/t?password=***"))
        #expect(scrubbed.contains("connection refused"))
        #expect(Redaction.scrub("at 12:30 the fill=101.5 closed") == "at 12:30 the fill=101.5 closed")
        #expect(Redaction.isSecretName("SSLPassword") && Redaction.isSecretName("api-key") && Redaction.isSecretName("refresh_token"))
        #expect(!Redaction.isSecretName("symbol") && !Redaction.isSecretName("sslmode"))
    }

    // MARK: Bounds

    @Test func boundsCheckRangeWholenessAndFiniteness() throws {
        let window = Bounds.window(minimum: 2)
        #expect(window.contains(2) && window.contains(Double(Bounds.maxWindow)))
        #expect(!window.contains(1) && !window.contains(Bounds.maxWindow + 1) && !window.contains(2.5))
        #expect(!window.contains(Double.nan) && !window.contains(Double.infinity))
        #expect(window.violation(Int.max) == "must be a whole number between 2 and 1000000 bars, got 9223372036854775807")
        #expect(window.violation(2.5) == "must be a whole number, got 2.5")
        let fraction = Bounds(lower: 0, upper: 1, lowerOpen: true)
        #expect(!fraction.contains(0) && fraction.contains(1))
        #expect(fraction.violation(.nan) == "must be in (0, 1], got NaN")
        #expect(Bounds.closed(0.01, 1e12).violation(1e308) == "must be a number between 0.01 and 1e12, got 1e+308")
        #expect(throws: DomainError.invalid(field: "capital", reason: "must be a number between 0.01 and 1e12, got -1")) {
            try Bounds.closed(0.01, 1e12).check(-1, field: "capital")
        }
        #expect(try Bounds.window().checkInteger(50, field: "slow") == 50)
    }
}
