import Foundation
import TestSupport
import Testing

/// `gpt-trader status`: data, cache, database and what runs, with down services reported, not thrown.
@Suite struct StatusCommandTests {
    let cli = CLIProcessTests()

    func json(_ r: CLIProcessTests.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
    }

    /// Nothing configured: no cache, and the default run database (a SQLite file in
    /// GPT_TRADER_HOME) that no run has created yet — reported, not created by looking.
    @Test func reportsDataAndUnconfiguredServices() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-status-home-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = ["GPT_TRADER_CACHE_URL": "", "GPT_TRADER_DATABASE_URL": "", "GPT_TRADER_HOME": home]
        let r = try cli.run(["status", "--output", "json"], environment: environment)
        #expect(r.status == 0)
        let doc = try json(r)
        let data = try #require(doc["data"] as? [String: Any])
        #expect((data["csv_symbols"] as? [String])?.contains("GOOG") == true)
        #expect((doc["cache"] as? [String: Any])?["configured"] as? Bool == false)
        let database = try #require(doc["database"] as? [String: Any])
        #expect(database["target"] as? String == "sqlite:\(home)/runs.sqlite")
        #expect(database["reachable"] is NSNull && (database["detail"] as? String)?.contains("no runs saved yet") == true)
        #expect(!FileManager.default.fileExists(atPath: home + "/runs.sqlite"))
        let table = try cli.run(["status"], environment: environment)
        #expect(table.stdout.contains("GOOG") && table.stdout.contains("in-process only") && table.stdout.contains("Running"))
    }

    @Test func downServicesAreReportedWithoutPasswords() throws {
        let r = try cli.run(["status", "--output", "json", "--cache-url", "redis://127.0.0.1:1/0",
                             "--database-url", "postgres://trader:hunter2@127.0.0.1:1/runs"])
        #expect(r.status == 0)
        #expect(!r.stdout.contains("hunter2") && !r.stderr.contains("hunter2"))
        let doc = try json(r)
        #expect((doc["cache"] as? [String: Any])?["reachable"] as? Bool == false)
        let database = try #require(doc["database"] as? [String: Any])
        #expect(database["reachable"] as? Bool == false && (database["target"] as? String)?.contains("***") == true)
    }

    /// A SQLite run database with one saved run: reachable, its schema version and the run.
    @Test func reportsTheDatabasesSchemaAndRecentRuns() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-status-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let saved = try cli.run(["backtest", "--output", "json", "--database-url", "sqlite:\(path)"])
        let runID = try #require(try json(saved)["run_id"] as? String)
        let r = try cli.run(["status", "--output", "json", "--database-url", "sqlite:\(path)"])
        let doc = try json(r)
        #expect((doc["database"] as? [String: Any])?["reachable"] as? Bool == true)
        #expect((doc["schema_version"] as? Int ?? 0) >= 3 && doc["pending_migrations"] as? Int == 0)
        let recent = try #require(doc["recent_runs"] as? [[String: Any]])
        #expect(recent.count == 1 && (recent.first?["id"] as? String)?.lowercased() == runID)
    }
}

/// `status --url`: a server's status document, read over HTTP from a local server that serves
/// what `status --output json` printed here.
@Suite struct RemoteStatusTests {
    let cli = CLIProcessTests()

    @Test func readsAServersStatusDocument() throws {
        let local = try cli.run(["status", "--output", "json"])
        #expect(local.status == 0)
        let server = try LoopbackHTTPServer(routes: ["/api/v1/status": .init(body: local.stdout)])
        defer { server.stop() }
        let remote = try cli.run(["status", "--url", server.url, "--output", "json"])
        #expect(remote.status == 0, "\(remote.stderr)")
        #expect(remote.stdout == local.stdout)
        let table = try cli.run(["status", "--url", server.url + "/"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("at \(server.url)/") && table.stdout.contains("Database"))
        #expect(server.requests.allSatisfy { $0 == "GET /api/v1/status HTTP/1.1" }, "\(server.requests)")
    }

    @Test func aServerErrorOrNoServerIsExitOne() throws {
        let server = try LoopbackHTTPServer(routes: ["/api/v1/status": .init(status: 500, body: "{\"error\":\"database down\"}")])
        let failing = try cli.run(["status", "--url", server.url])
        #expect(failing.status == 1 && failing.stderr.contains("answered HTTP 500") && failing.stderr.contains("database down"))
        server.set("/api/v1/status", .init(body: "not json", contentType: "text/plain"))
        let garbage = try cli.run(["status", "--url", server.url])
        #expect(garbage.status == 1 && garbage.stderr.contains("did not answer with a status document"))
        let port = server.port
        server.stop()
        let gone = try cli.run(["status", "--url", "http://127.0.0.1:\(port)"])
        #expect(gone.status == 1 && gone.stderr.contains("cannot reach http://127.0.0.1:\(port)/api/v1/status"))
        let bad = try cli.run(["status", "--url", "ftp://x"])
        #expect(bad.status == 2 && bad.stderr.contains("--url must be http://host:port"))
    }
}
