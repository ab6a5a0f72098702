public import Foundation
import PostgresNIO

extension PostgresRunStore {
    @discardableResult
    public func saveOptimization(_ optimization: NewOptimization) async throws -> Bool {
        let o = optimization
        let id = o.id.uuidString
        return try await transaction("save optimization \(id)") { connection in
            let inserted = try await Self.rows(connection, """
                INSERT INTO optimizations (id, created_at, strategy, symbol, objective, configuration, result_count)
                VALUES (\(id), \(o.createdAt), \(o.strategy), \(o.symbol), \(o.objective), \(o.configuration), \(o.results.count))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: self.logger)
            guard !inserted.isEmpty else { return false }
            try await Self.insertRows(connection, table: "optimization_results", columns: ["optimization_id", "rank", "parameters", "score", "metrics"],
                                      rowCount: o.results.count, logger: self.logger) { i, b in
                let r = o.results[i]
                b.append(id); b.append(i + 1); b.append(MetricsJSON.encode(r.parameters)); b.append(Self.finite(r.score))
                b.append(MetricsJSON.encode(r.metrics))
            }
            return true
        }
    }

    public func loadOptimization(id: UUID) async throws -> StoredOptimization? {
        let key = id.uuidString
        return try await withRetry("load optimization \(key)") { connection -> StoredOptimization? in
            try await Self.readOnly(connection, logger: self.logger) { () -> StoredOptimization? in
                guard let row = try await Self.rows(connection, "SELECT * FROM optimizations WHERE id = \(key)", logger: self.logger).first else { return nil }
                let results = try await Self.rows(connection, "SELECT * FROM optimization_results WHERE optimization_id = \(key) ORDER BY rank",
                                                  logger: self.logger).map { r in
                    OptimizationResultRecord(
                        parameters: try MetricsJSON.decode(try Self.text(r, "parameters"), field: "optimization_results.parameters"),
                        score: try Self.optionalDouble(r, "score") ?? .nan,
                        metrics: try MetricsJSON.decode(try Self.text(r, "metrics"), field: "optimization_results.metrics"))
                }
                return StoredOptimization(id: id, createdAt: try Self.int(row, "created_at"), strategy: try Self.text(row, "strategy"),
                                          symbol: try Self.text(row, "symbol"), objective: try Self.text(row, "objective"),
                                          configuration: try Self.text(row, "configuration"), results: results)
            }
        }
    }

    public func listOptimizations(_ filter: RunFilter) async throws -> [StoredOptimizationSummary] {
        try await list(table: "optimizations", columns: OptimizationSummaryColumns.list, filter: filter, operation: "list optimizations").map { r in
            StoredOptimizationSummary(id: try Self.uuid(r, "id"), createdAt: try Self.int(r, "created_at"), strategy: try Self.text(r, "strategy"),
                                      symbol: try Self.text(r, "symbol"), objective: try Self.text(r, "objective"),
                                      resultCount: Int(try Self.int(r, "result_count")))
        }
    }

    @discardableResult
    public func deleteOptimization(id: UUID) async throws -> Bool {
        let key = id.uuidString
        return try await transaction("delete optimization \(key)") { connection in
            !(try await Self.rows(connection, "DELETE FROM optimizations WHERE id = \(key) RETURNING id", logger: self.logger).isEmpty)
        }
    }

    @discardableResult
    public func appendEvent(id: UUID, kind: String, payload: String) async throws -> Int64 {
        if kind.isEmpty { throw StoreError.invalid(field: "kind", reason: "is empty") }
        let key = id.uuidString
        let now = StoreClock.nowNanos()
        return try await transaction("append event \(key)") { connection in
            try await connection.query("INSERT INTO events (id, created_at, kind, payload) VALUES (\(key), \(now), \(kind), \(payload)) ON CONFLICT (id) DO NOTHING",
                                       logger: self.logger)
            guard let row = try await Self.rows(connection, "SELECT seq FROM events WHERE id = \(key)", logger: self.logger).first else {
                throw StoreError.corrupt(field: "events.seq", reason: "appended event not found")
            }
            return try Self.int(row, "seq")
        }
    }

    public func events(since sequence: Int64, limit: Int) async throws -> [StoredEvent] {
        let rows = try await withRetry("read events") {
            try await Self.rows($0, "SELECT seq, id, created_at, kind, payload FROM events WHERE seq > \(sequence) ORDER BY seq LIMIT \(max(0, limit))",
                                logger: self.logger)
        }
        return try rows.map { r in
            StoredEvent(sequence: try Self.int(r, "seq"), id: try Self.uuid(r, "id"), createdAt: try Self.int(r, "created_at"),
                        kind: try Self.text(r, "kind"), payload: try Self.text(r, "payload"))
        }
    }
}
