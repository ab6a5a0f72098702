import Foundation
import Testing

/// `gpt-trader regime`, run as a user would.
extension CLIProcessTests {
    func regimeJSON(_ args: [String]) throws -> [String: Any] {
        let r = try run(["regime"] + args + ["--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    static let regimeNames: Set<String> = ["bull-quiet", "bull-volatile", "bear-quiet", "bear-volatile", "sideways-quiet", "sideways-volatile", "crisis"]

    @Test func regimeTableOnTheGOOGSample() throws {
        let r = try run(["regime", "GOOG"])
        #expect(r.status == 0, "\(r.stderr)")
        for text in ["GOOG 1d  2004-08-19 … 2013-03-01", "Current regime on 2013-03-01", "Volatility (20 returns, annualized)",
                     "Trend (60 bars, annualized)", "Drawdown (252-bar peak)", "History by thresholds", "Transition probabilities",
                     "Recent changes", "Gaussian HMM", "History by HMM (Viterbi path)", "HMM (filtered) against thresholds"] {
            #expect(r.stdout.contains(text), "missing \(text)")
        }
        #expect(!r.stdout.contains("\u{1B}["))
    }

    @Test func regimeJSONOnTheGOOGSample() throws {
        let doc = try regimeJSON(["GOOG", "--method", "threshold"])
        #expect(doc["symbol"] as? String == "GOOG" && doc["bars"] as? Int == 2148 && doc["hmm"] == nil && doc["agreement"] == nil)
        let current = try #require(doc["current"] as? [String: Any])
        #expect(current["date"] as? String == "2013-03-01")
        #expect(Self.regimeNames.contains(current["regime"] as? String ?? ""))
        let history = try #require(doc["history"] as? [String: Any])
        // The first regime comes at bar 60 (60 returns for the trend): 2148 − 60 bars.
        #expect(history["classified_bars"] as? Int == 2088)
        let regimes = try #require(history["regimes"] as? [[String: Any]])
        let share = regimes.compactMap { $0["share_pct"] as? Double }.reduce(0, +)
        #expect(abs(share - 100) < 1e-9)
        let transitions = try #require(history["transitions"] as? [String: Any])
        let counts = try #require(transitions["counts"] as? [[Int]])
        #expect(counts.flatMap { $0 }.reduce(0, +) == 2087)
        let changes = try #require(history["changes"] as? [[String: Any]])
        let runs = try #require(history["runs"] as? [[String: Any]])
        #expect(changes.count == runs.count && changes.first?["bar"] as? Int == 60)
    }

    @Test func regimeOverADateRangeUsesEarlierBarsForWarmUp() throws {
        let doc = try regimeJSON(["--symbol", "GOOG", "--start", "2008-01-01", "--end", "2008-12-31"])
        #expect(doc["first"] as? String == "2008-01-02" && doc["last"] as? String == "2008-12-31")
        let bars = try #require(doc["bars"] as? Int)
        #expect((doc["history_bars"] as? Int ?? 0) > 60)
        let history = try #require(doc["history"] as? [String: Any])
        #expect(history["classified_bars"] as? Int == bars)
        let hmm = try #require(doc["hmm"] as? [String: Any])
        #expect(hmm["states"] as? Int == 3 && (hmm["state_parameters"] as? [Any])?.count == 3)
        let agreement = try #require(doc["agreement"] as? [String: Any])
        #expect(agreement["compared_bars"] as? Int == bars)
    }

    @Test func regimeOnSyntheticBars() throws {
        let doc = try regimeJSON(["--synthetic", "1500", "--states", "2", "--method", "both"])
        #expect(doc["symbol"] as? String == "SYNTH" && doc["bars"] as? Int == 1500)
        let hmm = try #require(doc["hmm"] as? [String: Any])
        let matrix = try #require(hmm["transition_matrix"] as? [[Double]])
        #expect(matrix.count == 2 && matrix.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-9 })
        let current = try #require(hmm["current"] as? [String: Any])
        #expect(Self.regimeNames.contains(current["regime"] as? String ?? ""))
        let lls = try #require(hmm["log_likelihood"] as? Double)
        #expect(lls.isFinite)
        let table = try run(["regime", "--synthetic", "1500", "--method", "hmm"])
        #expect(table.status == 0 && table.stdout.contains("Gaussian HMM") && !table.stdout.contains("History by thresholds"))
    }

    @Test func regimeUsageErrorsExitTwoWithOneLine() throws {
        for args in [["regime", "--states", "1"], ["regime", "GOOG", "--symbol", "EURUSD"], ["regime", "NOSUCHSYMBOL"],
                     ["regime", "--synthetic", "40"], ["regime", "--method", "magic"], ["regime", "GOOG", "--start", "2030-01-01"]] {
            let r = try run(args)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        let short = try run(["regime", "--synthetic", "40"])
        #expect(short.stderr.contains("needs more than 60 daily bars"))
        let states = try run(["regime", "--states", "1"])
        #expect(states.stderr.contains("--states"))
    }
}
