public import Foundation
public import Logging
import NIOCore
import PostgresNIO

/// The shared store: PostgreSQL through postgres-nio's `PostgresClient`, whose pool keeps up to
/// `poolSize` connections, closes idle ones, checks them with keep-alive queries and opens new
/// ones (with backoff) after the server went away.
///
/// Every write runs in one transaction keyed by its client-generated id and is retried on
/// connection errors for up to `retryWindow`: a write whose commit was lost with the connection
/// finds its id stored and does nothing, so no acknowledged write is lost and none is applied
/// twice.
public final class PostgresRunStore: RunStore {
    public let configuration: PostgresStoreConfiguration
    let client: PostgresClient
    let logger: Logger
    let monitor: PoolMonitor
    /// `application_name` of this pool's connections, unique per store, so `poolStatistics`
    /// can count them on the server.
    let applicationName: String
    private let runner: Task<Void, Never>

    /// Rows per multi-row INSERT (trades, results); the equity curve goes through COPY.
    static let rowsPerInsert = 1_000

    private init(configuration: PostgresStoreConfiguration, client: PostgresClient, applicationName: String, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.applicationName = applicationName
        self.logger = logger
        self.monitor = PoolMonitor(name: applicationName)
        self.runner = Task { await client.run() }
    }

    /// Connects once to check the URL (so a wrong password, an unreachable host or a missing
    /// database is one clear error, not a pool that retries forever), then starts the pool,
    /// creates the configured schema and applies pending migrations.
    public static func open(_ configuration: PostgresStoreConfiguration, migrate: Bool = true,
                            logger: Logger = Logger(label: "gpt-trader.store.postgres")) async throws -> PostgresRunStore {
        if let schema = configuration.schema, !Self.isPlainIdentifier(schema) {
            throw StoreError.invalid(field: "schema", reason: "must be lowercase letters, digits and _, starting with a letter or _")
        }
        try await probe(configuration, logger: logger)
        // The pool logs in the background at error level only: its run loop starts in a task, and a
        // first query may queue before that task runs, which postgres-nio reports as a warning
        // although the query is served as soon as the loop runs.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let applicationName = "gpt-trader " + UUID().uuidString.prefix(8).lowercased()
        let client = PostgresClient(configuration: clientConfiguration(configuration, applicationName: applicationName), backgroundLogger: background)
        let store = PostgresRunStore(configuration: configuration, client: client, applicationName: applicationName, logger: logger)
        do {
            if let schema = configuration.schema {
                try await store.withRetry("create schema \(schema)") {
                    try await $0.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
                }
            }
            if migrate { try await store.migrate() }
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    public static func open(url: String, migrate: Bool = true,
                            logger: Logger = Logger(label: "gpt-trader.store.postgres")) async throws -> PostgresRunStore {
        try await open(PostgresStoreConfiguration(parsing: url), migrate: migrate, logger: logger)
    }

    /// Ends the pool after in-flight queries finish.
    public func close() async throws {
        runner.cancel()
        await runner.value
    }

    /// The pool's statistics; `open` and `idle` are counted on the server (`pg_stat_activity`
    /// rows with this pool's application name), which takes one query.
    public func poolStatistics() async -> PoolStatistics {
        var statistics = monitor.statistics
        let name = applicationName
        if let rows = try? await withRetry("pool statistics", { connection in
            try await Self.rows(connection, """
                SELECT count(*) AS open, count(*) FILTER (WHERE state = 'idle') AS idle FROM pg_stat_activity
                WHERE application_name = \(name) AND pid <> pg_backend_pid()
                """, logger: self.logger)
        }), let row = rows.first {
            // The connection asking is one of the pool's and is busy: count it as open, in use.
            statistics.open = (try? Self.int(row, "open")).map { Int($0) + 1 }
            statistics.idle = (try? Self.int(row, "idle")).map(Int.init)
        }
        return statistics
    }

    /// Drops the configured schema with everything in it (tests clean up with this).
    public func dropSchema() async throws {
        guard let schema = configuration.schema else { throw StoreError.invalid(field: "schema", reason: "no schema configured") }
        try await withRetry("drop schema \(schema)") {
            try await $0.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: self.logger)
        }
    }

    // MARK: - Connecting

    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("a"..."z").contains(first), name.count <= 63 else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    private static func tls(_ mode: PostgresStoreConfiguration.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    private static func startupParameters(_ c: PostgresStoreConfiguration, applicationName: String = "gpt-trader") -> [(String, String)] {
        var parameters = [("application_name", applicationName)]
        if let schema = c.schema { parameters.append(("search_path", schema)) }
        // The server ends what the client has given up on: a statement (a lock wait included)
        // and a transaction left idle are stopped a little after the operation timeout, when
        // this client has abandoned the connection. Without them, a transaction whose client was
        // abandoned mid-way (postgres-nio may not close such a connection at once) keeps its
        // locks, and every later migration waits on its advisory lock until it too times out.
        let ms = c.operationTimeout.components.seconds * 1_000 + c.operationTimeout.components.attoseconds / 1_000_000_000_000_000
        let serverLimit = String(ms + ms / 2 + 1_000)
        parameters.append(("statement_timeout", serverLimit))
        parameters.append(("idle_in_transaction_session_timeout", serverLimit))
        return parameters
    }

    static func clientConfiguration(_ c: PostgresStoreConfiguration, applicationName: String) -> PostgresClient.Configuration {
        var config = PostgresClient.Configuration(host: c.url.host, port: c.url.port, username: c.url.username,
                                                  password: c.url.password, database: c.url.database, tls: tls(c.tls))
        config.options.maximumConnections = c.poolSize
        config.options.minimumConnections = c.minimumConnections
        config.options.connectionIdleTimeout = c.idleTimeout
        config.options.keepAliveBehavior = c.keepAlive.map { .init(frequency: $0) }
        config.options.connectTimeout = c.connectTimeout
        config.options.additionalStartupParameters = startupParameters(c, applicationName: applicationName)
        return config
    }

    private static func probe(_ c: PostgresStoreConfiguration, logger: Logger) async throws {
        var config = PostgresConnection.Configuration(host: c.url.host, port: c.url.port, username: c.url.username,
                                                      password: c.url.password, database: c.url.database, tls: {
            switch c.tls {
            case .disable: .disable
            case .prefer: .prefer(try! .init(configuration: .makeClientConfiguration()))
            case .require: .require(try! .init(configuration: .makeClientConfiguration()))
            }
        }())
        let ms = c.connectTimeout.components.seconds * 1000 + c.connectTimeout.components.attoseconds / 1_000_000_000_000_000
        config.options.connectTimeout = .milliseconds(ms)
        config.options.additionalStartupParameters = startupParameters(c)
        do {
            let connection = try await PostgresConnection.connect(configuration: config, id: 0, logger: logger)
            try? await connection.close()
        } catch {
            throw StoreError.connection(target: c.url.redacted, reason: PostgresErrors.reason(error, password: c.url.password))
        }
    }
}
