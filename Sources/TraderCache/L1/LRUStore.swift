/// The unsynchronized core of one L1 shard: a `SlotTable` from key hashes to entry numbers and
/// the entries in one buffer, kept dense (`0..<count`), with a doubly linked list through them,
/// most recently used at the head. Bounded by entries and by bytes; each entry has its own expiry.
///
/// Why a raw buffer of whole entries rather than arrays: a hit reads the key, expiry, links and
/// value from one place (usually one cache line), compares the key in place, relinks a few
/// entries and copies out only the value, with no uniqueness or bounds checks and no
/// retain/release of the key (which copying nodes out of an array cost). Exact LRU order is kept.
///
/// Not thread-safe by itself: `LRUCache` wraps each shard in a mutex. Not copyable: it owns its
/// buffer and frees it in `deinit`.
@usableFromInline
struct LRUStore<Value: Sendable>: ~Copyable {
    @usableFromInline
    struct Entry {
        @usableFromInline var key: String
        @usableFromInline var hash: UInt64
        /// Expiry in nanoseconds on the cache's clock; `Int64.max` for none.
        @usableFromInline var expires: Int64
        /// Neighbours in recency order, -1 at the ends.
        @usableFromInline var previous: Int32
        @usableFromInline var next: Int32
        @usableFromInline var value: Value
        @usableFromInline var bytes: Int

        @inlinable
        init(key: String, hash: UInt64, expires: Int64, previous: Int32, next: Int32, value: Value, bytes: Int) {
            (self.key, self.hash, self.expires, self.previous, self.next) = (key, hash, expires, previous, next)
            (self.value, self.bytes) = (value, bytes)
        }
    }

    @usableFromInline var table: SlotTable
    @usableFromInline var entries: UnsafeMutablePointer<Entry>
    /// Entries allocated; grows by doubling up to `maxEntries`.
    @usableFromInline var capacity: Int
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
        self.maxEntries = min(maxEntries, Int(Int32.max) - 1)
        self.maxBytes = maxBytes
        capacity = max(1, min(self.maxEntries, 16))
        table = SlotTable(minimumSlots: 2 * capacity)
        entries = .allocate(capacity: capacity)
    }

    @inlinable deinit {
        entries.deinitialize(count: count)
        entries.deallocate()
    }

    /// The entry for `key` (hashing to `hash`), or -1.
    @inlinable @inline(__always)
    func find(_ key: String, hash: UInt64) -> Int32 {
        table.find(hash) { entries[Int($0)].key == key }
    }

    /// The value under `key` if present and not expired at `now()` (an expired entry is removed).
    /// The clock is read only for entries that can expire.
    @inlinable
    mutating func get(_ key: String, hash: UInt64, now: () -> Int64) -> Value? {
        let i = find(key, hash: hash)
        guard i >= 0 else { misses &+= 1; return nil }
        let expires = entries[Int(i)].expires
        if expires != .max && expires <= now() {
            remove(i)
            expirations &+= 1
            misses &+= 1
            return nil
        }
        moveToFront(i)
        hits &+= 1
        return entries[Int(i)].value
    }

    /// Stores `value` (of `bytes` bytes) under `key` until `expires`, evicting least recently used
    /// entries beyond the bounds. A value larger than the byte bound is not stored.
    @inlinable
    mutating func set(_ key: String, hash: UInt64, _ value: Value, bytes: Int, expires: Int64) {
        let old = find(key, hash: hash)
        if old >= 0 { remove(old) }
        guard bytes <= maxBytes, maxEntries > 0 else { return }
        while count >= maxEntries || self.bytes + bytes > maxBytes, tail >= 0 {
            remove(tail)
            evictions &+= 1
        }
        if count == capacity { grow() }
        let i = Int32(count)
        (entries + count).initialize(to: Entry(key: key, hash: hash, expires: expires, previous: -1, next: head,
                                               value: value, bytes: bytes))
        if head >= 0 { entries[Int(head)].previous = i }
        head = i
        if tail < 0 { tail = i }
        table.insert(hash, entry: i)
        self.bytes += bytes
        count += 1
    }

    /// Removes `key`; returns whether it was there.
    @inlinable @discardableResult
    mutating func remove(_ key: String, hash: UInt64) -> Bool {
        let i = find(key, hash: hash)
        guard i >= 0 else { return false }
        remove(i)
        return true
    }

    /// Removes every key starting with `prefix`; returns how many.
    @inlinable
    mutating func removeAll(prefix: String) -> Int {
        var removed = 0
        var i = Int32(count) - 1
        while i >= 0 {  // from the end: removal moves the last entry into the hole, already seen
            if entries[Int(i)].key.hasPrefix(prefix) { remove(i); removed += 1 }
            i -= 1
        }
        return removed
    }

    /// Empties the store, frees its buffers and resets its counters.
    @inlinable
    mutating func removeAll() {
        self = LRUStore(maxEntries: maxEntries, maxBytes: maxBytes)
    }

    /// Doubles the entry buffer (up to `maxEntries`) and the table with it.
    @usableFromInline
    mutating func grow() {
        let larger = min(maxEntries, capacity * 2)
        precondition(larger > capacity, "L1 shard full")
        let moved = UnsafeMutablePointer<Entry>.allocate(capacity: larger)
        moved.moveInitialize(from: entries, count: count)
        entries.deallocate()
        entries = moved
        capacity = larger
        table = table.resized(minimumSlots: 2 * larger)
    }

    /// Unlinks entry `i` and releases its key and value now; the last entry moves into its place,
    /// so entries stay dense.
    @inlinable
    mutating func remove(_ i: Int32) {
        let previous = entries[Int(i)].previous, next = entries[Int(i)].next
        if previous >= 0 { entries[Int(previous)].next = next } else { head = next }
        if next >= 0 { entries[Int(next)].previous = previous } else { tail = previous }
        table.remove(entries[Int(i)].hash, entry: i)
        bytes -= entries[Int(i)].bytes
        (entries + Int(i)).deinitialize(count: 1)
        count -= 1
        let last = Int32(count)
        guard i != last else { return }
        (entries + Int(i)).moveInitialize(from: entries + Int(last), count: 1)
        table.renumber(entries[Int(i)].hash, from: last, to: i)
        let p = entries[Int(i)].previous, n = entries[Int(i)].next
        if p >= 0 { entries[Int(p)].next = i } else { head = i }
        if n >= 0 { entries[Int(n)].previous = i } else { tail = i }
    }

    @inlinable @inline(__always)
    mutating func moveToFront(_ i: Int32) {
        guard head != i else { return }
        let previous = entries[Int(i)].previous, next = entries[Int(i)].next
        entries[Int(previous)].next = next
        if next >= 0 { entries[Int(next)].previous = previous } else { tail = previous }
        entries[Int(i)].previous = -1
        entries[Int(i)].next = head
        entries[Int(head)].previous = i
        head = i
    }

    /// Keys from most to least recently used (tests).
    var keysByRecency: [String] {
        var out: [String] = []
        var i = head
        while i >= 0 { out.append(entries[Int(i)].key); i = entries[Int(i)].next }
        return out
    }
}
