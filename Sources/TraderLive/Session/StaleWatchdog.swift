import Synchronization

/// Watches the time since a session's last bar: a task of its own wakes four times per limit,
/// and once no bar came for longer than the limit it publishes a warning and holds a breach,
/// which the session applies at the next bar (the loop itself waits on the feed meanwhile).
final class StaleWatchdog: Sendable {
    private let lastBar: Atomic<Int64>
    private let tripped = Mutex<GuardBreach?>(nil)
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let limit: Duration

    init(after limit: Duration, bot: String, bus: EventBus?) {
        self.limit = limit
        lastBar = Atomic(monotonicNanos())
        let watch = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: limit / 4)
                guard let self else { return }
                let quiet = Duration.nanoseconds(monotonicNanos() - self.lastBar.load(ordering: .relaxed))
                guard quiet > limit else { continue }
                let breach = GuardBreach(guardName: "stale-data", reason: "no bar for \(quiet.components.seconds) s (limit \(limit.components.seconds) s)")
                let first = self.tripped.withLock { t in
                    defer { t = t ?? breach }
                    return t == nil
                }
                if first { bus?.publish(.system(bot: bot, SystemEvent(.warning, "stale-data", breach.reason))) }
            }
        }
        task.withLock { $0 = watch }
    }

    func sawBar() { lastBar.store(monotonicNanos(), ordering: .relaxed) }

    /// The breach, once the data went stale (taken once).
    func breach() -> GuardBreach? { tripped.withLock { t in defer { t = nil }; return t } }

    func cancel() { task.withLock { $0?.cancel() } }

}
