/// What a `TieredCache` holds and where its shared tier is.
public struct TieredCacheConfiguration: Sendable {
    /// L1 bounds: entries and bytes (values' `CacheCodec.cost`).
    public var maxEntries: Int
    public var maxBytes: Int
    /// Lifetime of an entry when the caller gives none, in both tiers.
    public var defaultTTL: Duration
    /// The shared tier; nil for an in-process cache only.
    public var redis: RedisClientConfiguration?
    /// Prefix of every Redis key and channel this cache uses, so that it shares a database with
    /// other applications (and `cache clear` touches nothing else).
    public var root: String
    /// Subscribe to the invalidation channel, so other processes' invalidations clear this L1.
    public var subscribe: Bool
    /// Values whose encoding is larger stay in L1 only: shipping tens of megabytes over the
    /// network to save a local computation of similar cost is no saving, and Redis blocks while
    /// it copies them.
    public var maxL2ValueBytes: Int

    public init(maxEntries: Int = 10_000, maxBytes: Int = 512 << 20, defaultTTL: Duration = .seconds(24 * 3_600),
                redis: RedisClientConfiguration? = nil, root: String = "gpt-trader", subscribe: Bool = true,
                maxL2ValueBytes: Int = 32 << 20) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        self.defaultTTL = defaultTTL
        self.redis = redis
        self.root = root
        self.subscribe = subscribe
        self.maxL2ValueBytes = maxL2ValueBytes
    }

    /// Keys of cached values: `<root>:c:<namespace>:v<version>:g<generation>:<parts>`.
    func valuePrefix(_ logicalPrefix: String = "") -> String { "\(root):c:\(logicalPrefix)" }
    /// The generation counter of a namespace.
    func generationKey(_ namespace: String) -> String { "\(root):gen:\(namespace)" }
    /// Counts flushed by every process (`gpt-trader cache stats`).
    var statisticsKey: String { "\(root):stats" }
    /// The pub/sub channel invalidations travel on.
    var invalidationChannel: String { "\(root):invalidate" }
}

/// A message on the invalidation channel: `<sender> key <key>`, `<sender> prefix <prefix>`,
/// `<sender> gen <namespace> <generation>` or `<sender> clear`. Text, so `redis-cli monitor`
/// shows what happens.
enum InvalidationMessage: Equatable {
    case key(String)
    case prefix(String)
    case generation(namespace: String, value: Int)
    case clear

    func encoded(sender: String) -> String {
        switch self {
        case let .key(k): "\(sender) key \(k)"
        case let .prefix(p): "\(sender) prefix \(p)"
        case let .generation(ns, g): "\(sender) gen \(ns) \(g)"
        case .clear: "\(sender) clear"
        }
    }

    /// The message and its sender; nil for anything else (ignored).
    static func decode(_ text: String) -> (sender: String, message: InvalidationMessage)? {
        let fields = text.split(separator: " ", maxSplits: 2).map(String.init)
        guard fields.count >= 2 else { return nil }
        switch (fields[1], fields.count) {
        case ("key", 3): return (fields[0], .key(fields[2]))
        case ("prefix", 3): return (fields[0], .prefix(fields[2]))
        case ("clear", 2): return (fields[0], .clear)
        case ("gen", 3):
            let rest = fields[2].split(separator: " ")
            guard rest.count == 2, let g = Int(rest[1]) else { return nil }
            return (fields[0], .generation(namespace: String(rest[0]), value: g))
        default: return nil
        }
    }
}

/// Escapes `*?[]\` so a literal prefix can be used in a SCAN pattern.
func globEscaped(_ text: String) -> String {
    var out = ""
    for c in text {
        if "*?[]\\".contains(c) { out.append("\\") }
        out.append(c)
    }
    return out
}
