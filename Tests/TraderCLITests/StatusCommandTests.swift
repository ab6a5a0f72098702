import Foundation
import Testing

/// `gpt-trader status`: data, cache, database and what runs, with down services reported, not thrown.
@Suite struct StatusCommandTests {
    let cli = CLIProcessTests()

    func json(_ r: CLIProcessTests.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
    }

    @Test func reportsDataAndUnconfiguredServices() throws {
        let r = try cli.run(["status", "--output", "json"], environment: ["GPT_TRADER_CACHE_URL": "", "GPT_TRADER_DATABASE_URL": ""])
        #expect(r.status == 0)
        let doc = try json(r)
        let data = try #require(doc["data"] as? [String: Any])
        #expect((data["csv_symbols"] as? [String])?.contains("GOOG") == true)
        #expect((doc["cache"] as? [String: Any])?["configured"] as? Bool == false)
        #expect((doc["database"] as? [String: Any])?["configured"] as? Bool == false)
        let table = try cli.run(["status"], environment: ["GPT_TRADER_CACHE_URL": "", "GPT_TRADER_DATABASE_URL": ""])
        #expect(table.stdout.contains("GOOG") && table.stdout.contains("not configured") && table.stdout.contains("Running"))
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

    /// A SQLite run database: opened (and migrated), its schema version reported.
    @Test func reportsTheDatabasesSchema() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-status-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let r = try cli.run(["status", "--output", "json", "--database-url", "sqlite:\(path)"])
        let doc = try json(r)
        #expect((doc["database"] as? [String: Any])?["reachable"] as? Bool == true)
        #expect((doc["schema_version"] as? Int ?? 0) >= 1 && doc["pending_migrations"] as? Int == 0)
    }
}
