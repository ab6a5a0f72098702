import Foundation
import Testing

/// `gpt-trader backtest --sizing ...`, run as a user would.
extension CLIProcessTests {
    func sizing(_ stdout: String) throws -> [String: Any] {
        let doc = try #require(try json(stdout) as? [String: Any])
        let settings = try #require(doc["settings"] as? [String: Any])
        return try #require(settings["sizing"] as? [String: Any])
    }

    @Test func kellySizingRunsAndIsReported() throws {
        let args = ["backtest", "--fast", "10", "--slow", "20", "--commission", "0.002", "--output", "json", "--trades"]
        let plain = try run(args)
        let kelly = try run(args + ["--sizing", "kelly", "--kelly-min-trades", "10", "--size", "0.3", "--max-position", "0.5"])
        #expect(plain.status == 0 && kelly.status == 0, "\(kelly.stderr)")
        let reported = try sizing(kelly.stdout)
        #expect(reported["rule"] as? String == "kelly")
        #expect(reported["min_trades"] as? Int == 10 && reported["fallback"] as? Double == 0.3 && reported["max_position"] as? Double == 0.5)
        #expect(reported["skipped_entries"] as? Int == 0 && reported["sizer"] as? Bool == true)
        // Without --sizing: the settings' fixed fraction, no sizer.
        let none = try sizing(plain.stdout)
        #expect(none["rule"] as? String == "fixed" && none["sizer"] as? Bool == false)
        // Same signals, smaller positions: the same trade count, a different result.
        let metrics = { (s: String) throws -> [String: Any] in try #require((try self.json(s) as? [String: Any])?["metrics"] as? [String: Any]) }
        #expect(try metrics(kelly.stdout)["trades"] as? Int == 46)
        #expect(try metrics(kelly.stdout)["equity_final"] as? Double != metrics(plain.stdout)["equity_final"] as? Double)
        // `fixed` at the default fraction is the plain run, to the cent.
        let fixed = try run(args + ["--sizing", "fixed"])
        #expect(try metrics(fixed.stdout)["equity_final"] as? Double == metrics(plain.stdout)["equity_final"] as? Double)
        // The table says which sizing ran.
        let table = try run(["backtest", "--sizing", "volatility", "--risk-target", "0.02"])
        #expect(table.status == 0 && table.stdout.contains("sizing: volatility(risk_target=0.02, atr_period=14"), "\(table.stdout)")
    }

    @Test func sizingWorksWhenStreaming() throws {
        let args = ["backtest", "--synthetic", "3000", "--sizing", "regime", "--size", "0.5", "--output", "json"]
        let inMemory = try run(args)
        let streamed = try run(args + ["--stream"])
        #expect(inMemory.status == 0 && streamed.status == 0, "\(streamed.stderr)")
        #expect(try sizing(streamed.stdout)["rule"] as? String == "regime")
        let equity = { (s: String) throws -> Double in
            try #require(((try self.json(s) as? [String: Any])?["metrics"] as? [String: Any])?["equity_final"] as? Double)
        }
        #expect(abs(try equity(streamed.stdout) - equity(inMemory.stdout)) < 1e-6)
    }

    @Test func invalidSizingIsOneLineNamingTheOption() throws {
        let cases: [([String], String)] = [
            (["--sizing", "martingale"], "--sizing"),
            (["--sizing", "fractional-kelly", "--kelly-fraction", "2"], "--kelly-fraction"),
            (["--sizing", "kelly", "--kelly-fraction", "0.5"], "--kelly-fraction"),   // full Kelly takes no fraction
            (["--sizing", "kelly", "--kelly-min-trades", "-3"], "--kelly-min-trades"),
            (["--sizing", "volatility", "--atr-period", "0"], "--atr-period"),
            (["--sizing", "volatility", "--risk-target", "0"], "--risk-target"),
            (["--sizing", "volatility", "--size", "0.5"], "--size"),
            (["--sizing", "fixed", "--max-position", "1.5"], "--max-position"),
            (["--sizing", "regime", "--max-exposure", "0"], "--max-exposure"),
            (["--sizing", "confidence", "--size", "0"], "--size"),
            (["--risk-target", "0.01"], "--risk-target"),                               // needs --sizing
        ]
        for (extra, option) in cases {
            let r = try run(["backtest"] + extra)
            #expect(r.status == 2, "\(extra) exited \(r.status)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(extra): \(r.stderr)")
            #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(option), "\(extra): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }
}

extension CLIProcessTests {
    /// `optimize --sizing`: each set's entry equals `backtest` with the same sizing.
    @Test func optimizeWithSizingMatchesBacktest() throws {
        let sizing = ["--sizing", "fractional-kelly", "--kelly-min-trades", "5", "--size", "0.6", "--commission", "0.002"]
        let optimized = try run(["optimize", "--param", "fast=10,15", "--param", "slow=20", "--metric", "equity", "--output", "json"] + sizing)
        #expect(optimized.status == 0, "\(optimized.stderr)")
        let doc = try #require(try json(optimized.stdout) as? [String: Any])
        #expect((doc["sizing"] as? [String: Any])?["rule"] as? String == "fractional-kelly")
        let ranked = try #require(doc["ranked"] as? [[String: Any]])
        #expect(ranked.count == 2)
        for entry in ranked {
            let fast = try #require((entry["parameters"] as? [String: Any])?["fast"] as? Double)
            let single = try run(["backtest", "--fast", String(Int(fast)), "--slow", "20", "--output", "json"] + sizing)
            let metrics = try #require((try json(single.stdout) as? [String: Any])?["metrics"] as? [String: Any])
            #expect(entry["equity_final"] as? Double == metrics["equity_final"] as? Double, "fast \(fast)")
            #expect(entry["trades"] as? Int == metrics["trades"] as? Int, "fast \(fast)")
        }
        let plain = try run(["optimize", "--param", "fast=10", "--param", "slow=20", "--output", "json"])
        #expect(((try json(plain.stdout) as? [String: Any])?["sizing"]) is NSNull)
    }
}
