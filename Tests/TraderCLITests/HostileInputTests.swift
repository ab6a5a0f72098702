import Foundation
import TestSupport
import Testing

/// Input a hostile user would try, through the executable: every case is one short line on
/// standard error and an exit code, never a crash, a backtrace, a runaway allocation or a secret
/// on the screen (issue 14).
extension CLIProcessTests {
    /// Runs the executable with its address space capped at `megabytes` (`ulimit -v`), so a
    /// runaway allocation fails the test instead of the machine.
    func runBounded(_ args: [String], megabytes: Int = 1_500, environment: [String: String] = [:]) throws -> Output {
        let script = "ulimit -v \(megabytes * 1024) && exec \"$0\" \"$@\""
        let r = try Subprocess.run("/bin/sh", ["-c", script, Self.executable.path] + args, environment: Self.environment(environment),
                                   directory: Self.root.path)
        return Output(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// The assertions every refused input shares: a usage error (exit 2), one line on standard
    /// error starting with `error:`, no trace of a crash.
    func expectOneLineRefusal(_ r: Output, _ args: [String], containing expected: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(r.status == 2, "\(args): exit \(r.status): \(r.stderr.prefix(500))", sourceLocation: sourceLocation)
        #expect(lines.count == 1, "\(args): \(lines.count) lines: \(r.stderr.prefix(500))", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("error: "), "\(args): \(r.stderr.prefix(200))", sourceLocation: sourceLocation)
        #expect(r.stderr.count < 2_200, "\(args): \(r.stderr.count) characters", sourceLocation: sourceLocation)
        for text in ["Fatal error", "Backtracing", "crashed"] {
            #expect(!r.stderr.contains(text), "\(args): \(r.stderr.prefix(300))", sourceLocation: sourceLocation)
        }
        for text in expected { #expect(r.stderr.contains(text), "\(args): expected '\(text)' in \(r.stderr)", sourceLocation: sourceLocation) }
    }

    /// The command lines of the issue (before the fix: exit 132/134 with a backtrace, or minutes
    /// at 15.6 GB) and their neighbours, each with words its one-line error must hold.
    static let hostileCommandLines: [([String], [String])] = [
        (["backtest", "--slow", "999999999"], ["slow", "between 2 and 1000000 bars"]),
        (["backtest", "--fast", "9223372036854775807"], ["fast"]),
        (["backtest", "--fast", "-5"], ["fast", "got -5"]),  // a negative number is a value, not a missing one
        (["backtest", "--slow", "5000"], ["slow", "longer than the data (2148 bars)"]),
        (["backtest", "--strategy", "momentum", "--lookback", "999999999"], ["lookback"]),
        (["backtest", "--strategy", "mean-reversion", "--period", "100000000"], ["period"]),
        (["backtest", "--capital", "1e308"], ["--capital", "1e12"]),
        (["backtest", "--capital", "0x10"], ["--capital", "0x10"]),
        (["backtest", "--capital", "nan"], ["--capital"]),
        (["backtest", "--commission", "inf"], ["--commission"]),
        (["backtest", "--param", "fast=0x1p3"], ["fast", "not a decimal number"]),
        (["backtest", "--sizing", "volatility", "--atr-period", "999999999"], ["atr-period"]),
        (["backtest", "--synthetic", "9223372036854775807"], ["--synthetic"]),
        (["backtest", "--timeframe", "9223372036854775807", "--synthetic", "100"], ["--timeframe"]),
        (["optimize", "--param", "fast=1:1e308:1"], ["more than 1000000 values"]),
        (["optimize", "--param", "fast=5:50:5", "--param", "slow=999999990:999999999:1"], ["slow"]),
        (["optimize", "--param", "slow=20:3000:20"], ["longer than the data"]),
        (["optimize", "--param", "fast=1:1000000:1", "--param", "slow=2:1000000:1"], ["--method random"]),
        (["optimize", "--param", "fast=5:10:5", "--jobs", "9223372036854775807"], ["--jobs"]),
        (["optimize", "--method", "walk-forward", "--param", "fast=5:10:5", "--train", "9223372036854775807"], ["--train"]),
        (["optimize", "--method", "walk-forward", "--param", "fast=5:10:5", "--train", "1", "--test", "1"], ["hold too few bars"]),
        (["analyze", "GOOG", "--series", "sma:999999999"], ["--series", "period"]),
        (["analyze", "GOOG", "--series", "sma:5000"], ["longer than the data"]),
        (["analyze", "GOOG", "--pivot-window", "9223372036854775807"], ["pivot-window"]),
        (["select", "GOOG", "--selection-period", "9223372036854775807"], ["selection-period"]),
        (["regime", "GOOG", "--states", "9223372036854775807"], ["--states"]),
        (["portfolio", "--symbols", "GOOG,EURUSD", "--capital", "1e308"], ["capital"]),
        (["data", "generate", "--symbol", "X", "--bars", "10", "--timeframe", "9223372036854775807"], ["timeframe"]),
        (["workflow", "run", "quick-test", "--every", "9223372036854775807"], ["--every"]),
        (["workflow", "run", "quick-test", "--every", "1e308"], ["--every"]),
        (["runs", "list", "--limit", "-1"], ["--limit"]),
    ]

    @Test(arguments: hostileCommandLines)
    func hostileValuesAreOneLineErrors(_ args: [String], _ expected: [String]) throws {
        let store = try storeDirectory()  // data generate must not touch the checkout
        let full = args + (["backtest", "optimize"].contains(args[0]) ? ["--no-save"] : []) + (args[0] == "data" ? ["--store", store] : [])
        expectOneLineRefusal(try runBounded(full), full, containing: expected)
    }

    /// Every option of every command, from the executable's own description of its options (so a
    /// new option is covered the day it is added), given values no option should take. Whatever
    /// an option does with them, the command ends with 0, 1 or 2 and at most one line of error,
    /// in bounded memory.
    @Test func everyOptionSurvivesHostileValues() async throws {
        let dump = try run(["--experimental-dump-help"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var commands: [([String], [String])] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let subcommands = command["subcommands"] as? [[String: Any]] ?? []
            let options = (command["arguments"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "option" }
                .compactMap { ($0["names"] as? [[String: Any]])?.first?["name"] as? String }
            if subcommands.isEmpty, let first = path.first, !["shell", "completions", "config", "cache", "db", "status"].contains(first) {
                commands.append((path, options))
            }
            for s in subcommands { walk(s, path + [s["commandName"] as? String ?? ""]) }
        }
        walk(try #require(document["command"] as? [String: Any]), [])
        #expect(commands.count > 20)

        // Options naming files or servers are left out: a path or URL is not a number, and
        // writing or connecting is not what this test is about.
        let skipped: Set<String> = ["output", "equity-csv", "heatmap", "database-url", "cache-url", "url", "store", "save", "model", "path",
                                    "run-id", "log-file", "config"]
        let store = try storeDirectory()
        var lines: [[String]] = []
        for (path, options) in commands {
            for option in options where !skipped.contains(option) {
                for value in ["-1", "9223372036854775807", "1e308", "0x10"] {
                    var args = path + ["--\(option)", value]
                    switch path.first {
                    case "backtest", "paper": args += ["--no-save"]
                    case "optimize": args += ["--no-save"] + (option == "param" ? [] : ["--param", "fast=5:10:5"])
                    case "runs" where path.count > 1 && path[1] != "list": args.insert("abc", at: 2)
                    case "workflow" where path.count > 1 && path[1] == "run": args.insert("quick-test", at: 2)
                    case "data":
                        switch path[1] {
                        case "info", "remove", "restore", "archive": args.insert("GOOG", at: 2)
                        case "import": args.insert("data/sample/GOOG.csv", at: 2)
                        case "generate": args += (option == "symbol" ? [] : ["--symbol", "PX"]) + (option == "bars" ? [] : ["--bars", "10"])
                        default: break
                        }
                        if path[1] != "archive", path[1] != "archived" { args += ["--store", store] }
                    default: break
                    }
                    lines.append(args)
                }
            }
        }
        // Two at a time: the machine has two cores, and most lines end at validation.
        let failures = await withTaskGroup(of: String?.self) { group in
            var next = 0, failures: [String] = []
            func add() {
                guard next < lines.count else { return }
                let args = lines[next]
                next += 1
                group.addTask {
                    guard let r = try? self.runBounded(args, environment: ["GPT_TRADER_CACHE": "0"]) else { return "\(args): did not start" }
                    let errorLines = r.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                    if ![0, 1, 2].contains(r.status) || errorLines.count > 1 || r.stderr.contains("Fatal error") || r.stderr.count > 2_200 {
                        return "\(args.joined(separator: " ")): exit \(r.status): \(r.stderr.prefix(300))"
                    }
                    return nil
                }
            }
            add(); add()
            while let result = await group.next() {
                if let result { failures.append(result) }
                add()
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.count) of \(lines.count) command lines misbehaved:\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    // MARK: Secrets

    @Test func passwordsInURLsAreNeverPrinted() throws {
        let secret = "hunter2-\(UUID().uuidString.prefix(8))"
        let cases: [[String]] = [
            ["runs", "list", "--database-url", "postgres://me:\(secret)@127.0.0.1:1/db?connect_timeout=1"],
            ["runs", "list", "--database-url", "postgres://me@127.0.0.1:1/db?password=\(secret)&sslpassword=\(secret)"],
            ["runs", "list", "--database-url", "postgres://me@127.0.0.1:1/db?password=\(secret)&nonsense=1"],
            ["runs", "list", "--database-url", "mysql://me:\(secret)@127.0.0.1/db"],
            ["runs", "list", "--database-url", "sqlite://me:\(secret)@host/db"],
            ["backtest", "--no-save", "--cache-url", "redis://:\(secret)@127.0.0.1:99999/0"],
            ["backtest", "--no-save", "--cache-url", "rediss://\(secret)@127.0.0.1/0"],
            ["status", "--url", "http://me:\(secret)@127.0.0.1:1"],
        ]
        for args in cases {
            let r = try runBounded(args)
            #expect(r.status != 0, "\(args)")
            #expect(!r.stderr.contains(secret) && !r.stdout.contains(secret), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        // The same in a log line at debug level, and in JSON logs.
        let logged = try runBounded(["status", "--output", "json", "--log-level", "debug", "--log-format", "json"],
                                    environment: ["GPT_TRADER_DATABASE_URL": "postgres://me:\(secret)@127.0.0.1:1/db?connect_timeout=1"])
        #expect(!logged.stderr.contains(secret) && !logged.stdout.contains(secret))
    }

    @Test func sqliteURLsWithCredentialsAreRefusedAndCreateNothing() throws {
        let dir = try storeDirectory()
        let r = try Subprocess.run(Self.executable.path, ["runs", "list", "--database-url", "sqlite://user:pw@host/db"],
                                   environment: Self.environment(), directory: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("sqlite URLs take a file path") && !r.stderr.contains("pw@"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty, "nothing may be created for a refused URL")
    }

    // MARK: Configuration and workflow files

    @Test func configurationValuesHaveTheSameRangesAsOptions() throws {
        let home = try storeDirectory()
        for (line, expected) in [("capital: 1e308", "backtest.capital"), ("capital: 0x10", "backtest.capital"), ("commission: .nan", "backtest.commission")] {
            let config = try temporaryFile("gpt-trader.yaml", "backtest:\n  \(line)\n")
            let r = try run(["--config", config, "backtest", "--no-save"], environment: ["GPT_TRADER_HOME": home])
            expectOneLineRefusal(r, [line], containing: [expected, "gpt-trader.yaml:2:"])
        }
        let env = try run(["backtest", "--no-save"], environment: ["BOT_V2_BACKTEST_CAPITAL": "1e308"])
        expectOneLineRefusal(env, ["BOT_V2_BACKTEST_CAPITAL"], containing: ["BOT_V2_BACKTEST_CAPITAL"])
    }

    @Test func cyclicWorkflowParametersAreLocatedUsageErrors() throws {
        let file = try temporaryFile("cyclic.yaml", """
        name: cyclic
        parameters:
          a: "${b}"
          b: "x-${a}"
        steps:
          - id: load
            action: data.load
            parameters: { symbol: "${a}" }
        """)
        let r = try run(["workflow", "run", file])
        expectOneLineRefusal(r, ["workflow", "run", file], containing: ["cyclic.yaml:3:6", "a → b → a"])
    }
}
