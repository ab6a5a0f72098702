public import Foundation
import Metrics
import Synchronization

/// What a `PostgresRunStore`'s pool has done, counted where the store borrows connections
/// (postgres-nio's pool does not expose its own counters): connections in use now and at most,
/// leases, leases that had to wait, acquire timeouts and connection losses retried. Each is also a
/// swift-metrics value (`gpt_trader_store_pool_*`, dimension `pool`), so any metrics backend the
/// process bootstraps (Prometheus, ...) exports them.
public struct PoolStatistics: Sendable, Equatable {
    /// Connections lent out now.
    public var inUse: Int
    /// The most lent out at once.
    public var peakInUse: Int
    /// Connections borrowed so far.
    public var acquisitions: Int
    /// Borrows that waited longer than `PoolMonitor.waitThreshold` for a connection (none idle).
    public var waits: Int
    /// Borrows that gave up after the acquire timeout.
    public var timeouts: Int
    /// Operations retried after the connection or the server went away (reconnects).
    public var reconnects: Int
    /// Operations that held their connection past the operation timeout (the connection was
    /// closed so they are retried).
    public var stalls: Int
    /// Connections this pool has open on the server, and how many of them are idle; nil when the
    /// server could not be asked (`PostgresRunStore.poolStatistics()` counts them in
    /// `pg_stat_activity` by the pool's own application name).
    public var open: Int?
    public var idle: Int?
}

final class PoolMonitor: Sendable {
    /// A borrow that took longer than this waited for a connection to be opened or returned.
    static let waitThreshold: Duration = .milliseconds(1)

    private struct Counts {
        var inUse = 0, peakInUse = 0, acquisitions = 0, waits = 0, timeouts = 0, reconnects = 0, stalls = 0
    }

    private let counts = Mutex(Counts())
    private let inUseGauge: Gauge
    private let acquisitionsCounter: Counter
    private let waitsCounter: Counter
    private let timeoutsCounter: Counter
    private let reconnectsCounter: Counter
    private let stallsCounter: Counter
    private let acquireTimer: Metrics.Timer

    init(name: String) {
        let d = [("pool", name)]
        inUseGauge = Gauge(label: "gpt_trader_store_pool_in_use", dimensions: d)
        acquisitionsCounter = Counter(label: "gpt_trader_store_pool_acquisitions_total", dimensions: d)
        waitsCounter = Counter(label: "gpt_trader_store_pool_waits_total", dimensions: d)
        timeoutsCounter = Counter(label: "gpt_trader_store_pool_acquire_timeouts_total", dimensions: d)
        reconnectsCounter = Counter(label: "gpt_trader_store_pool_reconnects_total", dimensions: d)
        stallsCounter = Counter(label: "gpt_trader_store_pool_stalled_operations_total", dimensions: d)
        acquireTimer = Metrics.Timer(label: "gpt_trader_store_pool_acquire_seconds", dimensions: d)
    }

    func acquired(after wait: Duration) {
        let inUse = counts.withLock { c -> Int in
            c.inUse += 1
            c.peakInUse = max(c.peakInUse, c.inUse)
            c.acquisitions += 1
            if wait > Self.waitThreshold { c.waits += 1 }
            return c.inUse
        }
        inUseGauge.record(inUse)
        acquisitionsCounter.increment()
        if wait > Self.waitThreshold { waitsCounter.increment() }
        acquireTimer.recordNanoseconds(wait.components.seconds * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000)
    }

    func released() {
        inUseGauge.record(counts.withLock { c -> Int in
            c.inUse -= 1
            return c.inUse
        })
    }

    func timedOut() {
        counts.withLock { $0.timeouts += 1 }
        timeoutsCounter.increment()
    }

    func stalled() {
        counts.withLock { $0.stalls += 1 }
        stallsCounter.increment()
    }

    func reconnecting() {
        counts.withLock { $0.reconnects += 1 }
        reconnectsCounter.increment()
    }

    var statistics: PoolStatistics {
        counts.withLock { c in
            PoolStatistics(inUse: c.inUse, peakInUse: c.peakInUse, acquisitions: c.acquisitions, waits: c.waits, timeouts: c.timeouts,
                           reconnects: c.reconnects, stalls: c.stalls, open: nil, idle: nil)
        }
    }
}
