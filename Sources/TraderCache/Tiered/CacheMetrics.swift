import Metrics
import Synchronization

/// The tiered cache's counts, kept twice: as swift-metrics values (a Prometheus or StatsD backend
/// bootstrapped by the process sees them, labelled `tier` and `result`) and as plain atomics the
/// process can read back (`gpt-trader cache stats`, tests).
public final class CacheMetrics: Sendable {
    /// One count of the cache's life.
    public enum Event: String, Sendable, CaseIterable, Codable {
        case l1Hit = "l1_hits", l1Miss = "l1_misses"
        case l2Hit = "l2_hits", l2Miss = "l2_misses"
        /// Values computed by their loader (a miss in every tier).
        case load = "loads"
        /// Bytes under a key that did not decode: counted as a miss.
        case corrupt = "corrupt"
        case l2Write = "l2_writes"
        /// L2 operations that failed or were skipped while Redis was down.
        case l2Error = "l2_errors"
        case invalidation = "invalidations"
        /// L1 entries pushed out by the bounds, and dropped because their TTL passed.
        case l1Eviction = "l1_evictions", l1Expiration = "l1_expirations"
    }

    /// One atomic per event (boxed: `Atomic` cannot be copied into an array).
    private final class Count: Sendable { let value = Atomic<Int>(0) }
    private let counts: [Count]
    private let counters: [Counter]
    private let l2Latency: Timer
    private let l1Bytes: Gauge
    private let l1Entries: Gauge

    public init(label prefix: String = "gpt_trader_cache") {
        counts = Event.allCases.map { _ in Count() }
        counters = Event.allCases.map { event in
            switch event {
            case .l1Hit: Counter(label: "\(prefix)_requests_total", dimensions: [("tier", "l1"), ("result", "hit")])
            case .l1Miss: Counter(label: "\(prefix)_requests_total", dimensions: [("tier", "l1"), ("result", "miss")])
            case .l2Hit: Counter(label: "\(prefix)_requests_total", dimensions: [("tier", "l2"), ("result", "hit")])
            case .l2Miss: Counter(label: "\(prefix)_requests_total", dimensions: [("tier", "l2"), ("result", "miss")])
            case .l1Eviction: Counter(label: "\(prefix)_evictions_total", dimensions: [("tier", "l1")])
            case .l1Expiration: Counter(label: "\(prefix)_expirations_total", dimensions: [("tier", "l1")])
            default: Counter(label: "\(prefix)_\(event.rawValue)_total")
            }
        }
        l2Latency = Timer(label: "\(prefix)_l2_latency_seconds")
        l1Bytes = Gauge(label: "\(prefix)_l1_bytes")
        l1Entries = Gauge(label: "\(prefix)_l1_entries")
    }

    /// `Event.allCases` once (the synthesized property builds a new array at each call).
    private static let events = Event.allCases

    @inline(__always)
    public func record(_ event: Event, _ n: Int = 1) {
        let i = Self.events.firstIndex(of: event)!
        counts[i].value.add(n, ordering: .relaxed)
        counters[i].increment(by: n)
    }

    public func recordL2Latency(_ duration: Duration) {
        l2Latency.recordNanoseconds(duration.nanoseconds)
    }

    /// The L1's evictions and expirations already counted (the L1 keeps running totals).
    private let l1Seen = Mutex((evictions: 0, expirations: 0))

    /// Publishes the L1's size, and counts the evictions and expirations since the last call.
    public func recordL1(_ statistics: CacheStatistics) {
        l1Bytes.record(statistics.bytes)
        l1Entries.record(statistics.entries)
        let (evicted, expired) = l1Seen.withLock { seen in
            // The L1's totals restart when it is cleared: count from zero again then.
            let e = statistics.evictions >= seen.evictions ? statistics.evictions - seen.evictions : statistics.evictions
            let x = statistics.expirations >= seen.expirations ? statistics.expirations - seen.expirations : statistics.expirations
            seen = (statistics.evictions, statistics.expirations)
            return (e, x)
        }
        if evicted > 0 { record(.l1Eviction, evicted) }
        if expired > 0 { record(.l1Expiration, expired) }
    }

    public func count(_ event: Event) -> Int { counts[Self.events.firstIndex(of: event)!].value.load(ordering: .relaxed) }

    /// Every count by its name (`l1_hits` …).
    public var snapshot: [String: Int] {
        Dictionary(uniqueKeysWithValues: Self.events.map { ($0.rawValue, count($0)) })
    }
}
