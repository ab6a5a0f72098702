public import Synchronization

/// Where the cache reads the time, in nanoseconds: the monotonic clock in production, a manual
/// clock in tests (so TTL tests do not sleep).
public struct CacheClock: Sendable {
    public let now: @Sendable () -> Int64

    public init(now: @escaping @Sendable () -> Int64) { self.now = now }

    /// `ContinuousClock`, as nanoseconds since the first use.
    public static let monotonic: CacheClock = {
        let origin = ContinuousClock.now
        return CacheClock {
            (ContinuousClock.now - origin).nanoseconds
        }
    }()
}

/// Counts of an L1 cache since it was created.
public struct CacheStatistics: Sendable, Hashable {
    public var hits = 0, misses = 0, evictions = 0, expirations = 0
    public var entries = 0, bytes = 0

    public init() {}

    public var hitRate: Double { hits + misses == 0 ? .nan : Double(hits) / Double(hits + misses) }
}

/// The in-process tier: a least-recently-used cache bounded by entries and by bytes, with a
/// time-to-live per entry, safe to use from any thread.
///
/// Keys are spread over shards by hash, each a `Mutex` around an `LRUStore`: a read takes one
/// uncontended lock and no other synchronization, and readers of different shards never wait
/// for each other (a single global lock was the bottleneck with several threads; measured in
/// Benchmarks). Bounds are split evenly across shards. Values are stored as they are (no
/// serialization); `cost` gives each value's size in bytes for the byte bound.
///
/// `@unchecked Sendable`: the shards live in a buffer this object owns (so reaching one retains
/// nothing), never reassigned, and each is only touched under its own mutex.
public final class LRUCache<Value: Sendable>: @unchecked Sendable {
    @usableFromInline typealias Shard = Mutex<LRUStore<Value>>

    @usableFromInline let shards: UnsafeMutablePointer<Shard>
    @usableFromInline let shardMask: Int
    @usableFromInline let clock: CacheClock
    @usableFromInline let cost: @Sendable (Value) -> Int
    /// Default time to live, in nanoseconds; nil for entries that never expire.
    public let defaultTTL: Int64?

    /// - Parameters:
    ///   - maxEntries, maxBytes: bounds over all shards (each shard gets an equal share).
    ///   - shards: rounded up to a power of two; 1 for a strict global LRU order.
    public init(maxEntries: Int, maxBytes: Int = .max, defaultTTL: Duration? = nil, shards: Int = 16,
                clock: CacheClock = .monotonic, cost: @escaping @Sendable (Value) -> Int = { _ in 1 }) {
        var n = 1
        while n < max(1, shards) { n <<= 1 }
        let perEntries = max(1, (maxEntries + n - 1) / n)
        let perBytes = maxBytes == .max ? .max : max(1, maxBytes / n)
        self.shards = .allocate(capacity: n)
        for i in 0..<n { (self.shards + i).initialize(to: Mutex(LRUStore(maxEntries: perEntries, maxBytes: perBytes))) }
        self.shardMask = n - 1
        self.clock = clock
        self.cost = cost
        self.defaultTTL = defaultTTL?.nanoseconds
    }

    deinit {
        shards.deinitialize(count: shardMask + 1)
        shards.deallocate()
    }

    /// The value under `key`, or nil if absent or expired.
    @inlinable
    public func get(_ key: String) -> Value? {
        let hash = KeyHash.hash(key)
        return shards[Int(truncatingIfNeeded: hash) & shardMask].withLock {
            $0.get(key, hash: hash, now: clock.now)
        }
    }

    /// Stores `value` under `key` for `ttl` (the default when nil; `.zero` or less stores nothing).
    @inlinable
    public func set(_ key: String, _ value: Value, ttl: Duration? = nil) {
        let lifetime = ttl?.nanoseconds ?? defaultTTL
        if let lifetime, lifetime <= 0 { return }
        let expires = lifetime.map { clock.now() &+ $0 } ?? Int64.max
        let bytes = cost(value)
        let hash = KeyHash.hash(key)
        shards[Int(truncatingIfNeeded: hash) & shardMask].withLock {
            $0.set(key, hash: hash, value, bytes: bytes, expires: expires)
        }
    }

    @discardableResult
    public func remove(_ key: String) -> Bool {
        let hash = KeyHash.hash(key)
        return shards[Int(truncatingIfNeeded: hash) & shardMask].withLock { $0.remove(key, hash: hash) }
    }

    /// Calls `body` with each shard's store in turn, under its lock.
    func forEachShard(_ body: (inout LRUStore<Value>) -> Void) {
        for i in 0...shardMask { shards[i].withLock { body(&$0) } }
    }

    /// Removes every key that starts with `prefix`; returns how many.
    @discardableResult
    public func removeAll(prefix: String) -> Int {
        var total = 0
        forEachShard { total += $0.removeAll(prefix: prefix) }
        return total
    }

    public func removeAll() {
        forEachShard { $0.removeAll() }
    }

    public var statistics: CacheStatistics {
        var s = CacheStatistics()
        forEachShard { store in
            s.hits += store.hits
            s.misses += store.misses
            s.evictions += store.evictions
            s.expirations += store.expirations
            s.entries += store.count
            s.bytes += store.bytes
        }
        return s
    }
}

extension Duration {
    /// Whole nanoseconds (the cache's clock unit).
    @usableFromInline
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
