import Foundation
public import Logging
import Synchronization

/// The cache the application uses: read-through L1 (in process) → L2 (Redis) → loader, and
/// write-through to both.
///
/// - Values live decoded in L1 (a hit costs a lookup, no decoding) and encoded by their
///   `CacheCodec` in L2, where bytes that do not decode count as a miss.
/// - Concurrent misses for one key load it once (`SingleFlight`).
/// - Keys carry the namespace's format version and *generation*: `bumpGeneration` invalidates a
///   whole namespace in O(1) (one INCR; old entries are never asked for again and expire).
/// - Invalidations (key, prefix, generation, clear) are published on a Redis channel, so every
///   process's L1 follows.
/// - Redis is never the caller's problem: while it is down or slow the cache runs on L1 alone
///   (the client logs once, `l2_errors` counts), and uses L2 again as soon as it is back.
public final class TieredCache: Sendable {
    public let configuration: TieredCacheConfiguration
    public let metrics: CacheMetrics
    /// The shared tier's client; nil for an L1-only cache.
    public let redis: RedisClient?
    let l1: LRUCache<Entry>
    let flights = SingleFlight<Entry>()
    let generations = Mutex<[String: Int]>([:])
    let subscriber: Mutex<RedisSubscriber?> = Mutex(nil)
    let flushed = Mutex<[String: Int]>([:])
    /// Tells this process's own invalidation messages apart from others'.
    let instance = UUID().uuidString
    let logger: Logger

    /// A decoded value in L1, with its weight for the byte bound.
    struct Entry: Sendable {
        let value: any Sendable
        let bytes: Int
    }

    public init(_ configuration: TieredCacheConfiguration = TieredCacheConfiguration(), metrics: CacheMetrics = CacheMetrics(),
                logger: Logger = Logger(label: "gpt-trader.cache")) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        l1 = LRUCache(maxEntries: configuration.maxEntries, maxBytes: configuration.maxBytes,
                      defaultTTL: configuration.defaultTTL, cost: { $0.bytes })
        redis = configuration.redis.map { RedisClient($0, logger: logger) }
    }

    /// The value under `key`: from L1, else L2, else computed by `load` and stored in both.
    /// Errors are `load`'s own; the cache's tiers never throw to the caller.
    public func value<V: Sendable>(for key: CacheKey, codec: CacheCodec<V>, ttl: Duration? = nil,
                                   load: @escaping @Sendable () async throws -> V) async throws -> V {
        let (physical, shared) = await physicalKey(key)
        if let entry = l1.get(physical), let v = entry.value as? V {
            metrics.record(.l1Hit)
            return v
        }
        metrics.record(.l1Miss)
        let lifetime = ttl ?? configuration.defaultTTL
        let entry = try await flights.value(for: physical) { [self] in
            if shared, let bytes = await l2({ try await $0.get(physical) }) ?? nil {
                if let v = codec.decode(bytes) {
                    metrics.record(.l2Hit)
                    logger.debug("cache hit in redis", metadata: ["key": "\(physical)", "bytes": "\(bytes.count)"])
                    let e = Entry(value: v, bytes: codec.cost(v))
                    l1.set(physical, e, ttl: lifetime)
                    return e
                }
                metrics.record(.corrupt)
                logger.warning("bytes under a cache key are not a valid value; recomputing", metadata: ["key": "\(physical)"])
            }
            if shared { metrics.record(.l2Miss) }
            let v = try await load()
            metrics.record(.load)
            logger.debug("cache miss: computed", metadata: ["key": "\(physical)"])
            let e = Entry(value: v, bytes: codec.cost(v))
            l1.set(physical, e, ttl: lifetime)
            if shared { await writeL2(physical, codec.encode(v), ttl: lifetime) }
            return e
        }
        guard let v = entry.value as? V else { return try await load() }  // same key asked as two types: a caller bug, still correct
        return v
    }

    /// The cached value under `key`, from L1 or L2; nil on a miss (nothing is loaded).
    public func get<V: Sendable>(_ key: CacheKey, codec: CacheCodec<V>) async -> V? {
        let (physical, shared) = await physicalKey(key)
        if let entry = l1.get(physical), let v = entry.value as? V {
            metrics.record(.l1Hit)
            return v
        }
        metrics.record(.l1Miss)
        guard shared, let bytes = await l2({ try await $0.get(physical) }) ?? nil else {
            if shared { metrics.record(.l2Miss) }
            return nil
        }
        guard let v = codec.decode(bytes) else { metrics.record(.corrupt); metrics.record(.l2Miss); return nil }
        metrics.record(.l2Hit)
        l1.set(physical, Entry(value: v, bytes: codec.cost(v)), ttl: configuration.defaultTTL)
        return v
    }

    /// Stores `value` in both tiers.
    public func set<V: Sendable>(_ key: CacheKey, _ value: V, codec: CacheCodec<V>, ttl: Duration? = nil) async {
        let (physical, shared) = await physicalKey(key)
        let lifetime = ttl ?? configuration.defaultTTL
        l1.set(physical, Entry(value: value, bytes: codec.cost(value)), ttl: lifetime)
        if shared { await writeL2(physical, codec.encode(value), ttl: lifetime) }
    }

    /// The statistics of the L1 tier of this process.
    public var l1Statistics: CacheStatistics {
        let s = l1.statistics
        metrics.recordL1(s)
        return s
    }

    /// Stops the subscriber and closes the pool (flush statistics first if they should be kept).
    public func shutdown() async {
        await subscriber.withLock { s in defer { s = nil }; return s }?.stop()
        await redis?.close()
    }

    // MARK: Tiers

    /// Runs `body` against Redis; nil (and an error counted, never thrown) when it fails.
    func l2<T: Sendable>(_ body: (RedisClient) async throws -> T) async -> T? {
        guard let redis else { return nil }
        let start = ContinuousClock.now
        do {
            let result = try await body(redis)
            metrics.recordL2Latency(ContinuousClock.now - start)
            return result
        } catch {
            metrics.record(.l2Error)
            return nil
        }
    }

    private func writeL2(_ key: String, _ bytes: [UInt8], ttl: Duration) async {
        guard bytes.count <= configuration.maxL2ValueBytes else { return }
        if await l2({ try await $0.set(key, bytes, expiry: ttl) }) != nil { metrics.record(.l2Write) }
    }

    /// The Redis key of `key` and whether L2 may be used for it. L2 is used only once the
    /// namespace's generation is known from Redis: a process that could not read it must not
    /// read or write entries of a generation another process may have invalidated. Starts the
    /// invalidation subscriber on first use.
    func physicalKey(_ key: CacheKey) async -> (String, Bool) {
        startSubscriber()
        var generation = generations.withLock { gens in
            if gens[key.namespace] == nil, redis == nil { gens[key.namespace] = 0 }  // L1 only: generations are local
            return gens[key.namespace]
        }
        if generation == nil,
           let fetched = await l2({ try await $0.get(self.configuration.generationKey(key.namespace)) }) {
            let g = fetched.flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
            generation = generations.withLock { gens in
                if let newer = gens[key.namespace] { return newer }
                gens[key.namespace] = g
                return g
            }
        }
        let prefix = configuration.valuePrefix("\(key.namespace):v\(key.version):g\(generation.map(String.init) ?? "local"):")
        return (prefix + key.parts.joined(separator: ":"), generation != nil && redis != nil)
    }
}
