import PostgresNIO

extension PostgresRunStore {
    /// Advisory lock key held while migrating, so two processes opening the same database at once
    /// apply each migration once.
    static let migrationLock: Int64 = 0x6770_7474_7261_6465   // "gpttrade"

    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await transaction("migrate") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: self.logger)
            try await connection.query(PostgresQuery(unsafeSQL: Migrations.createTable(Migrations.postgresDialect)), logger: self.logger)
            let applied = Set(try await Self.applied(connection, logger: self.logger).map(\.version))
            try SQLiteRunStore.checkNotNewer(applied, known: Migrations.postgres)
            var done: [Migration] = []
            for migration in Migrations.postgres where !applied.contains(migration.version) {
                // All pending steps in this one transaction (PostgreSQL's DDL is transactional):
                // a failing step leaves the schema as it was, and names itself.
                do {
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                    }
                    let now = StoreClock.nowNanos()
                    try await connection.query(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(migration.version), \(migration.name), \(now))",
                        logger: self.logger)
                } catch {
                    throw StoreError.query(operation: "migration \(migration.version) (\(migration.name))",
                                           reason: PostgresErrors.reason(error, password: self.configuration.url.password))
                }
                done.append(migration)
            }
            return done
        }
    }

    public func status() async throws -> MigrationStatus {
        let applied = try await withRetry("read schema_migrations") { connection -> [MigrationStatus.Applied] in
            // A database never migrated has no bookkeeping table yet: everything is pending.
            let exists = try await Self.rows(connection, "SELECT to_regclass('schema_migrations') IS NOT NULL AS present", logger: self.logger)
            guard let row = exists.first, (try? row["present"].decode(Bool.self)) == true else { return [] }
            return try await Self.applied(connection, logger: self.logger)
        }
        let versions = Set(applied.map(\.version))
        return MigrationStatus(backend: "postgres \(configuration.url.redacted)", applied: applied,
                               pending: Migrations.postgres.filter { !versions.contains($0.version) })
    }

    static func applied(_ connection: PostgresConnection, logger: Logger) async throws -> [MigrationStatus.Applied] {
        try await rows(connection, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version", logger: logger).map {
            MigrationStatus.Applied(version: Int(try int($0, "version")), name: try text($0, "name"), appliedAt: try int($0, "applied_at"))
        }
    }
}
