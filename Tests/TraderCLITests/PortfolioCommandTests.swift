import Foundation
import Testing

/// `gpt-trader portfolio ...`, run as a user would.
extension CLIProcessTests {
    func portfolioJSON(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func portfolioOnTheShippedSamples() throws {
        let r = try run(["portfolio", "--symbols", "GOOG,EURUSD", "--output", "json", "--trades"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try portfolioJSON(r.stdout)
        #expect(doc["symbols"] as? [String] == ["GOOG", "EURUSD"])
        #expect(doc["profile"] as? String == "default" && doc["start_tier"] as? String == "medium")
        let metrics = try #require(doc["metrics"] as? [String: Any])
        let final = try #require(metrics["equity_final"] as? Double)
        #expect(metrics["bars"] as? Int == 2148 + 5000)  // the samples do not share a timestamp
        let contributions = try #require(doc["contributions"] as? [[String: Any]])
        #expect(contributions.compactMap { $0["symbol"] as? String } == ["GOOG", "EURUSD"])
        let pnl = contributions.compactMap { $0["pnl"] as? Double }.reduce(0, +)
        #expect(abs(pnl - (final - 10_000)) < 1e-6)
        let trades = try #require(doc["trades"] as? [[String: Any]])
        #expect(trades.count == metrics["trades"] as? Int)
        #expect(trades.allSatisfy { ["GOOG", "EURUSD"].contains($0["symbol"] as? String ?? "") })

        let table = try run(["portfolio", "--symbols", "GOOG,EURUSD"])
        #expect(table.status == 0)
        for text in ["Sharpe Ratio", "Contribution [%]", "GOOG", "EURUSD", "Tiers  start medium", "do not overlap"] {
            #expect(table.stdout.contains(text), "missing \(text)")
        }
    }

    @Test func portfolioOnSyntheticSymbols() throws {
        let r = try run(["portfolio", "--symbols", "AAA,BBB,CCC", "--synthetic", "800", "--capital", "2000", "--profile", "aggressive",
                         "--strategy", "breakout", "--param", "lookback=10", "--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try portfolioJSON(r.stdout)
        #expect(doc["strategy"] as? String == "breakout(lookback=10)")
        #expect(doc["account_type"] as? String == "margin" && doc["start_tier"] as? String == "micro")
        let contributions = try #require(doc["contributions"] as? [[String: Any]])
        #expect(contributions.count == 3)
        // Each symbol draws its own stream: their results differ.
        #expect(Set(contributions.compactMap { $0["pnl"] as? Double }).count == 3)
        #expect((doc["metrics"] as? [String: Any])?["bars"] as? Int == 800)
    }

    @Test func portfolioTiersTable() throws {
        let r = try run(["portfolio", "tiers", "--profile", "conservative"])
        #expect(r.status == 0, "\(r.stderr)")
        for text in ["micro", "< 2,500", "2,500 – 10,000", ">= 25,000", "Max Pos.", "not enforced"] {
            #expect(r.stdout.contains(text), "missing \(text)")
        }
        let json = try run(["portfolio", "tiers", "--profile", "aggressive", "--output", "json"])
        let doc = try portfolioJSON(json.stdout)
        let tiers = try #require(doc["tiers"] as? [[String: Any]])
        #expect(tiers.compactMap { $0["tier"] as? String } == ["micro", "small", "medium", "large"])
        #expect(tiers.compactMap { $0["pdt_rule"] as? Bool } == [true, true, true, false])
    }

    @Test func badProfileFileExitsWithTwo() throws {
        let good = try String(contentsOf: Self.root.appendingPathComponent("config/profiles/default.json"), encoding: .utf8)
        let broken = good.replacingOccurrences(of: "\"max_positions\": 5", with: "\"max_positions\": 0")
        #expect(broken != good)
        let path = try temporaryFile("mine.json", broken)
        for args in [["portfolio", "--profile", path], ["portfolio", "tiers", "--profile", path]] {
            let r = try run(args)
            #expect(r.status == 2, "\(args): \(r.status)")
            #expect(r.stderr == "error: \(path): tiers.small.max_positions: must be > 0, got 0\n", "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        for args in [["portfolio", "--profile", "nosuch"], ["portfolio", "--profile", "/no/such.json"],
                     ["portfolio", "--symbols", "GOOG,NOSUCH"], ["portfolio", "--account", "futures"],
                     ["portfolio", "--strategy", "nope"], ["portfolio", "--capital", "-5"], ["portfolio", "--param", "fast=3"]] {
            let r = try run(args)
            #expect(r.status == 2, "\(args) exited \(r.status)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("error: "), "\(args): \(r.stderr)")
        }
    }
}
