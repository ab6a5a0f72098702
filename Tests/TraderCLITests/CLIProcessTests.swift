import Foundation
import TestSupport
import Testing

/// Runs the built `gpt-trader` executable as a user would and checks output and exit codes.
@Suite struct CLIProcessTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$GPT_TRADER_BIN` when set; else the `gpt-trader` built beside the test bundle (so any
    /// `--scratch-path` works); else `.build/debug/gpt-trader`.
    static var executable: URL {
        if let bin = ProcessInfo.processInfo.environment["GPT_TRADER_BIN"], !bin.isEmpty {
            return URL(fileURLWithPath: bin)
        }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gpt-trader"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("gpt-trader"),
            root.appendingPathComponent(".build/debug/gpt-trader"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    /// `GPT_TRADER_HOME` of every process the tests start (unless a test sets its own): one
    /// temporary directory per test process, so saved runs go to a throwaway
    /// `runs.sqlite` instead of the user's `~/.gpt-trader`. Parallel tests share the file, as
    /// parallel CLI processes of one user would.
    static let home: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-cli-home-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// The environment of a started process: this one's, with `GPT_TRADER_HOME` set to `home`,
    /// then `overrides`.
    static func environment(_ overrides: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["GPT_TRADER_HOME"] = home
        env.removeValue(forKey: "GPT_TRADER_DATABASE_URL")
        for (k, v) in overrides { env[k] = v }
        return env
    }

    /// Runs the executable to its end (through `Subprocess`, not Foundation's `Process`, whose
    /// wait can miss the child's end in the test process).
    func run(_ args: [String], environment: [String: String] = [:]) throws -> Output {
        let r = try Subprocess.run(Self.executable.path, args, environment: Self.environment(environment), directory: Self.root.path)
        return Output(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultBacktestPrintsAReport() throws {
        let r = try run(["backtest"])
        #expect(r.status == 0)
        for label in ["Sharpe Ratio", "Sortino Ratio", "Max. Drawdown [%]", "# Trades", "Kelly Criterion", "GOOG"] {
            #expect(r.stdout.contains(label), "missing \(label)")
        }
        #expect(!r.stdout.contains("\u{1B}["), "no color codes when stdout is not a terminal")
    }

    @Test func jsonOutputMatchesBacktestingPyTradeCount() throws {
        // 46 trades and final equity 63341.19136 come from backtesting.py 0.6.6 on the same data
        // (Tests/Fixtures/backtesting_py_reference.json, variant long_only).
        let r = try run(["backtest", "--fast", "10", "--slow", "20", "--commission", "0.002", "--output", "json", "--trades"])
        #expect(r.status == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let metrics = try #require(doc["metrics"] as? [String: Any])
        #expect(metrics["trades"] as? Int == 46)
        #expect(abs((metrics["equity_final"] as? Double ?? 0) - 63341.19135999998) < 1e-6)
        #expect((doc["trades"] as? [Any])?.count == 46)
        #expect((doc["open_trades"] as? [Any])?.count == 1)
    }

    @Test func malformedCSVGivesOneLineWithFileAndLine() throws {
        let path = try temporaryFile("BAD.csv", "Date,Open,High,Low,Close,Volume\n2020-01-01,10,11,9,10,100\n2020-01-02,10,8,9,10,100\n")
        let r = try run(["backtest", "--data", path])
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(r.stderr.contains("BAD.csv:3:"))
        #expect(r.stdout.isEmpty)
    }

    @Test func badArgumentsExitWithTwo() throws {
        for args in [["backtest", "--strategy", "nope"], ["backtest", "--fast", "30", "--slow", "20"],
                     ["backtest", "--lookback", "5"], ["backtest", "--fill", "sometime"],
                     ["backtest", "--commission", "-1"], ["backtest", "--symbol", "NOSUCH"],
                     ["backtest", "--start", "2020-13-45"], ["backtest", "--start", "2030-01-01"],
                     ["backtest", "--unknown-flag"], ["nosuchcommand"]] {
            let r = try run(args)
            #expect(r.status == 2, "\(args) exited \(r.status)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("error: "), "\(args): \(r.stderr)")
        }
    }

    @Test func strategiesListsEveryBuiltIn() throws {
        let r = try run(["strategies", "--output", "json"])
        #expect(r.status == 0)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(list.compactMap { $0["name"] as? String } == ["sma-crossover", "momentum", "mean-reversion", "volatility", "breakout", "scalp", "ensemble"])
        let table = try run(["strategies"])
        #expect(table.stdout.contains("--fast") && table.stdout.contains("30"))
    }

    @Test func equityCSVHasOneRowPerBar() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-eq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("equity.csv").path
        let r = try run(["backtest", "--output", "quiet", "--equity-csv", path])
        #expect(r.status == 0 && r.stdout.isEmpty)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2149)
        #expect(lines[0] == "Date,Equity,DrawdownPct")
        #expect(lines[1].hasPrefix("2004-08-19,10000"))
    }

    @Test func everyStrategyRunsLongShortOnSyntheticBars() throws {
        for s in ["sma-crossover", "momentum", "mean-reversion", "volatility", "breakout", "scalp", "ensemble"] {
            let r = try run(["backtest", "--strategy", s, "--synthetic", "3000", "--long-short", "--output", "json"])
            #expect(r.status == 0, "\(s): \(r.stderr)")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let metrics = try #require(doc["metrics"] as? [String: Any])
            #expect((metrics["bars"] as? Int) == 3000)
        }
    }

    @Test func dateRangeRestrictsTheBars() throws {
        let r = try run(["backtest", "--start", "2010-01-01", "--end", "2010-12-31", "--output", "json"])
        #expect(r.status == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let metrics = try #require(doc["metrics"] as? [String: Any])
        #expect(metrics["start"] as? String == "2010-01-04")
        #expect(metrics["end"] as? String == "2010-12-31")
        #expect(metrics["bars"] as? Int == 252)
    }

    @Test func helpAndVersionExitZero() throws {
        let h = try run(["--help"])
        #expect(h.status == 0 && h.stdout.contains("backtest"))
        let v = try run(["--version"])
        #expect(v.status == 0 && !v.stdout.isEmpty)
    }
}

extension CLIProcessTests {
    @Test func optimizeGridRanksTheIssuesGoogGrid() throws {
        let r = try run(["optimize", "--param", "fast=5:50:5", "--param", "slow=20:200:20", "--constraint", "fast<slow",
                         "--commission", "0.002", "--output", "json", "--top", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["sets"] as? Int == 90 && doc["evaluated"] as? Int == 90)
        let ranked = try #require(doc["ranked"] as? [[String: Any]])
        #expect(ranked.count == 3)
        let scores = ranked.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))
        // The SMA(10, 20) run is in the grid; its Sharpe 0.863097952946099 comes from
        // backtesting.py (Tests/Fixtures/backtesting_py_reference.json), so the best is at least that.
        #expect(scores[0] >= 0.863097952946099 - 1e-9)
    }

    @Test func optimizeRandomSearchIsReproducible() throws {
        let args = ["optimize", "--strategy", "momentum", "--param", "lookback=5:100:5", "--param", "threshold=0.005:0.05:0.005",
                    "--method", "random", "--samples", "15", "--seed", "11", "--metric", "sqn", "--output", "json", "--top", "15",
                    "--no-save"]   // a saved search's JSON starts with its own run_id
        let a = try run(args), b = try run(args)
        #expect(a.status == 0 && a.stdout == b.stdout)
        var other = args
        other[other.firstIndex(of: "11")!] = "12"
        #expect(try run(other).stdout != a.stdout)
    }

    @Test func optimizeRejectsBadInputWithOneLine() throws {
        for args in [["optimize", "--param", "fast=5:50"], ["optimize", "--param", "lookback=5:50:5"],
                     ["optimize", "--param", "fast=30:40:5", "--param", "slow=10:20:5", "--constraint", "fast<slow"],
                     ["optimize", "--param", "fast=5:10:5", "--method", "random", "--seed", "abc"],
                     ["optimize", "--param", "fast=0:10:5", "--param", "slow=20:30:5"],
                     ["optimize", "--param", "fast=5:10:5", "--metric", "nope"], ["optimize", "--method", "annealing"]] {
            let r = try run(args)
            #expect(r.status == 2, "\(args) exited \(r.status)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
    }
}

extension CLIProcessTests {
    @Test func optimizeWalkForwardFoldsDoNotOverlap() throws {
        let r = try run(["optimize", "--method", "walk-forward", "--train", "365", "--test", "180", "--step", "180",
                         "--param", "fast=5:20:5", "--param", "slow=20:60:20", "--constraint", "fast<slow",
                         "--metric", "return", "--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let folds = try #require(doc["folds"] as? [[String: Any]])
        #expect(folds.count > 10)
        for f in folds {
            let trainEnd = try #require(f["train_end"] as? String), testStart = try #require(f["test_start"] as? String)
            #expect(trainEnd < testStart)  // ISO dates compare as strings
        }
        for (a, b) in zip(folds, folds.dropFirst()) {
            #expect((a["test_end"] as! String) < (b["test_start"] as! String))
        }
        #expect((doc["out_of_sample_return_pct"] as? Double)?.isFinite == true)
    }
}

extension CLIProcessTests {
    @Test func optimizeWritesAHeatMapWithACellPerPair() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-heat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("grid.svg").path
        let r = try run(["optimize", "--param", "fast=5:50:5", "--param", "slow=20:200:20", "--constraint", "fast<slow",
                         "--commission", "0.002", "--heatmap", path, "--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "fill=\"rgb(").count - 1 == 90)   // one colored cell per valid pair
        #expect(svg.components(separatedBy: "fill=\"#eee\"").count - 1 == 10) // fast >= slow: empty
        // Sharpe of SMA(10, 20) from backtesting.py's reference run: 0.863097952946099.
        #expect(svg.contains("fast=10, slow=20: 0.8631"))
        let bad = try run(["optimize", "--param", "fast=5:50:5", "--heatmap", path])
        #expect(bad.status == 2 && bad.stderr.contains("two --param"))
    }
}

extension CLIProcessTests {
    @Test func severalSymbolsGiveOneRowEachAndATotal() throws {
        let r = try run(["backtest", "--symbols", "GOOG, EURUSD", "--fast", "10", "--slow", "20", "--commission", "0.002", "--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(doc["symbols"] as? [[String: Any]])
        #expect(rows.compactMap { $0["symbol"] as? String } == ["GOOG", "EURUSD"])
        // GOOG's row is the single-symbol run: 46 trades, final equity 63341.19136 (backtesting.py's reference).
        #expect(rows[0]["trades"] as? Int == 46)
        #expect(abs((rows[0]["equity_final"] as? Double ?? 0) - 63341.19135999998) < 1e-6)
        let total = try #require(doc["total"] as? [String: Any])
        let finals = rows.compactMap { $0["equity_final"] as? Double }
        #expect(abs((total["equity_final"] as? Double ?? 0) - finals.reduce(0, +)) < 1e-6)
        #expect(total["trades"] as? Int == rows.compactMap { $0["trades"] as? Int }.reduce(0, +))
        let bad = try run(["backtest", "--symbols", "GOOG", "--symbol", "GOOG"])
        #expect(bad.status == 2)
    }

    /// Ctrl-C during a long search: the process prints the best sets so far (here as JSON, marked
    /// cancelled) and exits with 130. The search (810 sets over 200,000 bars, ~0.1 s each in a
    /// debug build) takes well over a minute, so the signal, sent after five seconds (enough for
    /// some sets to finish even on a heavily loaded machine), always lands mid-search.
    @Test func interruptedOptimizeReportsTheBestSoFar() throws {
        let running = try Subprocess.start(Self.executable.path, ["optimize", "--synthetic", "50000", "--timeframe", "1m", "--param", "fast=5:50:1",
                                                                  "--param", "slow=20:200:10", "--constraint", "fast<slow", "--top", "3", "--output", "json",
                                                                  "--jobs", "2", "--log-level", "debug"],
                                           environment: Self.environment(), directory: Self.root.path)
        // Interrupted once the optimizer reports its first chunk of sets done (a debug log line
        // without a terminal): some sets are evaluated, most are not.
        #expect(running.waitForError(containing: "optimize sma-crossover: ", limit: .seconds(300)), "no progress: \(running.stderrSoFar())")
        running.signal(SIGINT)
        let r = running.wait()
        let e = r.stderr
        let o = Data(r.stdout.utf8)
        #expect(!r.signaled)
        #expect(r.status == 130)
        #expect(e.split(separator: "\n").contains { $0.hasPrefix("interrupted: stopped after ") }, "stderr: \(e)")
        let doc = try #require(try JSONSerialization.jsonObject(with: o) as? [String: Any])
        #expect(doc["cancelled"] as? Bool == true)
        let evaluated = try #require(doc["evaluated"] as? Int)
        #expect(evaluated > 0 && evaluated < 810)
        let ranked = try #require(doc["ranked"] as? [[String: Any]])
        #expect(!ranked.isEmpty && ranked.count <= 3)
    }

    /// A folder of CSVs runs one backtest per file in parallel; each row equals the single backtest
    /// of that file, and one malformed file fails the whole batch with its file and line (exit 2).
    @Test func backtestFolderRunsEveryCSVAndMatchesSingleRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["GOOG", "EURUSD"] {
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("data/sample/\(name).csv"),
                                             to: dir.appendingPathComponent("\(name.lowercased()).csv"))
        }
        let batch = try run(["backtest", "--symbols", dir.path, "--output", "json", "--jobs", "2"])
        #expect(batch.status == 0, "\(batch.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(batch.stdout.utf8)) as? [String: Any])
        let rows = try #require(doc["symbols"] as? [[String: Any]])
        #expect(rows.compactMap { $0["symbol"] as? String } == ["EURUSD", "GOOG"])
        for row in rows {
            let symbol = try #require(row["symbol"] as? String)
            let single = try run(["backtest", "--data", dir.appendingPathComponent("\(symbol.lowercased()).csv").path, "--output", "json"])
            let one = try #require(try JSONSerialization.jsonObject(with: Data(single.stdout.utf8)) as? [String: Any])
            let metrics = try #require(one["metrics"] as? [String: Any])
            #expect(row["equity_final"] as? Double == metrics["equity_final"] as? Double, "\(symbol)")
            #expect(row["trades"] as? Int == metrics["trades"] as? Int, "\(symbol)")
        }
        try "Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,1.5,10\n2020-01-03,1,x,0.5,1.5,10\n"
            .write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try run(["backtest", "--data", dir.path])
        #expect(bad.status == 2)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr.contains("bad.csv:3:"), "\(bad.stderr)")
    }
}
