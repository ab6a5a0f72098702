/// A FIFO mutual exclusion for async code.
///
/// The SQLite store has one connection, and a transaction spans several awaits; an actor alone
/// would let a second call run its statements inside the first one's transaction at each await
/// (actors are reentrant). Callers therefore take this lock for the whole of an operation.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()   // ownership passes straight to the next waiter
        }
    }

    /// Runs `body` holding the lock; released on return and on throw.
    nonisolated func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await lock()
        do {
            let value = try await body()
            await unlock()
            return value
        } catch {
            await unlock()
            throw error
        }
    }
}
