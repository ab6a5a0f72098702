/// The unsynchronized core of one L1 shard: a hash map into an intrusive doubly linked list kept
/// in arrays (no per-entry objects, so no reference counting on the read path), most recently
/// used at the head. Bounded by entries and by bytes; each entry has its own expiry.
///
/// Not thread-safe by itself: `LRUCache` wraps each shard in a mutex.
@usableFromInline
struct LRUStore<Value: Sendable>: Sendable {
    @usableFromInline
    struct Node: Sendable {
        @usableFromInline var key: String
        @usableFromInline var value: Value?
        @usableFromInline var bytes: Int
        /// Expiry in nanoseconds on the cache's clock; `Int64.max` for none.
        @usableFromInline var expires: Int64
        @usableFromInline var previous: Int32
        @usableFromInline var next: Int32

        @usableFromInline
        init(key: String, value: Value?, bytes: Int, expires: Int64, previous: Int32, next: Int32) {
            self.key = key
            self.value = value
            self.bytes = bytes
            self.expires = expires
            self.previous = previous
            self.next = next
        }
    }

    @usableFromInline var nodes: [Node] = []
    @usableFromInline var index: [HashedKey: Int32] = [:]
    @usableFromInline var free: [Int32] = []
    @usableFromInline var head: Int32 = -1
    @usableFromInline var tail: Int32 = -1
    @usableFromInline let maxEntries: Int
    @usableFromInline let maxBytes: Int
    @usableFromInline var bytes = 0
    @usableFromInline var count = 0
    // Counters, read by `LRUCache.statistics`.
    @usableFromInline var hits = 0
    @usableFromInline var misses = 0
    @usableFromInline var evictions = 0
    @usableFromInline var expirations = 0

    @usableFromInline
    init(maxEntries: Int, maxBytes: Int) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        index.reserveCapacity(min(maxEntries, 1 << 16))
    }

    /// The value under `key` if present and not expired at `now()` (an expired entry is removed).
    /// The clock is read only for entries that can expire.
    @inlinable
    mutating func get(_ key: HashedKey, now: () -> Int64) -> Value? {
        guard let i = index[key] else { misses += 1; return nil }
        let expires = nodes[Int(i)].expires
        if expires != .max && expires <= now() {
            remove(i)
            expirations += 1
            misses += 1
            return nil
        }
        moveToFront(i)
        hits += 1
        return nodes[Int(i)].value
    }

    /// Stores `value` (of `bytes` bytes) under `key` until `expires`, evicting least recently used
    /// entries beyond the bounds. A value larger than the byte bound is not stored.
    @inlinable
    mutating func set(_ key: HashedKey, _ value: Value, bytes: Int, expires: Int64) {
        if let i = index[key] { remove(i) }
        guard bytes <= maxBytes, maxEntries > 0 else { return }
        while count >= maxEntries || self.bytes + bytes > maxBytes, tail >= 0 {
            remove(tail)
            evictions += 1
        }
        let node = Node(key: key.key, value: value, bytes: bytes, expires: expires, previous: -1, next: head)
        let i: Int32
        if let reused = free.popLast() { i = reused; nodes[Int(i)] = node } else { i = Int32(nodes.count); nodes.append(node) }
        if head >= 0 { nodes[Int(head)].previous = i }
        head = i
        if tail < 0 { tail = i }
        index[key] = i
        self.bytes += bytes
        count += 1
    }

    /// Removes `key`; returns whether it was there.
    @inlinable @discardableResult
    mutating func remove(_ key: HashedKey) -> Bool {
        guard let i = index[key] else { return false }
        remove(i)
        return true
    }

    /// Removes every key starting with `prefix`; returns how many.
    @inlinable
    mutating func removeAll(prefix: String) -> Int {
        let doomed = index.filter { $0.key.key.hasPrefix(prefix) }.map(\.value)
        for i in doomed { remove(i) }
        return doomed.count
    }

    @inlinable
    mutating func removeAll() {
        self = LRUStore(maxEntries: maxEntries, maxBytes: maxBytes)
    }

    @inlinable
    mutating func remove(_ i: Int32) {
        let node = nodes[Int(i)]
        if node.previous >= 0 { nodes[Int(node.previous)].next = node.next } else { head = node.next }
        if node.next >= 0 { nodes[Int(node.next)].previous = node.previous } else { tail = node.previous }
        index[HashedKey(node.key)] = nil
        nodes[Int(i)].value = nil  // release the value now
        nodes[Int(i)].key = ""
        free.append(i)
        bytes -= node.bytes
        count -= 1
    }

    @inlinable
    mutating func moveToFront(_ i: Int32) {
        guard head != i else { return }
        let node = nodes[Int(i)]
        nodes[Int(node.previous)].next = node.next
        if node.next >= 0 { nodes[Int(node.next)].previous = node.previous } else { tail = node.previous }
        nodes[Int(i)].previous = -1
        nodes[Int(i)].next = head
        nodes[Int(head)].previous = i
        head = i
    }

    /// Keys from most to least recently used (tests).
    var keysByRecency: [String] {
        var out: [String] = []
        var i = head
        while i >= 0 { out.append(nodes[Int(i)].key); i = nodes[Int(i)].next }
        return out
    }
}

/// A key with its hash computed once: the cache picks the shard from it and the shard's
/// dictionary hashes only that integer, so a lookup hashes the string once, not twice.
@usableFromInline
struct HashedKey: Hashable, Sendable {
    @usableFromInline let key: String
    @usableFromInline let hash: Int

    @inlinable
    init(_ key: String) {
        self.key = key
        self.hash = key.hashValue
    }

    @inlinable
    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    @inlinable
    static func == (a: HashedKey, b: HashedKey) -> Bool { a.hash == b.hash && a.key == b.key }
}
