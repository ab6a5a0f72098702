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
        // One entry a week: fewer trades than the week-less run, and the rule in the settings.
        let weekly = try run(args + ["--max-entries-per-week", "1"])
        let weeklyDoc = try #require(try json(weekly.stdout) as? [String: Any])
        let weeklyRisk = try #require((weeklyDoc["settings"] as? [String: Any])?["risk"] as? [String: Any])
        #expect(weeklyRisk["max_entries_per_week"] as? Int == 1)
        let weeklyTrades = try #require(weeklyDoc["trades"] as? [[String: Any]])
        var weeks = Set<String>()
        for t in weeklyTrades {
            let entry = try #require(t["entry_time"] as? String)
            #expect(weeks.insert(isoWeek(entry)).inserted, "two entries in the week of \(entry)")
        }
        // Without rules the settings say so and the entries are all-in.
        let plain = try run(args)
        let plainSettings = try #require((try json(plain.stdout) as? [String: Any])?["settings"] as? [String: Any])
        #expect(plainSettings["risk"] is NSNull)
    }

    /// Rules out of range are one line naming the option, exit 2.
    @Test func riskOptionsOutOfRangeAreRefused() throws {
        for (args, expected) in [(["--drawdown-halt", "1.5"], "--drawdown-halt"), (["--max-positions", "0"], "--max-positions"),
                                 (["--cash-reserve", "-0.1"], "--cash-reserve"), (["--position-limit", "2"], "--position-limit"),
                                 (["--max-entries-per-week", "0"], "--max-entries-per-week")] {
            let r = try run(["backtest", "--no-save"] + args)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: ") && r.stderr.contains(expected), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
    }
}

/// The ISO week (Monday to Sunday) of a report's date, as "year-week".
private func isoWeek(_ date: String) -> String {
    let parser = ISO8601DateFormatter()
    parser.formatOptions = [.withFullDate]
    guard let day = parser.date(from: String(date.prefix(10))) else { return "unreadable \(date)" }
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: day)
    return "\(c.yearForWeekOfYear ?? 0)-\(c.weekOfYear ?? 0)"
}
