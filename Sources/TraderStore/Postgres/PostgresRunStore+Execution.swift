import Foundation
import PostgresNIO
import Synchronization

extension PostgresRunStore {
    /// Runs `body` on a pooled connection, retrying it on connection errors (the server restarted,
    /// the connection was cut) with backoff from 50 ms to 1 s for up to `retryWindow`. Errors that
    /// are not about the connection (a constraint, a syntax error) are thrown at once, worded by
    /// `PostgresErrors.reason`.
    func withRetry<T: Sendable>(_ operation: String, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.retryWindow
        var delay = Duration.milliseconds(50)
        var attempt = 1
        while true {
            do {
                return try await lease(body)
            } catch let error as StoreError {
                throw error
            } catch {
                guard PostgresErrors.isTransient(error), clock.now + delay < deadline, !Task.isCancelled else {
                    throw StoreError.query(operation: operation, reason: PostgresErrors.reason(error, password: configuration.url.password))
                }
                logger.warning("\(operation): attempt \(attempt) failed (\(PostgresErrors.reason(error, password: configuration.url.password))); retrying")
                monitor.reconnecting()
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(1))
                attempt += 1
            }
        }
    }

    /// Borrows a connection for `body`, giving up with `StoreError.poolTimeout` when none is free
    /// within the acquire timeout (the wait is cancelled, so the request leaves the pool's queue).
    /// The timer only bounds the wait: once `body` has its connection it runs to completion.
    func lease<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let requested = clock.now
        let acquired = LeaseFlag()
        let timeout = configuration.acquireTimeout
        // The group ends before `lease` returns, so `body` does not outlive this call.
        return try await withoutActuallyEscaping(body) { body in try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { [client, monitor] in
                try await client.withConnection { connection in
                    acquired.set()
                    monitor.acquired(after: clock.now - requested)
                    defer { monitor.released() }
                    return try await body(connection)
                }
            }
            group.addTask { [monitor, configuration] in
                try await Task.sleep(for: timeout)
                guard !acquired.isSet else { return nil }
                monitor.timedOut()
                throw StoreError.poolTimeout(waited: timeout, poolSize: configuration.poolSize)
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw CancellationError()
        } }
    }

    /// `withRetry` around one transaction: BEGIN, `body`, COMMIT; ROLLBACK when `body` throws.
    /// A retry runs the whole transaction again, so `body` must be idempotent (the writes check
    /// their client-generated id first).
    func transaction<T: Sendable>(_ operation: String, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withRetry(operation) { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs `body` in a read-only REPEATABLE READ transaction: every read sees one snapshot.
    static func readOnly<T: Sendable>(_ connection: PostgresConnection, logger: Logger, _ body: () async throws -> T) async throws -> T {
        try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
        do {
            let value = try await body()
            try await connection.query("COMMIT", logger: logger)
            return value
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// Runs a statement and returns its rows, read into random-access form.
    @discardableResult
    static func rows(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    /// Multi-row INSERTs of at most `rowsPerInsert` rows with numbered parameters;
    /// `bind(row, &bindings)` appends one row's values.
    static func insertRows(_ connection: PostgresConnection, table: String, columns: [String], rowCount: Int, logger: Logger,
                           bind: (Int, inout PostgresBindings) throws -> Void) async throws {
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        var start = 0
        while start < rowCount {
            let n = min(rowsPerInsert, rowCount - start)
            var sql = head
            var bindings = PostgresBindings(capacity: n * columns.count)
            var parameter = 1
            for row in start..<(start + n) {
                sql += row == start ? "(" : ",("
                for c in 0..<columns.count {
                    sql += c == 0 ? "$\(parameter)" : ",$\(parameter)"
                    parameter += 1
                }
                sql += ")"
                try bind(row, &bindings)
            }
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            start += n
        }
    }

    static func text(_ r: PostgresRandomAccessRow, _ column: String) throws -> String {
        do { return try r[column].decode(String.self) } catch { throw StoreError.corrupt(field: column, reason: "missing or not text") }
    }

    static func int(_ r: PostgresRandomAccessRow, _ column: String) throws -> Int64 {
        do { return try r[column].decode(Int64.self) } catch { throw StoreError.corrupt(field: column, reason: "missing or not an integer") }
    }

    static func double(_ r: PostgresRandomAccessRow, _ column: String) throws -> Double {
        do { return try r[column].decode(Double.self) } catch { throw StoreError.corrupt(field: column, reason: "missing or not a number") }
    }

    static func optionalDouble(_ r: PostgresRandomAccessRow, _ column: String) throws -> Double? {
        do { return try r[column].decode(Double?.self) } catch { throw StoreError.corrupt(field: column, reason: "not a number") }
    }

    static func uuid(_ r: PostgresRandomAccessRow, _ column: String) throws -> UUID {
        guard let id = UUID(uuidString: try text(r, column)) else { throw StoreError.corrupt(field: column, reason: "not a UUID") }
        return id
    }
}

/// Whether a lease got its connection, shared by the lease and its timer.
final class LeaseFlag: Sendable {
    private let state = Mutex(false)
    func set() { state.withLock { $0 = true } }
    var isSet: Bool { state.withLock { $0 } }
}
