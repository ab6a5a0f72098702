import Synchronization

/// The wait between two bars of a paced feed (a replay at N× real time, a synthetic feed with an
/// interval), which another task can end: `MarketFeed.interrupt` from a stop request brought
/// while the feed waits (`QuietHeartbeat`). A replay of daily bars at real speed waits a day
/// between bars; a stop must not.
///
/// A class, shared by the copies of the feed (feeds are values; the session and the heartbeat
/// hold one each).
final class FeedPause: Sendable {
    private struct State {
        var interrupted = false
        var waiting: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())
    /// `state.interrupted`, readable without the lock.
    private let flag = Atomic<Bool>(false)

    /// Whether `interrupt` was called: the feed ends.
    var isInterrupted: Bool { flag.load(ordering: .acquiring) }

    /// Ends the wait in progress, and every later one at once.
    func interrupt() {
        let waiting = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.interrupted = true
            flag.store(true, ordering: .releasing)
            defer { s.waiting = nil }
            return s.waiting
        }
        waiting?.resume()
    }

    /// Waits `duration`; true when interrupted first. Throws `CancellationError` when the task is
    /// cancelled.
    func wait(_ duration: Duration) async throws -> Bool {
        if isInterrupted { return true }
        let interrupted = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await Task.sleep(for: duration)
                return false
            }
            group.addTask {
                await self.interruption()
                return true
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        try Task.checkCancellation()
        return interrupted
    }

    /// Returns when interrupted or cancelled.
    private func interruption() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                // Cancelled already (the cancellation flag is set before the handler runs) or
                // interrupted: return at once; otherwise the first of the two resumes `c`.
                let now = state.withLock { s -> Bool in
                    if s.interrupted || Task.isCancelled { return true }
                    s.waiting = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            let waiting = state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.waiting = nil }
                return s.waiting
            }
            waiting?.resume()
        }
    }
}
