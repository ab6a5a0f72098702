@testable import TraderCLI
import Testing

/// The shell splits lines as sh does: quotes, backslashes, comments.
@Suite struct ShellWordsTests {
    @Test(arguments: [
        ("backtest --strategy momentum", ["backtest", "--strategy", "momentum"]),
        ("  runs   list\t--limit 5  ", ["runs", "list", "--limit", "5"]),
        ("optimize --constraint 'fast<slow'", ["optimize", "--constraint", "fast<slow"]),
        ("backtest --data \"my prices.csv\"", ["backtest", "--data", "my prices.csv"]),
        ("backtest --data my\\ prices.csv", ["backtest", "--data", "my prices.csv"]),
        ("echo 'it''s'", ["echo", "its"]),
        ("a \"x\\\"y\\\\z\\n\"", ["a", "x\"y\\z\\n"]),
        ("a 'b\\c'", ["a", "b\\c"]),
        ("a '' \"\"", ["a", "", ""]),
        ("a b # a comment", ["a", "b"]),
        ("a b#c", ["a", "b#c"]),
        ("# only a comment", []),
        ("", []),
        ("analyze 銘柄 --series sma:50", ["analyze", "銘柄", "--series", "sma:50"]),
    ])
    func splitsLikeSh(line: String, words: [String]) throws {
        #expect(try ShellWords.split(line) == words)
    }

    @Test func unterminatedQuotesAndTrailingBackslashAreErrors() {
        #expect(throws: ShellWords.SyntaxError(description: "unterminated single quote")) { try ShellWords.split("a 'b") }
        #expect(throws: ShellWords.SyntaxError(description: "unterminated double quote")) { try ShellWords.split("a \"b") }
        #expect(throws: ShellWords.SyntaxError(description: "the line ends with a backslash")) { try ShellWords.split("a b\\") }
    }

    @Test func partialLineGivesTheWordBeingTypedAndWhereItStarts() {
        #expect(ShellWords.partial("backtest --str") == .init(words: ["backtest"], current: "--str", currentStart: 9))
        #expect(ShellWords.partial("backtest ") == .init(words: ["backtest"], current: "", currentStart: 9))
        #expect(ShellWords.partial("") == .init(words: [], current: "", currentStart: 0))
        #expect(ShellWords.partial("data import 'my fi") == .init(words: ["data", "import"], current: "my fi", currentStart: 12))
        #expect(ShellWords.partial("data import my\\ fi") == .init(words: ["data", "import"], current: "my fi", currentStart: 12))
    }

    @Test func escapeRoundTrips() throws {
        for word in ["GOOG", "--symbols=GOOG,EURUSD", "my prices.csv", "it's", "a\"b", "$HOME", "", "data/sample/", "x\\y", "銘柄"] {
            #expect(try ShellWords.split(ShellWords.escape(word)) == [word], "\(word)")
        }
        #expect(ShellWords.escape("data/sample/GOOG.csv") == "data/sample/GOOG.csv")
        #expect(ShellWords.escape("my prices.csv") == "my\\ prices.csv")
    }
}
