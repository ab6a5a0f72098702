import Foundation
import PostgresNIO
import Synchronization

extension PostgresRunStore {
    /// Runs `body` on a pooled connection, retrying it on connection errors (the server restarted,
    /// the connection was cut) with backoff from 50 ms to 1 s for up to `retryWindow`. Errors that
    /// are not about the connection (a constraint, a syntax error) are thrown at once, worded by
    /// `PostgresErrors.reason`.
    func withRetry<T: Sendable>(_ operation: String, acquireTimeout: Duration? = nil,
                                _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.retryWindow
        var delay = Duration.milliseconds(50)
        var attempt = 1
        while true {
            do {
                return try await lease(acquireTimeout: acquireTimeout ?? configuration.acquireTimeout, body)
            } catch {
                let reason = PostgresErrors.reason(error, password: configuration.url.password)
                guard PostgresErrors.isTransient(error), clock.now + delay < deadline, !Task.isCancelled else {
                    if let error = error as? StoreError { throw error }
                    throw StoreError.query(operation: operation, reason: reason)
                }
                logger.warning("\(operation): attempt \(attempt) failed (\(reason)); retrying")
                monitor.reconnecting()
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(1))
                attempt += 1
            }
        }
    }

    /// Borrows a connection for `body`, giving up with `StoreError.poolTimeout` when none is free
    /// within the acquire timeout (the wait is cancelled, so the request leaves the pool's queue).
    ///
    /// Once `body` has its connection it may take up to `operationTimeout`; past that the
    /// connection is closed, which fails `body` with a connection error that `withRetry` retries.
    /// That bound exists because a query in flight when the server restarts could be left
    /// waiting forever by postgres-nio 1.33 (seen in the restart test: three of four writers
    /// never got an answer or an error).
    func lease<T: Sendable>(acquireTimeout timeout: Duration, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let requested = clock.now
        let lease = LeaseState()
        let outcome = Outcome<T>()
        let operationTimeout = configuration.operationTimeout
        // The work runs in a task of its own, not a child: a query that postgres-nio never
        // answers, or a wait for a connection that ignores cancellation, must not hold up the
        // caller, who gets an error instead and retries (or fails) while the task is abandoned.
        let work = Task { [client, monitor] in
            do {
                let value = try await client.withConnection { connection -> T in
                    guard lease.acquired(connection) else { throw CancellationError() }   // given up on already
                    monitor.acquired(after: clock.now - requested)
                    defer { monitor.released() }
                    return try await body(connection)
                }
                outcome.resume(.success(value))
            } catch {
                outcome.resume(.failure(error))
            }
        }
        let timer = Task { [monitor, configuration, logger] in
            try await Task.sleep(for: timeout)
            guard let acquiredAt = lease.giveUpUnlessAcquired() else {
                monitor.timedOut()
                work.cancel()
                outcome.resume(.failure(StoreError.poolTimeout(waited: timeout, poolSize: configuration.poolSize)))
                return
            }
            try await Task.sleep(until: acquiredAt + operationTimeout, clock: clock)
            logger.warning("an operation held its connection longer than \(operationTimeout); abandoning it and closing the connection")
            monitor.stalled()
            outcome.resume(.failure(StoreError.stalled(after: operationTimeout)))
            work.cancel()
            if let connection = lease.connection { try? await connection.close() }
        }
        defer { timer.cancel() }
        return try await outcome.value()
    }

    /// `withRetry` around one transaction: BEGIN, `body`, COMMIT; ROLLBACK when `body` throws.
    /// A retry runs the whole transaction again, so `body` must be idempotent (the writes check
    /// their client-generated id first).
    func transaction<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withRetry(operation) { connection in
            try await connection.query("BEGIN", logger: self.logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: self.logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: self.logger)
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
                           suffix: String = "", bind: (Int, inout PostgresBindings) throws -> Void) async throws {
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
            try await connection.query(PostgresQuery(unsafeSQL: sql + suffix, binds: bindings), logger: logger)
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

/// The connection a lease got and when, shared by the lease's work and its timer; once the timer
/// has given up, a connection that arrives later is not used.
final class LeaseState: Sendable {
    private struct State: @unchecked Sendable {
        var connection: PostgresConnection?
        var at: ContinuousClock.Instant?
        var abandoned = false
    }

    private let state = Mutex(State())

    /// Records the connection; false when the lease was given up on.
    func acquired(_ connection: PostgresConnection) -> Bool {
        state.withLock { s in
            guard !s.abandoned else { return false }
            s.connection = connection
            s.at = ContinuousClock.now
            return true
        }
    }

    /// When the connection was acquired, or nil after marking the lease given up on.
    func giveUpUnlessAcquired() -> ContinuousClock.Instant? {
        state.withLock { s in
            if s.at == nil { s.abandoned = true }
            return s.at
        }
    }

    var connection: PostgresConnection? { state.withLock { $0.connection } }
}

/// A result delivered once, by whichever of the work and the timer comes first.
final class Outcome<T: Sendable>: Sendable {
    private struct State: @unchecked Sendable {
        var result: Result<T, any Error>?
        var continuation: CheckedContinuation<T, any Error>?
    }

    private let state = Mutex(State())

    func resume(_ result: Result<T, any Error>) {
        let continuation: CheckedContinuation<T, any Error>? = state.withLock { s in
            guard s.result == nil else { return nil }
            s.result = result
            defer { s.continuation = nil }
            return s.continuation
        }
        continuation?.resume(with: result)
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let ready: Result<T, any Error>? = state.withLock { s in
                if let result = s.result { return result }
                s.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
