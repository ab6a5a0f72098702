/// A cache key: namespace, format version and the parts that identify the value, joined as
/// `namespace:v<version>:part:part…`.
///
/// The version is part of every key so that a change of a value's encoding (or of what the engine
/// computes) never reads old bytes as new: bump the namespace's version and old entries are simply
/// never asked for again (they expire). Parts may not contain the separator, so two different
/// part lists can never produce the same key.
public struct CacheKey: Hashable, Sendable, CustomStringConvertible {
    public static let separator: Character = ":"

    public let namespace: String
    public let version: Int
    public let parts: [String]

    public init(namespace: String, version: Int, parts: [String]) throws(CacheKeyError) {
        for (field, value) in [("namespace", namespace)] + parts.map({ ("part", $0) }) {
            guard !value.isEmpty else { throw CacheKeyError(field: field, reason: "must not be empty") }
            guard !value.contains(Self.separator) else { throw CacheKeyError(field: field, reason: "'\(value)' contains ':'") }
        }
        guard version >= 0 else { throw CacheKeyError(field: "version", reason: "must be ≥ 0, got \(version)") }
        self.namespace = namespace
        self.version = version
        self.parts = parts
    }

    /// The prefix every key of this namespace and version starts with (for prefix invalidation).
    public var namespacePrefix: String { "\(namespace):v\(version):" }

    public var description: String { namespacePrefix + parts.joined(separator: String(Self.separator)) }
}

/// Why a cache key could not be built; names the field.
public struct CacheKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let reason: String
    public var description: String { "cache key \(field): \(reason)" }
}
