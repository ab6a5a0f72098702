import SQLiteNIO

extension SQLiteRunStore {
    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await lock.withLock {
            try await run(Migrations.createTable(Migrations.sqliteDialect), [], "create schema_migrations")
            let applied = Set(try await appliedVersions().map(\.version))
            try Self.checkNotNewer(applied, known: Migrations.sqlite)
            var done: [Migration] = []
            for migration in Migrations.sqlite where !applied.contains(migration.version) {
                let operation = "migration \(migration.version) (\(migration.name))"
                try await run("BEGIN IMMEDIATE", [], operation)
                do {
                    // Another process may have applied it while this one waited for the write
                    // lock: look again inside the transaction.
                    if try await !run("SELECT 1 FROM schema_migrations WHERE version = ?", [.integer(migration.version)], operation).isEmpty {
                        try await run("COMMIT", [], operation)
                        continue
                    }
                    for statement in migration.statements { try await run(statement, [], operation) }
                    try await run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                  [.integer(migration.version), .text(migration.name), .integer(Int(StoreClock.nowNanos()))], operation)
                    try await run("COMMIT", [], operation)
                } catch {
                    _ = try? await connection.query("ROLLBACK")
                    throw error
                }
                done.append(migration)
            }
            return done
        }
    }

    public func status() async throws -> MigrationStatus {
        try await lock.withLock {
            // A database never migrated has no bookkeeping table yet: everything is pending.
            let exists = try await !run("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", [],
                                        "read schema_migrations").isEmpty
            let applied = exists ? try await appliedVersions() : []
            let versions = Set(applied.map(\.version))
            return MigrationStatus(backend: "sqlite \(path)", applied: applied,
                                   pending: Migrations.sqlite.filter { !versions.contains($0.version) })
        }
    }

    private func appliedVersions() async throws -> [MigrationStatus.Applied] {
        try await run("SELECT version, name, applied_at FROM schema_migrations ORDER BY version", [], "read schema_migrations").map {
            MigrationStatus.Applied(version: $0.column("version")?.integer ?? 0, name: $0.column("name")?.string ?? "",
                                    appliedAt: Int64($0.column("applied_at")?.integer ?? 0))
        }
    }

    static func checkNotNewer(_ applied: Set<Int>, known: [Migration]) throws {
        let highest = known.map(\.version).max() ?? 0
        if let newest = applied.max(), newest > highest { throw StoreError.schemaTooNew(applied: newest, known: highest) }
    }
}
