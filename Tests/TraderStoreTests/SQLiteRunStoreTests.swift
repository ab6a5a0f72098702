import Foundation
import Testing
@testable import TraderStore

@Suite struct SQLiteRunStoreTests {
    static func temporaryPath() -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-test-\(UUID().uuidString)")
        return (directory, directory.appendingPathComponent("nested/runs.sqlite").path)
    }

    @Test func usesWALAndKeepsRunsAcrossReopen() async throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = Samples.run(bars: 1_501)
        do {
            let store = try await SQLiteRunStore.open(path: path)   // creates the nested directory
            #expect(try await store.journalMode() == "wal")
            try await store.saveRun(run)
            try await store.close()
        }
        let reopened = try await SQLiteRunStore.open(path: path)
        #expect(try await reopened.migrate().isEmpty)
        #expect(try await reopened.loadRun(id: run.id)?.equity == run.equity)
        try await reopened.close()
    }

    @Test func refusesADatabaseFromANewerProgram() async throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await SQLiteRunStore.open(path: path)
        try await store.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)", [], "test")
        try await store.close()
        await #expect(throws: StoreError.schemaTooNew(applied: 99, known: 3)) { try await SQLiteRunStore.open(path: path) }
    }

    @Test func unopenableFileIsOneClearError() async throws {
        await #expect(throws: StoreError.self) { try await SQLiteRunStore.open(path: "/proc/no-such-dir/runs.sqlite") }
    }
}

@Suite struct MetricsJSONTests {
    @Test func roundTripsEveryDoubleIncludingInfinities() throws {
        let values: [String: Double] = ["a": 0.1, "b": -1e-300, "c": .infinity, "d": -.infinity, "e": 1.0 / 3.0, "quote\"key": 5,
                                        "big": 123_456_789_012_345.67]
        let text = MetricsJSON.encode(values)
        #expect(try MetricsJSON.decode(text, field: "m") == values)
        #expect(MetricsJSON.encode(["x": .nan]) == #"{"x":null}"#)
        #expect(try MetricsJSON.decode(#"{"x":null}"#, field: "m")["x"]?.isNaN == true)
        #expect(throws: StoreError.corrupt(field: "m.x", reason: "not a number")) { try MetricsJSON.decode(#"{"x":[1]}"#, field: "m") }
        #expect(throws: StoreError.corrupt(field: "m", reason: "not JSON")) { try MetricsJSON.decode("{", field: "m") }
    }
}
