import Foundation
import Testing
import TraderStore

/// `runs` and `db`, and the saving of every backtest and optimization, through the executable.
/// Each test has its own SQLite file (or PostgreSQL schema), so counts are its own.
@Suite struct RunsCommandTests {
    let cli = CLIProcessTests()

    /// A fresh SQLite run database; removed afterwards.
    final class Database {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-runs-\(UUID().uuidString).sqlite").path
        var url: String { "sqlite:\(path)" }
        deinit { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    }

    func json(_ r: CLIProcessTests.Output) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    }

    func list(_ db: String, _ extra: [String] = []) throws -> [[String: Any]] {
        let r = try cli.run(["runs", "list", "--output", "json", "--database-url", db] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try json(r) as? [[String: Any]])
    }

    /// The report of a saved run is the report the backtest printed, byte for byte: as JSON
    /// with the trade list, as a table, and the equity curve CSV.
    @Test func showPrintsTheSameReportAsTheBacktest() throws {
        let db = Database()
        let args = ["backtest", "--strategy", "momentum", "--lookback", "15", "--stop-loss", "0.05", "--trades", "--database-url", db.url]
        let ran = try cli.run(args + ["--output", "json"])
        #expect(ran.status == 0, "\(ran.stderr)")
        let id = try #require((try json(ran) as? [String: Any])?["run_id"] as? String)
        let shown = try cli.run(["runs", "show", String(id.prefix(8)), "--output", "json", "--trades", "--database-url", db.url])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout == ran.stdout)

        let table = try cli.run(args + ["--no-save"])
        let shownTable = try cli.run(["runs", "show", id, "--trades", "--database-url", db.url])
        #expect(table.status == 0 && shownTable.status == 0)
        #expect(shownTable.stdout == table.stdout && table.stdout.contains("Sharpe Ratio"))
        #expect(try list(db.url).count == 1, "--no-save saved nothing")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-runs-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try cli.run(args + ["--no-save", "--output", "quiet", "--equity-csv", dir.path + "/a.csv"]).status == 0)
        #expect(try cli.run(["runs", "show", id, "--output", "quiet", "--equity-csv", dir.path + "/b.csv", "--database-url", db.url]).status == 0)
        #expect(try String(contentsOfFile: dir.path + "/a.csv", encoding: .utf8) == String(contentsOfFile: dir.path + "/b.csv", encoding: .utf8))
    }

    @Test func listFiltersAndOrders() throws {
        let db = Database()
        for args in [["--strategy", "sma-crossover"], ["--strategy", "momentum"], ["--strategy", "momentum", "--symbol", "EURUSD"]] {
            #expect(try cli.run(["backtest", "--output", "quiet", "--database-url", db.url] + args).status == 0)
        }
        #expect(try cli.run(["optimize", "--param", "fast=5:10:5", "--param", "slow=20:30:10", "--output", "json", "--database-url", db.url]).status == 0)
        let all = try list(db.url)
        #expect(all.map { $0["kind"] as? String } == ["optimization", "backtest", "backtest", "backtest"])
        #expect(all.compactMap { $0["created"] as? String } == all.compactMap { $0["created"] as? String }.sorted(by: >))
        #expect(try list(db.url, ["--strategy", "momentum"]).count == 2)
        #expect(try list(db.url, ["--strategy", "momentum", "--symbol", "EURUSD"]).count == 1)
        #expect(try list(db.url, ["--kind", "backtest", "--limit", "2"]).count == 2)
        #expect(try list(db.url, ["--kind", "optimization"]).first?["results"] as? Int == 4)
        let table = try cli.run(["runs", "list", "--database-url", db.url])
        #expect(table.stdout.contains("momentum") && table.stdout.contains("EURUSD") && table.stdout.contains("4 sets"))
        let empty = try cli.run(["runs", "list", "--strategy", "nothing", "--database-url", db.url])
        #expect(empty.status == 0 && empty.stdout.contains("no saved runs"))
    }

    /// A saved search shows its ranked sets as `optimize` printed them.
    @Test func optimizationsAreSavedAndShown() throws {
        let db = Database()
        let ran = try cli.run(["optimize", "--param", "fast=5:20:5", "--param", "slow=20:60:20", "--top", "4", "--output", "json", "--database-url", db.url])
        #expect(ran.status == 0, "\(ran.stderr)")
        let doc = try #require(try json(ran) as? [String: Any])
        let id = try #require(doc["run_id"] as? String)
        let shown = try cli.run(["runs", "show", String(id.prefix(6)), "--output", "json", "--database-url", db.url])
        #expect(shown.status == 0, "\(shown.stderr)")
        let stored = try #require(try json(shown) as? [String: Any])
        #expect(stored["run_id"] as? String == id)
        let ranked = try #require(stored["ranked"] as? [[String: Any]])
        #expect(ranked.count == 4)
        #expect(NSArray(array: ranked).isEqual(to: try #require(doc["ranked"] as? [[String: Any]])))
        let table = try cli.run(["runs", "show", id, "--database-url", db.url])
        #expect(table.stdout.contains("fast") && table.stdout.contains("slow") && table.stdout.contains("max sharpe"))
        let compare = try cli.run(["runs", "compare", id, id, "--database-url", db.url])
        #expect(compare.status == 2 && compare.stderr.contains("is an optimization"))
    }

    @Test func compareAndDelete() throws {
        let db = Database()
        var ids: [String] = []
        for strategy in ["sma-crossover", "breakout"] {
            let r = try cli.run(["backtest", "--strategy", strategy, "--output", "json", "--database-url", db.url])
            ids.append(try #require((try json(r) as? [String: Any])?["run_id"] as? String))
        }
        let compared = try cli.run(["runs", "compare"] + ids + ["--database-url", db.url])
        #expect(compared.status == 0, "\(compared.stderr)")
        #expect(compared.stdout.contains(String(ids[0].prefix(8))) && compared.stdout.contains("breakout(") && compared.stdout.contains("Sharpe Ratio"))
        let asJSON = try #require(try json(try cli.run(["runs", "compare"] + ids + ["--output", "json", "--database-url", db.url])) as? [[String: Any]])
        #expect(asJSON.map { $0["run_id"] as? String } == ids)

        let deleted = try cli.run(["runs", "delete", ids[0], "--database-url", db.url])
        #expect(deleted.status == 0 && deleted.stdout.contains(ids[0]))
        let gone = try cli.run(["runs", "show", ids[0], "--database-url", db.url])
        #expect(gone.status == 2 && gone.stderr.contains("no run with id"), "\(gone.stderr)")
        #expect(try list(db.url).count == 1)
        let again = try cli.run(["runs", "delete", ids[0], "--database-url", db.url])
        #expect(again.status == 2)
    }

    @Test func badIdsAndURLsAreOneClearLine() throws {
        let db = Database()
        let notHex = try cli.run(["runs", "show", "xyz", "--database-url", db.url])
        #expect(notHex.status == 2 && notHex.stderr.contains("is not a run id"))
        // Two runs whose ids share no prefix cannot make "" ambiguous; use the empty-ish prefix of one hex digit over many runs instead.
        for _ in 0..<20 { #expect(try cli.run(["backtest", "--output", "quiet", "--database-url", db.url]).status == 0) }
        let ids = try list(db.url, ["--limit", "50"]).compactMap { $0["id"] as? String }
        let counts = Dictionary(grouping: ids, by: { $0.prefix(1) })
        let shared = try #require(counts.first { $0.value.count > 1 }?.key, "20 random ids share a first digit")
        let ambiguous = try cli.run(["runs", "show", String(shared), "--database-url", db.url])
        #expect(ambiguous.status == 2 && ambiguous.stderr.contains("ambiguous"), "\(ambiguous.stderr)")

        let scheme = try cli.run(["runs", "list", "--database-url", "mysql://x@y/z"])
        #expect(scheme.status == 2 && scheme.stderr.contains("--database-url"))
        let env = try cli.run(["runs", "list"], environment: ["GPT_TRADER_DATABASE_URL": "postgres://u:hunter2@127.0.0.1:5432/db?pool_size=zero"])
        #expect(env.status == 2 && env.stderr.contains("GPT_TRADER_DATABASE_URL") && env.stderr.contains("pool_size"))
        #expect(!env.stderr.contains("hunter2"))
    }

    /// A database that is down fails the backtest before it runs, names the target without its
    /// password and says how to go on without saving.
    @Test func unreachableDatabaseFailsBeforeTheRun() throws {
        let r = try cli.run(["backtest", "--database-url", "postgres://trader:hunter2@127.0.0.1:1/runs?connect_timeout=2"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("127.0.0.1:1") && r.stderr.contains("--no-save") && !r.stderr.contains("hunter2"), "\(r.stderr)")
        #expect(!r.stdout.contains("Sharpe"))
        #expect(try cli.run(["backtest", "--output", "quiet", "--no-save", "--database-url", "postgres://trader:hunter2@127.0.0.1:1/runs"]).status == 0)
    }

    @Test func dbStatusLooksAndMigrateApplies() throws {
        let db = Database()
        let before = try cli.run(["db", "status", "--output", "json", "--database-url", db.url])
        #expect(before.status == 0)
        let doc = try #require(try json(before) as? [String: Any])
        #expect(doc["exists"] as? Bool == false && doc["version"] as? Int == 0)
        let latest = try #require(doc["latest"] as? Int)
        #expect((doc["pending"] as? [Any])?.count == latest)
        #expect(!FileManager.default.fileExists(atPath: db.path), "status creates nothing")
        let migrated = try cli.run(["db", "migrate", "--database-url", db.url])
        #expect(migrated.status == 0 && migrated.stdout.contains("applied v1"), "\(migrated.stderr)")
        let after = try #require(try json(try cli.run(["db", "status", "--output", "json", "--database-url", db.url])) as? [String: Any])
        #expect(after["version"] as? Int == latest && (after["pending"] as? [Any])?.isEmpty == true)
        let again = try cli.run(["db", "migrate", "--database-url", db.url])
        #expect(again.stdout.contains("up to date"))
    }

    /// The same commands against the PostgreSQL of scripts/test, in a schema of this test's own.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GPT_TRADER_TEST_NO_SERVICES"] != "1" || ProcessInfo.processInfo.environment["GPT_TRADER_TEST_DATABASE_URL"] != nil))
    func postgresRunDatabase() async throws {
        let base = try #require(ProcessInfo.processInfo.environment["GPT_TRADER_TEST_DATABASE_URL"], "run the tests with scripts/test (starts PostgreSQL)")
        let schema = "cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let url = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
        let ran = try cli.run(["backtest", "--trades", "--output", "json", "--database-url", url])
        #expect(ran.status == 0, "\(ran.stderr)")
        let id = try #require((try json(ran) as? [String: Any])?["run_id"] as? String)
        let shown = try cli.run(["runs", "show", id, "--trades", "--output", "json", "--database-url", url])
        #expect(shown.stdout == ran.stdout, "\(shown.stderr)")
        let status = try #require(try json(try cli.run(["db", "status", "--output", "json", "--database-url", url])) as? [String: Any])
        #expect((status["pending"] as? [Any])?.isEmpty == true && (status["database"] as? String)?.contains("schema=\(schema)") == true)
        let store = try await PostgresRunStore.open(url: url)
        try await store.dropSchema()
        try await store.close()
    }

    /// `data archive` keeps bars in the run database; `data restore` writes them into another bar
    /// store, from which the same backtest gives the same report.
    @Test func archivedBarsRestoreToTheSameBacktest() throws {
        let db = Database()
        let archived = try cli.run(["data", "archive", "GOOG", "--start", "2006-01-01", "--database-url", db.url])
        #expect(archived.status == 0 && archived.stdout.contains("bars of GOOG (1d)"), "\(archived.stderr)")
        let list = try #require(try json(try cli.run(["data", "archived", "--output", "json", "--database-url", db.url])) as? [[String: Any]])
        #expect(list.count == 1 && list[0]["symbol"] as? String == "GOOG" && list[0]["first"] as? String == "2006-01-03")
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-restore-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: store) }
        let restored = try cli.run(["data", "restore", "GOOG", "--store", store, "--database-url", db.url])
        #expect(restored.status == 0 && restored.stdout.contains("GOOG_1d.gtbars"), "\(restored.stderr)")
        let fromArchive = try cli.run(["backtest", "--output", "json", "--no-save"], environment: ["GPT_TRADER_STORE_DIR": store])
        let fromCSV = try cli.run(["backtest", "--output", "json", "--no-save", "--start", "2006-01-01"])
        #expect(fromArchive.status == 0 && fromArchive.stdout == fromCSV.stdout)
        let missing = try cli.run(["data", "restore", "MSFT", "--store", store, "--database-url", db.url])
        #expect(missing.status == 2 && missing.stderr.contains("not archived"))
    }
}
