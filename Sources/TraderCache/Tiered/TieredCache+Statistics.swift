/// Statistics shared across processes: each flushes its counts into one Redis hash, and
/// `gpt-trader cache stats` reads the sum, with what the shared tier holds per namespace.
extension TieredCache {
    /// What the shared tier holds for one namespace (and format version).
    public struct NamespaceUsage: Sendable, Hashable, Codable {
        public var namespace: String
        public var keys: Int
        public var bytes: Int
    }

    /// The shared tier's state; nil fields when Redis is not configured or not reachable.
    public struct SharedReport: Sendable {
        public var reachable: Bool
        /// Counts flushed by every process so far, by `CacheMetrics.Event` name.
        public var counts: [String: Int]
        public var namespaces: [NamespaceUsage]
        /// `used_memory` of the server, in bytes.
        public var serverMemory: Int?
    }

    /// Adds this process's counts since the last flush to the shared hash (one round trip).
    /// Returns whether they were written; on failure they stay for the next flush.
    @discardableResult
    public func flushStatistics() async -> Bool {
        guard redis != nil else { return false }
        _ = l1Statistics  // brings the L1's evictions and expirations into the counts
        let now = metrics.snapshot
        let previous = flushed.withLock { $0 }
        let deltas = now.map { (field: $0.key, by: $0.value - (previous[$0.key] ?? 0)) }.filter { $0.by != 0 }
        guard !deltas.isEmpty else { return true }
        let key = configuration.statisticsKey
        guard await l2({ try await $0.hashIncrement(key, deltas) }) != nil else { return false }
        flushed.withLock { $0 = now }
        return true
    }

    /// The shared tier's counts and contents (SCAN over this cache's keys; STRLEN for sizes).
    public func sharedReport() async -> SharedReport {
        guard let redis else { return SharedReport(reachable: false, counts: [:], namespaces: [], serverMemory: nil) }
        do {
            let counts = try await redis.hashIntegers(configuration.statisticsKey)
            let prefix = configuration.valuePrefix()
            var usage: [String: NamespaceUsage] = [:]
            var seen = Set<String>()
            try await redis.scan(match: globEscaped(prefix) + "*") { batch in
                let keys = batch.filter { seen.insert($0).inserted }
                guard !keys.isEmpty else { return }
                let sizes = try await redis.withConnection { try await $0.pipeline(keys.map { ["STRLEN", $0] }) }
                for (key, size) in zip(keys, sizes) {
                    // <root>:c:<namespace>:v<version>:g<generation>:… → "<namespace>:v<version>"
                    let fields = key.dropFirst(prefix.count).split(separator: ":", maxSplits: 2)
                    let name = fields.prefix(2).joined(separator: ":")
                    var u = usage[name] ?? NamespaceUsage(namespace: name, keys: 0, bytes: 0)
                    u.keys += 1
                    if case let .integer(n) = size { u.bytes += n }
                    usage[name] = u
                }
            }
            let memory = try await redis.info("memory")["used_memory"].flatMap { Int($0) }
            return SharedReport(reachable: true, counts: counts, namespaces: usage.values.sorted { $0.namespace < $1.namespace },
                                serverMemory: memory)
        } catch {
            metrics.record(.l2Error)
            return SharedReport(reachable: false, counts: [:], namespaces: [], serverMemory: nil)
        }
    }
}
