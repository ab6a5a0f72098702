public import Foundation
public import Logging
import NIOPosix
import SQLiteNIO

/// The embedded store: one SQLite file (WAL mode) through sqlite-nio, which bundles SQLite.
///
/// One connection, and one operation at a time on it (`AsyncLock`): SQLite allows one writer
/// anyway, and a transaction must not see another caller's statements. Reads of other processes
/// proceed during a write thanks to WAL.
///
/// Each store runs its statements on a thread of its own. SQLite waits for another writer's
/// lock by sleeping in the calling thread (`busy_timeout`); on the shared thread pool, stores
/// of one file that wait would hold every thread while the writer they wait for got none
/// (seen as "database is locked" after the full timeout with four stores on two cores).
public final class SQLiteRunStore: RunStore {
    /// Where the file is.
    public let path: String
    let connection: SQLiteConnection
    let lock = AsyncLock()
    let logger: Logger
    /// The store's own thread (see above), shut down by `close`.
    private let threadPool: NIOThreadPool

    /// Rows per multi-row INSERT: under SQLite's 32,766 bound parameters with the widest table
    /// (trades, 11 columns), and large enough that preparing a statement is rare.
    static let rowsPerInsert = 500

    private init(path: String, connection: SQLiteConnection, threadPool: NIOThreadPool, logger: Logger) {
        self.path = path
        self.connection = connection
        self.threadPool = threadPool
        self.logger = logger
    }

    /// How long a statement waits for another process's write transaction to end before failing
    /// with "database is locked": several CLI processes may save runs into one file at once.
    static let busyTimeoutMilliseconds = 15_000

    /// Opens (creating it and its directory if needed) the database file and, unless `migrate` is
    /// false (`db status` looks before it changes anything), applies pending migrations.
    public static func open(path: String, migrate: Bool = true,
                            logger: Logger = Logger(label: "gpt-trader.store.sqlite")) async throws -> SQLiteRunStore {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError.connection(target: path, reason: "cannot create directory \(directory)")
            }
        }
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger,
                                                         on: MultiThreadedEventLoopGroup.singleton.any())
        } catch {
            try? await threadPool.shutdownGracefully()
            throw StoreError.connection(target: path, reason: "\(error)")
        }
        let store = SQLiteRunStore(path: path, connection: connection, threadPool: threadPool, logger: logger)
        do {
            // WAL: readers do not block the writer; NORMAL sync is durable across application
            // crashes in WAL mode (an OS crash may lose the last commits, never corrupt).
            _ = try await connection.query("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            try await Self.enableWAL(connection)
            _ = try await connection.query("PRAGMA synchronous = NORMAL")
            _ = try await connection.query("PRAGMA foreign_keys = ON")
            if migrate { try await store.migrate() }
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    /// Switches to WAL. Switching needs the file to itself, and SQLite answers "database is
    /// locked" at once (without its busy handler) while another connection is opening the same
    /// new file, so this retries with backoff for up to the busy timeout.
    private static func enableWAL(_ connection: SQLiteConnection) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(busyTimeoutMilliseconds)
        var delay = Duration.milliseconds(5)
        while true {
            do {
                _ = try await connection.query("PRAGMA journal_mode = WAL")
                return
            } catch let error as SQLiteError where error.reason == .busy && clock.now + delay < deadline {
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .milliseconds(200))
            } catch {
                throw StoreError.query(operation: "switch to WAL", reason: "\(error)")
            }
        }
    }

    /// The journal mode in force (`wal` once opened), for tests and `db status`.
    public func journalMode() async throws -> String {
        try await lock.withLock {
            try await connection.query("PRAGMA journal_mode").first?.column("journal_mode")?.string ?? "unknown"
        }
    }

    public func close() async throws {
        try await lock.withLock { try await connection.close() }
        try await threadPool.shutdownGracefully()
    }

    // MARK: - Statements

    /// Runs one statement, naming `operation` in the error.
    @discardableResult
    func run(_ sql: String, _ binds: [SQLiteData] = [], _ operation: String) async throws -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.query(operation: operation, reason: "\(error)")
        }
    }

    /// Runs `body` in one transaction, holding the lock: committed if it returns, rolled back if
    /// it throws, so a write that fails half-way leaves nothing behind.
    func transaction<T: Sendable>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        try await lock.withLock {
            try await run("BEGIN IMMEDIATE", [], operation)
            do {
                let value = try await body()
                try await run("COMMIT", [], operation)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK")
                throw error
            }
        }
    }

    /// Inserts `rowCount` rows of `columns.count` values in multi-row INSERTs of at most
    /// `rowsPerInsert` rows; `bind(row, &binds)` appends one row's values; `suffix` follows the
    /// values (an `ON CONFLICT` clause). Call inside a transaction (it is not one by itself).
    func insertRows(table: String, columns: [String], rowCount: Int, operation: String, suffix: String = "",
                    bind: (Int, inout [SQLiteData]) -> Void) async throws {
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        var fullSQL: String?
        var start = 0
        while start < rowCount {
            let n = min(Self.rowsPerInsert, rowCount - start)
            let sql: String
            if n == Self.rowsPerInsert, let cached = fullSQL {
                sql = cached
            } else {
                sql = head + Array(repeating: tuple, count: n).joined(separator: ",") + suffix
                if n == Self.rowsPerInsert { fullSQL = sql }
            }
            var binds: [SQLiteData] = []
            binds.reserveCapacity(n * columns.count)
            for row in start..<(start + n) { bind(row, &binds) }
            try await run(sql, binds, operation)
            start += n
        }
    }
}
