public import Foundation
public import Logging
import SQLiteNIO

/// The embedded store: one SQLite file (WAL mode) through sqlite-nio, which bundles SQLite.
///
/// One connection, and one operation at a time on it (`AsyncLock`): SQLite allows one writer
/// anyway, and a transaction must not see another caller's statements. Reads of other processes
/// proceed during a write thanks to WAL.
public final class SQLiteRunStore: RunStore {
    /// Where the file is.
    public let path: String
    let connection: SQLiteConnection
    let lock = AsyncLock()
    let logger: Logger

    /// Rows per multi-row INSERT: under SQLite's 32,766 bound parameters with the widest table
    /// (trades, 11 columns), and large enough that preparing a statement is rare.
    static let rowsPerInsert = 500

    private init(path: String, connection: SQLiteConnection, logger: Logger) {
        self.path = path
        self.connection = connection
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
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw StoreError.connection(target: path, reason: "\(error)")
        }
        let store = SQLiteRunStore(path: path, connection: connection, logger: logger)
        do {
            // WAL: readers do not block the writer; NORMAL sync is durable across application
            // crashes in WAL mode (an OS crash may lose the last commits, never corrupt).
            _ = try await connection.query("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            _ = try await connection.query("PRAGMA journal_mode = WAL")
            _ = try await connection.query("PRAGMA synchronous = NORMAL")
            _ = try await connection.query("PRAGMA foreign_keys = ON")
            if migrate { try await store.migrate() }
        } catch {
            try? await connection.close()
            throw error
        }
        return store
    }

    /// The journal mode in force (`wal` once opened), for tests and `db status`.
    public func journalMode() async throws -> String {
        try await lock.withLock {
            try await connection.query("PRAGMA journal_mode").first?.column("journal_mode")?.string ?? "unknown"
        }
    }

    public func close() async throws {
        try await lock.withLock { try await connection.close() }
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
    /// `rowsPerInsert` rows; `bind(row, &binds)` appends one row's values. Call inside a
    /// transaction (it is not one by itself).
    func insertRows(table: String, columns: [String], rowCount: Int, operation: String,
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
                sql = head + Array(repeating: tuple, count: n).joined(separator: ",")
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
