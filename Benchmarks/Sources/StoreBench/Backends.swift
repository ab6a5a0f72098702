import Foundation
import PostgresNIO
import SQLiteNIO
import TraderStore

/// What the measurements need besides the store: the driver's own connection to the same
/// database, for the naive one-INSERT-per-row baseline (which the store's API rightly does not
/// offer), and, where there is a server, the server's count of the store's connections.
protocol BenchBackend: Sendable {
    var name: String { get }
    var store: any RunStore { get }
    /// The settings that decide what a commit costs, printed with the figures.
    func durability() async throws -> [(String, String)]
    /// Inserts `count` rows into `equity_points` for the stored run `runID`, one INSERT statement
    /// with bound parameters per row, through the driver directly: each in its own (autocommit)
    /// transaction, or all inside one transaction.
    func insertRowByRow(runID: UUID, equity: EquityCurve, count: Int, oneTransaction: Bool) async throws
    /// Connections the store holds open, as the server sees them; nil where there is no server.
    func storeConnections() async throws -> Int?
    func closeStore() async throws
    /// Closes the bench's own connection and removes what the bench created where it can.
    func cleanUp() async throws
}

/// The embedded store and a second SQLiteNIO connection to the same file.
final class SQLiteBackend: BenchBackend {
    let name = "sqlite"
    let sqliteStore: SQLiteRunStore
    let raw: SQLiteConnection
    var store: any RunStore { sqliteStore }

    private init(store: SQLiteRunStore, raw: SQLiteConnection) {
        self.sqliteStore = store
        self.raw = raw
    }

    /// Opens the store on a new file (an existing one would carry other runs into the figures),
    /// then a plain connection with the store's own settings (WAL is a property of the file;
    /// `synchronous = NORMAL` and foreign keys are per connection), so the baseline commits with
    /// the same durability as the store.
    static func open(path: String, logger: Logger) async throws -> SQLiteBackend {
        if FileManager.default.fileExists(atPath: path) {
            throw UsageError("\(path) exists; store-bench wants a new file so that only its own runs are in it")
        }
        let store = try await SQLiteRunStore.open(path: path, logger: logger)
        do {
            let raw = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            for pragma in ["PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000"] {
                _ = try await raw.query(pragma)
            }
            return SQLiteBackend(store: store, raw: raw)
        } catch {
            try? await store.close()
            throw error
        }
    }

    func durability() async throws -> [(String, String)] {
        var settings: [(String, String)] = []
        for name in ["journal_mode", "synchronous"] {
            let data = try await raw.query("PRAGMA \(name)").first?.columns.first?.data
            let value = data?.string ?? data?.description ?? "?"
            settings.append((name, value))
        }
        return settings   // synchronous: 1 is NORMAL
    }

    func insertRowByRow(runID: UUID, equity: EquityCurve, count: Int, oneTransaction: Bool) async throws {
        let id = SQLiteData.text(runID.uuidString)
        let sql = "INSERT INTO equity_points (run_id, idx, ts, equity) VALUES (?, ?, ?, ?)"
        if oneTransaction { _ = try await raw.query("BEGIN IMMEDIATE") }
        for i in 0..<count {
            let p = i % equity.count
            _ = try await raw.query(sql, [id, .integer(i), .integer(Int(equity.timestamps[p])), .float(equity.values[p])])
        }
        if oneTransaction { _ = try await raw.query("COMMIT") }
    }

    func storeConnections() async throws -> Int? { nil }

    func closeStore() async throws { try await sqliteStore.close() }

    func cleanUp() async throws { try await raw.close() }   // the file stays: the caller chose where
}

/// The pooled store in a schema of its own, and one plain postgres-nio connection to the same
/// database (application name `store-bench`, so it is not counted as the store's).
final class PostgresBackend: BenchBackend {
    let name = "postgres"
    let pgStore: PostgresRunStore
    let raw: PostgresConnection
    let schema: String
    let logger: Logger
    var store: any RunStore { pgStore }

    private init(store: PostgresRunStore, raw: PostgresConnection, schema: String, logger: Logger) {
        self.pgStore = store
        self.raw = raw
        self.schema = schema
        self.logger = logger
    }

    /// `pool` overrides the URL's `pool_size`. A fresh schema per invocation keeps earlier runs
    /// out of the figures; `cleanUp` drops it.
    static func open(url text: String, pool: Int, logger: Logger) async throws -> PostgresBackend {
        var url = try DatabaseURL(parsing: text)
        url.options["pool_size"] = String(pool)
        var configuration = try PostgresStoreConfiguration(url: url)
        let schema = "store_bench_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        configuration.schema = schema
        let store = try await PostgresRunStore.open(configuration, logger: logger)
        var rawConfiguration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: try tls(configuration.tls))
        rawConfiguration.options.additionalStartupParameters = [("application_name", "store-bench"), ("search_path", schema)]
        let raw: PostgresConnection
        do {
            raw = try await PostgresConnection.connect(configuration: rawConfiguration, id: 1, logger: logger)
        } catch {
            try? await store.dropSchema()
            try? await store.close()
            throw error
        }
        return PostgresBackend(store: store, raw: raw, schema: schema, logger: logger)
    }

    /// The same transport as the store's (the URL's `sslmode`), so the baseline pays what it pays.
    private static func tls(_ mode: PostgresStoreConfiguration.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    func durability() async throws -> [(String, String)] {
        var settings: [(String, String)] = []
        for name in ["server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method"] {
            for try await value in try await raw.query(PostgresQuery(unsafeSQL: "SHOW \(name)"), logger: logger).decode(String.self) {
                settings.append((name, value))
            }
        }
        return settings
    }

    func insertRowByRow(runID: UUID, equity: EquityCurve, count: Int, oneTransaction: Bool) async throws {
        let id = runID.uuidString
        if oneTransaction { try await raw.query("BEGIN", logger: logger) }
        for i in 0..<count {
            let p = i % equity.count
            let ts = equity.timestamps[p], value = equity.values[p]
            try await raw.query("INSERT INTO equity_points (run_id, idx, ts, equity) VALUES (\(id), \(i), \(ts), \(value))", logger: logger)
        }
        if oneTransaction { try await raw.query("COMMIT", logger: logger) }
    }

    func storeConnections() async throws -> Int? {
        let rows = try await raw.query("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'gpt-trader %'", logger: logger)
        for try await n in rows.decode(Int64.self) { return Int(n) }
        return nil
    }

    func closeStore() async throws { try await pgStore.close() }

    func cleanUp() async throws {
        try await raw.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: logger)
        try await raw.close()
    }
}
