import Foundation
import Testing

/// `gpt-trader backtest` with pre-trade risk rules, run as a user would.
extension CLIProcessTests {
    /// `--risk-defaults` applies the paper-trading rules: reported in the settings, and every
    /// entry of an all-in SMA crossover on GOOG is cut to at most 20 % of equity at its fill.
    @Test func riskDefaultsCutEveryEntry() throws {
        let args = ["backtest", "--fast", "10", "--slow", "20", "--output", "json", "--trades", "--no-save"]
        let r = try run(args + ["--risk-defaults", "--drawdown-halt", "0.5"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try json(r.stdout) as? [String: Any])
        let settings = try #require(doc["settings"] as? [String: Any])
        let risk = try #require(settings["risk"] as? [String: Any])
        #expect(risk["max_position_fraction"] as? Double == 0.2 && risk["max_positions"] as? Int == 10)
        #expect(risk["daily_loss_limit"] as? Double == 0.05 && risk["cash_reserve"] as? Double == 0.1)
        #expect(risk["drawdown_halt"] as? Double == 0.5, "an option overrides the default")
        let trades = try #require(doc["trades"] as? [[String: Any]])
        #expect(trades.count > 10)
        // Each entry costs at most a fifth of the equity it was sized from, which is at most the
        // starting 10,000 plus the profit of the trades before it.
        var equity = 10_000.0
        for t in trades {
            let size = try #require(t["size"] as? Double), price = try #require(t["entry_price"] as? Double)
            #expect(size * price <= 0.2 * equity + price, "\(size) × \(price) against equity \(equity)")
            equity += try #require(t["pnl"] as? Double)
        }
        // Without rules the settings say so and the entries are all-in.
        let plain = try run(args)
        let plainSettings = try #require((try json(plain.stdout) as? [String: Any])?["settings"] as? [String: Any])
        #expect(plainSettings["risk"] is NSNull)
    }

    /// Rules out of range are one line naming the option, exit 2.
    @Test func riskOptionsOutOfRangeAreRefused() throws {
        for (args, expected) in [(["--drawdown-halt", "1.5"], "--drawdown-halt"), (["--max-positions", "0"], "--max-positions"),
                                 (["--cash-reserve", "-0.1"], "--cash-reserve"), (["--position-limit", "2"], "--position-limit")] {
            let r = try run(["backtest", "--no-save"] + args)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: ") && r.stderr.contains(expected), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
    }
}
