import Foundation
import Testing

/// `gpt-trader cache` and `--cache-url`, through the executable, against the Redis of
/// scripts/test (in a database of its own, so other tests' keys are never touched).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GPT_TRADER_TEST_REDIS_URL"] != nil
                                 || ProcessInfo.processInfo.environment["GPT_TRADER_TEST_NO_SERVICES"] != "1"))
struct CacheCommandTests {
    let cli = CLIProcessTests()

    func url() throws -> String {
        let text = try #require(ProcessInfo.processInfo.environment["GPT_TRADER_TEST_REDIS_URL"], "run with scripts/test, which starts Redis")
        return String(text[..<text.lastIndex(of: "/")!]) + "/7"
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func repeatedBacktestsAreServedAndCounted() throws {
        let url = try url()
        #expect(try cli.run(["cache", "clear", "--cache-url", url]).status == 0)
        // Counts accumulate across runs (clear keeps them): compare with what was there before.
        let initial = try json(try cli.run(["cache", "stats", "--output", "json", "--cache-url", url]).stdout)["counts"] as? [String: Int] ?? [:]
        let args = ["backtest", "--symbols", "GOOG,EURUSD", "--output", "json", "--cache-url", url, "--no-save"]   // no run_id
        let cold = try cli.run(args), warm = try cli.run(args)
        #expect(cold.status == 0 && warm.status == 0)
        #expect(warm.stdout == cold.stdout && cold.stdout.contains("\"symbol\": \"EURUSD\""))
        let stats = try cli.run(["cache", "stats", "--output", "json", "--cache-url", url])
        #expect(stats.status == 0, "\(stats.stderr)")
        let doc = try json(stats.stdout)
        let counts = try #require(doc["counts"] as? [String: Int])
        func added(_ name: String) -> Int { (counts[name] ?? 0) - (initial[name] ?? 0) }
        #expect(added("l2_hits") == 2 && added("loads") == 4)  // cold: 2 runs + 2 bar loads; warm: 2 results from Redis
        let namespaces = try #require(doc["namespaces"] as? [[String: Any]])
        #expect(namespaces.contains { $0["namespace"] as? String == "backtest:v1" && $0["keys"] as? Int == 2 })
        let table = try cli.run(["cache", "stats", "--cache-url", url])
        #expect(table.stdout.contains("backtest:v1") && table.stdout.contains("Hit rate"))

        let cleared = try cli.run(["cache", "clear", "--prefix", "backtest:", "--cache-url", url])
        #expect(cleared.status == 0 && cleared.stdout.contains("2 keys"))
        let after = try json(try cli.run(["cache", "stats", "--output", "json", "--cache-url", url]).stdout)
        let left = try #require(after["namespaces"] as? [[String: Any]])
        #expect(!left.contains { $0["namespace"] as? String == "backtest:v1" } && left.contains { $0["namespace"] as? String == "bars:v1" })
        #expect(try cli.run(["cache", "clear", "--cache-url", url]).status == 0)
    }

    @Test func badOrMissingConfigurationIsAClearError() throws {
        let none = try cli.run(["cache", "stats"], environment: ["GPT_TRADER_CACHE_URL": ""])
        #expect(none.status == 2 && none.stderr.contains("--cache-url"))
        let bad = try cli.run(["backtest", "--cache-url", "http://nowhere"])
        #expect(bad.status == 2 && bad.stderr.contains("--cache-url"))
        let env = try cli.run(["backtest"], environment: ["GPT_TRADER_CACHE_URL": "redis://h:notaport"])
        #expect(env.status == 1 || env.status == 2)
        #expect(env.stderr.contains("GPT_TRADER_CACHE_URL"))
    }

    /// Redis down: the backtest still runs (in-process cache only) and says so once on stderr.
    @Test func unreachableRedisDoesNotFailTheRun() throws {
        let r = try cli.run(["backtest", "--output", "json", "--cache-url", "redis://127.0.0.1:1/0", "--no-save"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("\"trades\""))
        #expect(r.stderr.components(separatedBy: "unreachable").count == 2, "logged once: \(r.stderr)")
        let plain = try cli.run(["backtest", "--output", "json", "--no-cache", "--no-save"])
        #expect(plain.stdout == r.stdout)
    }
}
