import Foundation
import Testing

/// Logging options work with any command: levels, JSON lines, a log file, the correlation id.
@Suite struct LoggingTests {
    let cli = CLIProcessTests()
    /// A Redis nobody listens on: the cache logs one warning and the run goes on.
    let deadRedis = ["--cache-url", "redis://127.0.0.1:1/0"]

    @Test func jsonLinesCarryLevelLabelAndTheRunsCorrelationID() throws {
        let r = try cli.run(["backtest", "--output", "quiet", "--log-format", "json", "--log-level", "debug"] + deadRedis)
        #expect(r.status == 0)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(!lines.isEmpty)
        var runs = Set<String>()
        for line in lines {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "not a JSON object: \(line)")
            #expect(record["ts"] != nil && record["message"] != nil && record["label"] != nil)
            runs.insert(record["run"] ?? "")
        }
        #expect(runs.count == 1 && runs.first!.hasPrefix("run-"))  // one correlation id for the whole run
        #expect(lines.contains { $0.contains("\"level\":\"warning\"") && $0.contains("unreachable") })
        #expect(lines.contains { $0.contains("\"level\":\"debug\"") && $0.contains("cache miss") })  // --log-level debug shows more
    }

    @Test func quietHidesWarningsAndDefaultShowsThem() throws {
        let quiet = try cli.run(["backtest", "--output", "quiet", "--quiet"] + deadRedis)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty)
        let normal = try cli.run(["backtest", "--output", "quiet"] + deadRedis)
        #expect(normal.stderr.contains("warning") && normal.stderr.contains("unreachable") && !normal.stderr.contains("debug"))
        let viaEnv = try cli.run(["backtest", "--output", "quiet"] + deadRedis, environment: ["GPT_TRADER_LOG_LEVEL": "error"])
        #expect(viaEnv.stderr.isEmpty)
    }

    @Test func logFileGetsTheSameLines() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try cli.run(["backtest", "--output", "quiet", "--log-file", path] + deadRedis)
        #expect(r.status == 0)
        let logged = try String(contentsOfFile: path, encoding: .utf8)
        #expect(logged.contains("unreachable") && logged.contains("run=run-"))
    }

    @Test func badLoggingOptionsAreUsageErrors() throws {
        let level = try cli.run(["backtest", "--log-level", "loud"])
        #expect(level.status == 2 && level.stderr.contains("--log-level") && level.stderr.contains("loud"))
        let format = try cli.run(["strategies", "--log-format=xml"])
        #expect(format.status == 2 && format.stderr.contains("--log-format"))
        let env = try cli.run(["strategies"], environment: ["GPT_TRADER_LOG_LEVEL": "nope"])
        #expect(env.status == 2 && env.stderr.contains("GPT_TRADER_LOG_LEVEL"))
    }
}
