/// The unsynchronized core of one L1 shard: a hash map into an intrusive doubly linked list kept
/// in arrays (no per-entry objects, so no reference counting on the read path), most recently
/// used at the head. Bounded by entries and by bytes; each entry has its own expiry.
///
/// Not thread-safe by itself: `LRUCache` wraps each shard in a mutex.
struct LRUStore<Value: Sendable>: Sendable {
    struct Node {
        var key: String
        var value: Value?
        var bytes: Int
        /// Expiry in nanoseconds on the cache's clock; `Int64.max` for none.
        var expires: Int64
        var previous: Int32
        var next: Int32
    }

    private(set) var nodes: [Node] = []
    private var index: [String: Int32] = [:]
    private var free: [Int32] = []
    private var head: Int32 = -1, tail: Int32 = -1
    let maxEntries: Int
    let maxBytes: Int
    private(set) var bytes = 0
    private(set) var count = 0
    // Counters, read by `LRUCache.statistics`.
    private(set) var hits = 0, misses = 0, evictions = 0, expirations = 0

    init(maxEntries: Int, maxBytes: Int) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        index.reserveCapacity(min(maxEntries, 1 << 16))
    }

    /// The value under `key` if present and not expired at `now` (an expired entry is removed).
    mutating func get(_ key: String, now: Int64) -> Value? {
        guard let i = index[key] else { misses += 1; return nil }
        if nodes[Int(i)].expires <= now {
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
    mutating func set(_ key: String, _ value: Value, bytes: Int, expires: Int64) {
        if let i = index[key] { remove(i) }
        guard bytes <= maxBytes, maxEntries > 0 else { return }
        while count >= maxEntries || self.bytes + bytes > maxBytes, tail >= 0 {
            remove(tail)
            evictions += 1
        }
        let node = Node(key: key, value: value, bytes: bytes, expires: expires, previous: -1, next: head)
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
    @discardableResult
    mutating func remove(_ key: String) -> Bool {
        guard let i = index[key] else { return false }
        remove(i)
        return true
    }

    /// Removes every key starting with `prefix`; returns how many.
    mutating func removeAll(prefix: String) -> Int {
        let doomed = index.filter { $0.key.hasPrefix(prefix) }.map(\.value)
        for i in doomed { remove(i) }
        return doomed.count
    }

    mutating func removeAll() {
        self = LRUStore(maxEntries: maxEntries, maxBytes: maxBytes)
    }

    private mutating func remove(_ i: Int32) {
        let node = nodes[Int(i)]
        if node.previous >= 0 { nodes[Int(node.previous)].next = node.next } else { head = node.next }
        if node.next >= 0 { nodes[Int(node.next)].previous = node.previous } else { tail = node.previous }
        index[node.key] = nil
        nodes[Int(i)].value = nil  // release the value now
        nodes[Int(i)].key = ""
        free.append(i)
        bytes -= node.bytes
        count -= 1
    }

    private mutating func moveToFront(_ i: Int32) {
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
