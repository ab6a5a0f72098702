import Synchronization
import TraderStore

/// The bot's heartbeat while its feed is quiet. The session beats from its loop as bars come;
/// when none comes for longer than `interval` (a market closed overnight, a venue that stopped
/// sending), this task of its own beats instead, with the session's last bar count and equity,
/// so the bot does not look lost and `gpt-trader bots stop` takes effect at once: on a stop
/// request it interrupts the feed (`MarketFeed.interrupt`), and the session ends as if its
/// heartbeat had brought the request.
final class QuietHeartbeat: Sendable {
    private let lastBeat: Atomic<Int64>
    private let bars = Atomic<Int>(0)
    private let equityBits = Atomic<UInt64>(Double.nan.bitPattern)
    private let halted = Atomic<Bool>(false)
    private let requested = Mutex<BotStopRequest?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: any TradingStateStore & BotRegistry, bot: String, interval: Duration, interrupt: @escaping @Sendable () -> Void) {
        lastBeat = Atomic(monotonicNanos())
        let limit = interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
        let watch = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval / 2)
                guard let self, !Task.isCancelled else { return }
                guard monotonicNanos() - self.lastBeat.load(ordering: .relaxed) >= limit else { continue }
                self.lastBeat.store(monotonicNanos(), ordering: .relaxed)
                let equity = Double(bitPattern: self.equityBits.load(ordering: .relaxed))
                // A store error is left to the session's next write (its write-error guard).
                guard let request = try? await store.heartbeat(botID: bot, status: self.halted.load(ordering: .relaxed) ? .halted : .running,
                                                               bars: self.bars.load(ordering: .relaxed), equity: equity.isNaN ? nil : equity,
                                                               detail: "waiting for the feed") else { continue }
                self.requested.withLock { $0 = request }
                interrupt()
                return
            }
        }
        task.withLock { $0 = watch }
    }

    /// The session's own heartbeat (or its progress): the quiet clock starts again.
    func beat(bars: Int, equity: Double, halted: Bool) {
        self.bars.store(bars, ordering: .relaxed)
        equityBits.store(equity.bitPattern, ordering: .relaxed)
        self.halted.store(halted, ordering: .relaxed)
        lastBeat.store(monotonicNanos(), ordering: .relaxed)
    }

    /// The stop request a quiet heartbeat brought, if one did.
    var request: BotStopRequest? { requested.withLock { $0 } }

    /// Stops beating and waits for a beat in flight, so none lands after the session's last.
    func finish() async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }

}
