public import Foundation
import SQLiteNIO

extension SQLiteRunStore {
    @discardableResult
    public func saveOptimization(_ optimization: NewOptimization) async throws -> Bool {
        let id = optimization.id.uuidString
        let operation = "save optimization \(id)"
        return try await transaction(operation) {
            let inserted = try await self.run(
                """
                INSERT INTO optimizations (id, created_at, strategy, symbol, objective, configuration, result_count)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id
                """,
                [.text(id), .integer(Int(optimization.createdAt)), .text(optimization.strategy), .text(optimization.symbol),
                 .text(optimization.objective), .text(optimization.configuration), .integer(optimization.results.count)], operation)
            guard !inserted.isEmpty else { return false }
            try await insertRows(table: "optimization_results", columns: ["optimization_id", "rank", "parameters", "score", "metrics"],
                                 rowCount: optimization.results.count, operation: operation) { i, binds in
                let r = optimization.results[i]
                binds.append(contentsOf: [.text(id), .integer(i + 1), .text(MetricsJSON.encode(r.parameters)), Self.real(r.score),
                                          .text(MetricsJSON.encode(r.metrics))])
            }
            return true
        }
    }

    public func loadOptimization(id: UUID) async throws -> StoredOptimization? {
        let key = id.uuidString
        let operation = "load optimization \(key)"
        return try await lock.withLock { () -> StoredOptimization? in
            guard let row = try await self.run("SELECT * FROM optimizations WHERE id = ?", [.text(key)], operation).first else { return nil }
            let results = try await self.run("SELECT * FROM optimization_results WHERE optimization_id = ? ORDER BY rank",
                                             [.text(key)], operation).map { r in
                OptimizationResultRecord(parameters: try MetricsJSON.decode(try Self.text(r, "parameters"), field: "optimization_results.parameters"),
                                         score: r.column("score")?.double ?? .nan,
                                         metrics: try MetricsJSON.decode(try Self.text(r, "metrics"), field: "optimization_results.metrics"))
            }
            return StoredOptimization(id: id, createdAt: Int64(try Self.int(row, "created_at")), strategy: try Self.text(row, "strategy"),
                                      symbol: try Self.text(row, "symbol"), objective: try Self.text(row, "objective"),
                                      configuration: try Self.text(row, "configuration"), results: results)
        }
    }

    public func listOptimizations(_ filter: RunFilter) async throws -> [StoredOptimizationSummary] {
        try await list(table: "optimizations", columns: OptimizationSummaryColumns.list, filter: filter, operation: "list optimizations").map { r in
            guard let id = UUID(uuidString: try Self.text(r, "id")) else { throw StoreError.corrupt(field: "optimizations.id", reason: "not a UUID") }
            return StoredOptimizationSummary(id: id, createdAt: Int64(try Self.int(r, "created_at")), strategy: try Self.text(r, "strategy"),
                                             symbol: try Self.text(r, "symbol"), objective: try Self.text(r, "objective"),
                                             resultCount: try Self.int(r, "result_count"))
        }
    }

    @discardableResult
    public func deleteOptimization(id: UUID) async throws -> Bool {
        try await transaction("delete optimization \(id)") {
            // Foreign keys cascade to optimization_results.
            !(try await self.run("DELETE FROM optimizations WHERE id = ? RETURNING id", [.text(id.uuidString)], "delete optimization \(id)").isEmpty)
        }
    }

    @discardableResult
    public func appendEvent(id: UUID, kind: String, payload: String) async throws -> Int64 {
        if kind.isEmpty { throw StoreError.invalid(field: "kind", reason: "is empty") }
        let key = id.uuidString
        return try await transaction("append event \(key)") {
            try await self.run("INSERT INTO events (id, created_at, kind, payload) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                               [.text(key), .integer(Int(StoreClock.nowNanos())), .text(kind), .text(payload)], "append event \(key)")
            guard let row = try await self.run("SELECT seq FROM events WHERE id = ?", [.text(key)], "append event \(key)").first else {
                throw StoreError.corrupt(field: "events.seq", reason: "appended event not found")
            }
            return Int64(try Self.int(row, "seq"))
        }
    }

    public func events(since sequence: Int64, limit: Int) async throws -> [StoredEvent] {
        let rows = try await lock.withLock {
            try await self.run("SELECT seq, id, created_at, kind, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                               [.integer(Int(sequence)), .integer(max(0, limit))], "read events")
        }
        return try rows.map { r in
            guard let id = UUID(uuidString: try Self.text(r, "id")) else { throw StoreError.corrupt(field: "events.id", reason: "not a UUID") }
            return StoredEvent(sequence: Int64(try Self.int(r, "seq")), id: id, createdAt: Int64(try Self.int(r, "created_at")),
                               kind: try Self.text(r, "kind"), payload: try Self.text(r, "payload"))
        }
    }
}
