import Foundation
import Testing

/// `gpt-trader analyze`, run as a user would.
extension CLIProcessTests {
    func analysisJSON(_ args: [String]) throws -> [String: Any] {
        let r = try run(["analyze"] + args + ["--output", "json"])
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    /// The parts every analysis must have, with the recommendation explained by its components.
    func checkAnalysis(_ doc: [String: Any], symbol: String, bars: Int) throws {
        #expect(doc["symbol"] as? String == symbol)
        #expect(doc["bars"] as? Int == bars && doc["bar_index"] as? Int == bars - 1)
        let rec = try #require(doc["recommendation"] as? [String: Any])
        #expect(["strong-buy", "buy", "hold", "sell", "strong-sell"].contains(rec["action"] as? String ?? ""))
        let confidence = try #require(rec["confidence"] as? Double)
        #expect(confidence >= 0 && confidence <= 1)
        let components = try #require(rec["components"] as? [[String: Any]])
        #expect(components.compactMap { $0["name"] as? String } == ["trend", "momentum", "oscillators", "volume", "patterns", "strategy"])
        let sum = components.reduce(0.0) { $0 + (($1["contribution"] as? Double) ?? 0) }
        #expect(abs(sum - (rec["score"] as? Double ?? .nan)) < 1e-9)
        let indicators = try #require(doc["indicators"] as? [String: Any])
        for key in ["sma_20", "sma_50", "sma_200", "ema_12", "ema_26", "rsi_14", "macd", "bollinger", "atr_14", "atr_pct", "obv",
                    "obv_slope", "stochastic", "readings"] {
            #expect(indicators[key] != nil, "missing indicators.\(key)")
        }
        let levels = try #require(doc["levels"] as? [String: Any])
        #expect(levels["nearest_support"] != nil && levels["nearest_resistance"] != nil)
        let patterns = try #require(doc["patterns"] as? [[String: Any]])
        for p in patterns {
            let start = try #require(p["start_index"] as? Int), end = try #require(p["end_index"] as? Int)
            #expect(start <= end && end < bars && (p["detected_index"] as? Int ?? .max) < bars)
            #expect(!((p["points"] as? [Any]) ?? []).isEmpty)
        }
        let strategies = try #require(doc["strategies"] as? [String: Any])
        let ranking = try #require(strategies["ranking"] as? [[String: Any]])
        #expect(ranking.count == 7 && ranking.compactMap { $0["rank"] as? Int } == Array(1...7))
    }

    @Test func analyzeSampleAsTableAndJSON() throws {
        let table = try run(["analyze", "GOOG"])
        #expect(table.status == 0, "\(table.stderr)")
        for label in ["Recommendation:", "trend", "momentum", "RSI(14)", "Support and resistance", "Chart patterns", "Strategies",
                      "sma-crossover", "2013-03-01"] {
            #expect(table.stdout.contains(label), "missing \(label)")
        }
        #expect(!table.stdout.contains("\u{1B}["))
        let doc = try analysisJSON(["GOOG"])
        try checkAnalysis(doc, symbol: "GOOG", bars: 2148)
        #expect(doc["as_of"] as? String == "2013-03-01")
        // The positional symbol is the same as --symbol, and GOOG is the default.
        let byOption = try run(["analyze", "--symbol", "GOOG", "--output", "json"])
        let byDefault = try run(["analyze", "--output", "json"])
        let positional = try run(["analyze", "GOOG", "--output", "json"])
        #expect(byOption.stdout == positional.stdout && byDefault.stdout == positional.stdout)
    }

    @Test func analyzeSyntheticBars() throws {
        let table = try run(["analyze", "--synthetic", "2000"])
        #expect(table.status == 0 && table.stdout.contains("SYNTH") && table.stdout.contains("Recommendation:"), "\(table.stderr)")
        try checkAnalysis(try analysisJSON(["--synthetic", "2000"]), symbol: "SYNTH", bars: 2000)
    }

    @Test func analyzeAsOfADateReadsOnlyBarsUpToIt() throws {
        let doc = try analysisJSON(["GOOG", "--as-of", "2010-06-30"])
        #expect(doc["as_of"] as? String == "2010-06-30")
        let strategies = try #require(doc["strategies"] as? [String: Any])
        #expect(strategies["end"] as? String == "2010-06-30" && strategies["bars"] as? Int == 252)
        // The same bars cut with --end give the same analysis.
        let cut = try analysisJSON(["GOOG", "--end", "2010-06-30"])
        #expect(NSDictionary(dictionary: doc).isEqual(to: cut))
    }

    @Test func analyzeUsageErrorsExitWithTwo() throws {
        for (args, option) in [(["GOOG", "--bars", "1"], "--bars"), (["GOOG", "--symbol", "GOOG"], "SYMBOL"),
                               (["GOOG", "--synthetic", "100"], "--synthetic"), (["--symbols", "GOOG,EURUSD"], "--symbols"),
                               (["GOOG", "--as-of", "1990-01-01"], "--as-of"), (["GOOG", "--as-of", "someday"], "--as-of"),
                               (["NOSUCH"], "NOSUCH"), (["GOOG", "--pivot-window", "0"], "--pivot-window"),
                               (["GOOG", "--commission=-1"], "--commission")] {
            let r = try run(["analyze"] + args)
            #expect(r.status == 2, "\(args) exited \(r.status)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("error: "), "\(args): \(r.stderr)")
            #expect(r.stderr.contains(option), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }
}
