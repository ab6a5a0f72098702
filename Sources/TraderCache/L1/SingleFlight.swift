import Synchronization

/// Runs at most one load per key at a time: concurrent callers asking for a key that is being
/// loaded wait for that load and share its result (or its error) instead of starting their own.
/// This is what keeps a burst of misses for one key (a dashboard refresh, parallel workers asking
/// for the same bars) from computing the same value N times.
public final class SingleFlight<Value: Sendable>: Sendable {
    private let inFlight = Mutex<[String: Task<Value, any Error>]>([:])

    public init() {}

    /// The result of `load` for `key`, shared with every concurrent call for the same key.
    public func value(for key: String, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let (task, owner) = inFlight.withLock { flights -> (Task<Value, any Error>, Bool) in
            if let running = flights[key] { return (running, false) }
            let task = Task { try await load() }
            flights[key] = task
            return (task, true)
        }
        defer { if owner { inFlight.withLock { _ = $0.removeValue(forKey: key) } } }
        return try await task.value
    }

    /// Keys being loaded now (tests and statistics).
    public var loading: Int { inFlight.withLock { $0.count } }
}
