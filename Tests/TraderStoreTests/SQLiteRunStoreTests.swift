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
        await #expect(throws: StoreError.schemaTooNew(applied: 99, known: MigrationStatus.latestVersion)) { try await SQLiteRunStore.open(path: path) }
    }

    /// A run saved before schema v6 has its curve in `equity_points`: it still reads back.
    @Test func runsSavedBeforeChunksStillLoad() async throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await SQLiteRunStore.open(path: path)
        var run = Samples.run(bars: 3, trades: 0)
        run.equity = .empty
        try await store.saveRun(run)
        for (i, (ts, v)) in [(Int64(10), 1.5), (20, .nan), (30, 2.5)].enumerated() {
            try await store.run("INSERT INTO equity_points (run_id, idx, ts, equity) VALUES (?, ?, ?, ?)",
                                [.text(run.id.uuidString), .integer(i), .integer(Int(ts)), v.isNaN ? .null : .float(v)], "test")
        }
        let loaded = try #require(try await store.loadRun(id: run.id))
        #expect(loaded.equity.timestamps == [10, 20, 30] && loaded.equity.values[0] == 1.5 && loaded.equity.values[1].isNaN)
        #expect(try await store.equity(runID: run.id, from: 15, to: nil)?.timestamps == [20, 30])
        try await store.close()
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
        #expect { try MetricsJSON.decode("{", field: "m") } throws: { error in
            guard case StoreError.corrupt(let field, let reason)? = error as? StoreError else { return false }
            return field == "m" && reason.contains("invalid JSON")
        }
    }

    /// Every finite double reads back bit for bit. Foundation's JSONSerialization on Linux
    /// changed the last digits of such values (0.7972648573498426 read as …425), which is why
    /// MetricsJSON parses with JSONValue; the first two are values it got wrong.
    @Test func readsBackDoublesBitForBit() throws {
        var values: [String: Double] = ["sharpe": 0.7972648573498426, "equity": 54101.369159999995]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let bits = state >> 2   // no NaN/∞ patterns: exponent below all-ones
            values["v\(i)"] = Double(bitPattern: bits)
        }
        let back = try MetricsJSON.decode(MetricsJSON.encode(values), field: "m")
        for (key, value) in values where back[key]?.bitPattern != value.bitPattern {
            Issue.record("\(key): \(value) read back as \(back[key] ?? .nan)")
        }
    }
}

@Suite struct SQLiteConcurrencyTests {
    /// Several processes (here: connections) opening a new file at once migrate it once: each
    /// migration is re-checked inside its write transaction.
    @Test func concurrentFirstOpensMigrateOnce() async throws {
        let (directory, path) = SQLiteRunStoreTests.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Results, not a throwing group: a failed open must not drop the stores that opened
        // without closing them.
        let results = await withTaskGroup(of: Result<SQLiteRunStore, any Error>.self) { group in
            for _ in 0..<4 { group.addTask { do { return .success(try await SQLiteRunStore.open(path: path)) } catch { return .failure(error) } } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        var stores: [SQLiteRunStore] = []
        for result in results {
            switch result {
            case .success(let store): stores.append(store)
            case .failure(let error): Issue.record("open failed: \(error)")
            }
        }
        #expect(stores.count == 4)
        for store in stores {
            #expect(try await store.status().applied.map(\.version) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
            try await store.close()
        }
    }
}
