/// Invalidation: explicit keys and prefixes, namespace generations, everything; each applied to
/// this process's L1, to Redis, and announced on the invalidation channel for the other
/// processes' L1. Each returns whether the shared tier was reached (false while Redis is down:
/// then only this process forgot the values).
extension TieredCache {
    @discardableResult
    public func invalidate(_ key: CacheKey) async -> Bool {
        let (physical, shared) = await physicalKey(key)
        l1.remove(physical)
        metrics.record(.invalidation)
        guard shared, await l2({ try await $0.unlink([physical]) }) != nil else { return redis == nil }
        await announce(.key(physical))
        return true
    }

    /// Removes every value whose key starts with `prefix` (a namespace, `backtest:v1:`, …): O(n)
    /// in the keys that match (SCAN and UNLINK in batches, never KEYS).
    @discardableResult
    public func invalidate(prefix: String) async -> Bool {
        startSubscriber()
        let physical = configuration.valuePrefix(prefix)
        let removed = l1.removeAll(prefix: physical)
        metrics.record(.invalidation, max(1, removed))
        guard redis != nil else { return true }
        let done: Void? = await l2 { redis in
            try await redis.scan(match: globEscaped(physical) + "*") { keys in try await redis.unlink(keys) }
        }
        guard done != nil else { return false }
        await announce(.prefix(physical))
        return true
    }

    /// Invalidates every value of `namespace` in O(1): its generation is incremented, so its keys
    /// change and old entries are never read again (they expire with their TTL). Returns the new
    /// generation (nil when Redis could not be reached: this process then uses L1 only for the
    /// namespace until it can read the shared generation again).
    @discardableResult
    public func bumpGeneration(_ namespace: String) async -> Int? {
        startSubscriber()
        l1.removeAll(prefix: configuration.valuePrefix(namespace + ":"))
        metrics.record(.invalidation)
        guard redis != nil else {
            return generations.withLock { g in
                g[namespace, default: 0] += 1
                return g[namespace]
            }
        }
        guard let next = await l2({ try await $0.incr(self.configuration.generationKey(namespace)) }) else {
            generations.withLock { _ = $0.removeValue(forKey: namespace) }
            return nil
        }
        generations.withLock { g in g[namespace] = max(g[namespace] ?? 0, next) }
        await announce(.generation(namespace: namespace, value: next))
        return next
    }

    /// Removes every cached value (keeps generations and statistics); returns whether Redis was reached.
    @discardableResult
    public func clear() async -> Bool {
        startSubscriber()
        l1.removeAll()
        metrics.record(.invalidation)
        guard redis != nil else { return true }
        let prefix = configuration.valuePrefix()
        let done: Void? = await l2 { redis in
            try await redis.scan(match: globEscaped(prefix) + "*") { keys in try await redis.unlink(keys) }
        }
        guard done != nil else { return false }
        await announce(.clear)
        return true
    }

    // MARK: Pub/sub

    private func announce(_ message: InvalidationMessage) async {
        _ = await l2 { [configuration, instance] in
            try await $0.publish(configuration.invalidationChannel, message.encoded(sender: instance))
        }
    }

    /// Applies another process's invalidation to this L1.
    func apply(_ text: String) {
        guard let (sender, message) = InvalidationMessage.decode(text), sender != instance else { return }
        metrics.record(.invalidation)
        switch message {
        case let .key(k): l1.remove(k)
        case let .prefix(p): l1.removeAll(prefix: p)
        case let .generation(namespace, value):
            generations.withLock { g in g[namespace] = max(g[namespace] ?? 0, value) }
            l1.removeAll(prefix: configuration.valuePrefix(namespace + ":"))
        case .clear: l1.removeAll()
        }
    }

    /// Starts listening for other processes' invalidations (once; only with Redis configured).
    func startSubscriber() {
        guard configuration.subscribe, let url = configuration.redis?.url else { return }
        let created: RedisSubscriber? = subscriber.withLock { s in
            guard s == nil else { return nil }
            let new = RedisSubscriber(
                url: url, channels: [configuration.invalidationChannel], backoff: configuration.redis?.backoff ?? Backoff(),
                logger: logger,
                onResubscribe: { [weak self] in
                    // Messages sent while disconnected are lost: forget what they may have said.
                    self?.l1.removeAll()
                    self?.generations.withLock { $0.removeAll() }
                },
                onMessage: { [weak self] _, payload in self?.apply(String(decoding: payload, as: UTF8.self)) })
            s = new
            return new
        }
        created?.start()
    }

    /// Whether this process is subscribed to invalidations now (tests wait for it).
    public func waitUntilSubscribed(timeout: Duration = .seconds(5)) async -> Bool {
        startSubscriber()
        guard let s = subscriber.withLock({ $0 }) else { return false }
        return await s.waitUntilSubscribed(timeout: timeout)
    }
}
