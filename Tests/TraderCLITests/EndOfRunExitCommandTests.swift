import Foundation
import Testing

/// `--close-at-last-close` (also `--close-at-end`) and `--close-at-last-open`, run as a user would.
extension CLIProcessTests {
    /// The long-only SMA crossover (10, 20) run of the GOOG reference, in JSON with trades.
    static let referenceRun = ["backtest", "--fast", "10", "--slow", "20", "--commission", "0.002", "--output", "json", "--trades", "--no-cache"]

    func document(_ r: Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
    }

    /// `--close-at-last-open` gives backtesting.py's `finalize_trades=True` numbers (variant
    /// `long_only_finalize` of Tests/Fixtures/backtesting_py_reference.json, produced by
    /// scripts/peers/reference_stats.py); `--close-at-end` is still the close at the last close.
    @Test func endOfRunExitFlagsChooseThePrice() throws {
        let fixture = Self.root.appendingPathComponent("Tests/Fixtures/backtesting_py_reference.json")
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any])
        let finalize = try #require((reference["variants"] as? [String: Any])?["long_only_finalize"] as? [String: Any])
        let stats = try #require(finalize["stats"] as? [String: Any])

        let open = try run(Self.referenceRun + ["--close-at-last-open"])
        #expect(open.status == 0, "\(open.stderr)")
        let openDoc = try document(open)
        let openMetrics = try #require(openDoc["metrics"] as? [String: Any])
        #expect(openMetrics["trades"] as? Int == stats["# Trades"] as? Int)
        let want = try #require(stats["Equity Final [$]"] as? Double)
        #expect(abs(try #require(openMetrics["equity_final"] as? Double) - want) <= 1e-6 * want)
        #expect((openDoc["settings"] as? [String: Any])?["end_of_run_exit"] as? String == "last-open")
        #expect((openDoc["open_trades"] as? [Any])?.isEmpty == true)

        let old = try run(Self.referenceRun + ["--close-at-end"])
        let close = try run(Self.referenceRun + ["--close-at-last-close"])
        #expect(old.status == 0 && close.status == 0, "\(old.stderr)\(close.stderr)")
        let oldDoc = try document(old), closeDoc = try document(close)
        #expect((closeDoc["settings"] as? [String: Any])?["end_of_run_exit"] as? String == "last-close")
        #expect((oldDoc["settings"] as? [String: Any])?["end_of_run_exit"] as? String == "last-close")
        let closeMetrics = try #require(closeDoc["metrics"] as? [String: Any])
        #expect(closeMetrics["equity_final"] as? Double == (oldDoc["metrics"] as? [String: Any])?["equity_final"] as? Double)
        #expect(closeMetrics["trades"] as? Int == stats["# Trades"] as? Int)
        #expect(closeMetrics["equity_final"] as? Double != openMetrics["equity_final"] as? Double)

        let none = try document(try run(Self.referenceRun))
        #expect((none["settings"] as? [String: Any])?["end_of_run_exit"] as? String == "none")
        #expect((none["settings"] as? [String: Any])?["close_at_end"] as? Bool == false)
    }

    @Test func endOfRunExitMistakesAreOneLineNamingTheOption() throws {
        let cases: [([String], [String])] = [
            (["--close-at-last-open", "--fill", "close"], ["--close-at-last-open", "next-open"]),
            (["--close-at-last-open", "--close-at-end"], ["--close-at-last-open", "--close-at-end"]),
        ]
        for (extra, names) in cases {
            let r = try run(["backtest"] + extra)
            #expect(r.status == 2, "\(extra) exited \(r.status)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(extra): \(r.stderr)")
            for name in names { #expect(r.stderr.contains(name), "\(extra): \(r.stderr)") }
        }
    }
}
