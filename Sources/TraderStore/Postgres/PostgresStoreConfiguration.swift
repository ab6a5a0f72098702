public import Foundation

/// How `PostgresRunStore` connects: the URL and the pool.
///
/// Pool settings come from the URL's query (`pool_size`, `min_idle`, `idle_timeout`,
/// `keepalive`, `connect_timeout`, `acquire_timeout`, in seconds, `sslmode=disable|prefer|require`, and
/// `schema=NAME` to keep the tables in a schema of their own) or are set on the value; the
/// defaults suit one process of the CLI or the server.
public struct PostgresStoreConfiguration: Sendable {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var url: DatabaseURL
    /// Most connections open at once.
    public var poolSize: Int = 10
    /// Connections kept open even when idle.
    public var minimumConnections: Int = 0
    /// An idle connection above the minimum is closed after this long.
    public var idleTimeout: Duration = .seconds(60)
    /// Idle connections are checked with `SELECT 1` this often (nil: never).
    public var keepAlive: Duration? = .seconds(30)
    public var connectTimeout: Duration = .seconds(10)
    public var tls: TLSMode = .prefer
    /// A schema to create and use (`search_path`) instead of `public`: tests use one each, so
    /// they can run in parallel on one database.
    public var schema: String?
    /// How long a query waits for a free pooled connection before failing.
    public var acquireTimeout: Duration = .seconds(10)
    /// How long an operation may hold its connection before the connection is closed and the
    /// operation retried (a guard against a connection that stopped answering).
    public var operationTimeout: Duration = .seconds(120)
    /// How long a write keeps retrying after connection errors (server restart) before failing.
    public var retryWindow: Duration = .seconds(30)

    /// The query options understood; any other is an error (a misspelt option must not be
    /// silently ignored).
    public static let options: Set<String> = ["pool_size", "min_idle", "idle_timeout", "keepalive", "connect_timeout", "acquire_timeout", "operation_timeout", "sslmode", "schema"]

    public init(url: DatabaseURL) throws {
        self.url = url
        if let unknown = url.options.keys.sorted().first(where: { !Self.options.contains($0) }) {
            throw StoreError.invalidURL(url: url.redacted, reason: "unknown option \(unknown) (known: \(Self.options.sorted().joined(separator: ", ")))")
        }
        func seconds(_ key: String) throws -> Duration? {
            guard let text = url.options[key] else { return nil }
            guard let value = Double(text), value >= 0, value.isFinite else {
                throw StoreError.invalidURL(url: url.redacted, reason: "option \(key) must be a number of seconds")
            }
            return .milliseconds(Int64(value * 1000))
        }
        func count(_ key: String, minimum: Int) throws -> Int? {
            guard let text = url.options[key] else { return nil }
            guard let value = Int(text), value >= minimum else {
                throw StoreError.invalidURL(url: url.redacted, reason: "option \(key) must be an integer ≥ \(minimum)")
            }
            return value
        }
        if let v = try count("pool_size", minimum: 1) { poolSize = v }
        if let v = try count("min_idle", minimum: 0) { minimumConnections = v }
        if let v = try seconds("idle_timeout") { idleTimeout = v }
        if let v = try seconds("keepalive") { keepAlive = v == .zero ? nil : v }
        if let v = try seconds("connect_timeout") { connectTimeout = v }
        if let v = try seconds("acquire_timeout") { acquireTimeout = v }
        if let v = try seconds("operation_timeout") { operationTimeout = v }
        if let text = url.options["sslmode"] {
            guard let mode = TLSMode(rawValue: text) else {
                throw StoreError.invalidURL(url: url.redacted, reason: "option sslmode must be disable, prefer or require")
            }
            tls = mode
        }
        if let name = url.options["schema"] {
            guard PostgresRunStore.isPlainIdentifier(name) else {
                throw StoreError.invalidURL(url: url.redacted, reason: "option schema must be lowercase letters, digits and _, starting with a letter or _")
            }
            schema = name
        }
        if minimumConnections > poolSize {
            throw StoreError.invalidURL(url: url.redacted, reason: "min_idle (\(minimumConnections)) exceeds pool_size (\(poolSize))")
        }
    }

    public init(parsing text: String) throws {
        try self.init(url: DatabaseURL(parsing: text))
    }
}
