import Synchronization
import Testing
@testable import TraderCache

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    let nanos = Atomic<Int64>(0)
    var clock: CacheClock { CacheClock { self.nanos.load(ordering: .relaxed) } }
    func advance(_ d: Duration) { nanos.add(d.nanoseconds, ordering: .relaxed) }
}

@Suite struct LRUCacheTests {
    @Test func evictsTheLeastRecentlyUsedEntry() {
        let cache = LRUCache<Int>(maxEntries: 3, shards: 1)
        cache.set("a", 1); cache.set("b", 2); cache.set("c", 3)
        #expect(cache.get("a") == 1)  // a is now the most recent
        cache.set("d", 4)             // evicts b, the least recent
        #expect(cache.get("b") == nil)
        #expect(cache.get("a") == 1 && cache.get("c") == 3 && cache.get("d") == 4)
        let s = cache.statistics
        #expect(s.evictions == 1 && s.entries == 3 && s.hits == 4 && s.misses == 1)
    }

    @Test func boundedByBytes() {
        let cache = LRUCache<[UInt8]>(maxEntries: 100, maxBytes: 10, shards: 1, cost: { $0.count })
        cache.set("a", [UInt8](repeating: 1, count: 4))
        cache.set("b", [UInt8](repeating: 2, count: 4))
        cache.set("c", [UInt8](repeating: 3, count: 4))  // 12 > 10: a goes
        #expect(cache.get("a") == nil && cache.get("b")?.count == 4 && cache.get("c")?.count == 4)
        #expect(cache.statistics.bytes == 8)
        cache.set("huge", [UInt8](repeating: 0, count: 11))  // larger than the whole bound: not stored, nothing evicted
        #expect(cache.get("huge") == nil && cache.get("b") != nil && cache.get("c") != nil)
        cache.set("b", [1])  // replacing updates the byte count
        #expect(cache.statistics.bytes == 5)
    }

    @Test func entriesExpireAfterTheirTimeToLive() {
        let time = ManualClock()
        let cache = LRUCache<String>(maxEntries: 10, defaultTTL: .seconds(60), shards: 1, clock: time.clock)
        cache.set("default", "x")
        cache.set("short", "y", ttl: .seconds(5))
        cache.set("none", "z", ttl: .zero)  // a zero TTL stores nothing
        #expect(cache.get("none") == nil)
        time.advance(.seconds(5))
        #expect(cache.get("short") == nil && cache.get("default") == "x")
        time.advance(.seconds(55))
        #expect(cache.get("default") == nil)
        let s = cache.statistics
        #expect(s.expirations == 2 && s.entries == 0)
    }

    @Test func removesByKeyAndPrefix() {
        let cache = LRUCache<Int>(maxEntries: 100)
        for i in 0..<10 { cache.set("bars:v1:GOOG:\(i)", i); cache.set("runs:v1:\(i)", i) }
        #expect(cache.remove("runs:v1:3") && !cache.remove("runs:v1:3"))
        #expect(cache.removeAll(prefix: "bars:v1:") == 10)
        #expect(cache.statistics.entries == 9 && cache.get("bars:v1:GOOG:0") == nil && cache.get("runs:v1:4") == 4)
        cache.removeAll()
        #expect(cache.statistics.entries == 0)
    }

    /// Random operations against a plain reference LRU (one shard, so the order is global).
    @Test func matchesAReferenceModel() {
        let cache = LRUCache<Int>(maxEntries: 8, shards: 1)
        var reference: [(key: String, value: Int)] = []  // most recent last
        var state: UInt64 = 12345
        func random(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        for step in 0..<20_000 {
            let key = "k\(random(20))"
            if random(3) == 0 {
                let got = cache.get(key)
                if let i = reference.firstIndex(where: { $0.key == key }) {
                    let entry = reference.remove(at: i)
                    reference.append(entry)
                    #expect(got == entry.value, "step \(step)")
                } else {
                    #expect(got == nil, "step \(step)")
                }
            } else {
                cache.set(key, step)
                reference.removeAll { $0.key == key }
                if reference.count == 8 { reference.removeFirst() }
                reference.append((key, step))
            }
        }
        #expect(cache.statistics.entries == reference.count)
    }

    @Test func manyThreadsKeepTheCountsConsistent() async {
        let cache = LRUCache<Int>(maxEntries: 1_000)
        let gets = 8 * 5_000
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for i in 0..<5_000 {
                        let key = "k\((i * 7 + t) % 1_500)"
                        if i % 3 == 0 { cache.set(key, i) }
                        _ = cache.get(key)
                    }
                }
            }
        }
        let s = cache.statistics
        #expect(s.hits + s.misses == gets)
        #expect(s.entries <= 1_008)  // 16 shards × ⌈1000/16⌉
    }
}

/// The shard internals: the open-addressing table under colliding hashes, growth, removal that
/// shifts slots back, and the recency order, against plain reference models.
@Suite struct LRUStoreTests {
    /// A deliberately bad hash: 3 distinct values for 60 keys, so most lookups probe past slots
    /// with the same tag and must tell keys apart by their strings, and runs wrap around the
    /// table's end (the top bits pick the home slot).
    static func badHash(_ n: Int) -> UInt64 { UInt64(n % 3) << 62 | 0xFFFF }

    @Test func collidingKeysAreToldApartByTheirStrings() {
        var store = LRUStore<Int>(maxEntries: 100, maxBytes: .max)
        for n in 0..<60 { store.set("k\(n)", hash: Self.badHash(n), n, bytes: 1, expires: .max) }
        let (count60, capacity) = (store.count, store.capacity)
        #expect(count60 == 60 && capacity >= 60)  // grew from 16
        for n in 0..<60 {
            let value = store.get("k\(n)", hash: Self.badHash(n), now: { 0 })
            #expect(value == n)
        }
        let absent = store.get("k60", hash: Self.badHash(60), now: { 0 })
        #expect(absent == nil)
        // Remove every third key from the middle of the runs: the others stay reachable.
        for n in stride(from: 1, to: 60, by: 3) {
            let removed = store.remove("k\(n)", hash: Self.badHash(n))
            #expect(removed)
        }
        for n in 0..<60 {
            let value = store.get("k\(n)", hash: Self.badHash(n), now: { 0 })
            #expect(value == (n % 3 == 1 ? nil : n), "k\(n)")
        }
        let (count, bytes) = (store.count, store.bytes)
        #expect(count == 40 && bytes == 40)
    }

    /// Random sets, gets and removals over 300 keys with a 7-valued hash, against a dictionary
    /// and a recency list: values, counts and the exact LRU order must agree after every step.
    @Test func matchesReferenceModelsUnderCollisionsGrowthAndRemoval() {
        var store = LRUStore<Int>(maxEntries: 200, maxBytes: .max)
        var reference: [String] = []  // most recent first
        var values: [String: Int] = [:]
        var state: UInt64 = 99
        func random(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        func hash(_ n: Int) -> UInt64 { UInt64(n % 7) &* 0x9E37_79B9_7F4A_7C15 }
        for step in 0..<30_000 {
            let n = random(300), key = "key:\(n)"
            switch random(4) {
            case 0:
                let value = store.get(key, hash: hash(n), now: { 0 })
                #expect(value == values[key], "step \(step)")
                if values[key] != nil { reference.removeAll { $0 == key }; reference.insert(key, at: 0) }
            case 1:
                let removed = store.remove(key, hash: hash(n))
                #expect(removed == (values.removeValue(forKey: key) != nil), "step \(step)")
                reference.removeAll { $0 == key }
            default:
                store.set(key, hash: hash(n), step, bytes: 1, expires: .max)
                reference.removeAll { $0 == key }
                if reference.count == 200, let last = reference.popLast() { values[last] = nil }
                reference.insert(key, at: 0)
                values[key] = step
            }
            if step % 1_000 == 0 {
                let order = store.keysByRecency
                #expect(order == reference, "step \(step)")
            }
        }
        let (order, count, evictions) = (store.keysByRecency, store.count, store.evictions)
        #expect(order == reference)
        #expect(count == values.count && evictions > 0)
    }

    @Test func removingByPrefixKeepsTheOrderOfTheRest() {
        var store = LRUStore<Int>(maxEntries: 50, maxBytes: .max)
        for n in 0..<40 {
            let key = n % 2 == 0 ? "even:\(n)" : "odd:\(n)"
            store.set(key, hash: KeyHash.hash(key), n, bytes: 1, expires: .max)
        }
        let removed = store.removeAll(prefix: "even:")
        let order = store.keysByRecency
        #expect(removed == 20)
        #expect(order == stride(from: 39, through: 1, by: -2).map { "odd:\($0)" })
    }

    @Test func keyHashIsStableAndSpreadsRealKeysOverShards() {
        #expect(KeyHash.hash("bars:v1:GOOG:1d") == KeyHash.hash(String("bars:v1:GOOG:1d".reversed().reversed())))
        // Every length from 0 to 64 (each code path of the hash) gives a different value.
        let prefixes = (0...64).map { String(repeating: "x", count: $0) }
        #expect(Set(prefixes.map(KeyHash.hash)).count == prefixes.count)
        var perShard = [Int](repeating: 0, count: 16)
        for n in 0..<10_000 { perShard[Int(KeyHash.hash("bars:v1:SYM\(n % 500):1d:\(n)") & 15)] += 1 }
        #expect(perShard.allSatisfy { (500...750).contains($0) }, "\(perShard)")
    }
}

/// A counter shared by concurrent loads.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}

@Suite struct SingleFlightTests {
    @Test func concurrentMissesLoadOnce() async throws {
        let flight = SingleFlight<Int>()
        let loads = Counter()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await flight.value(for: "bars:GOOG") {
                        loads.add()
                        try await Task.sleep(for: .milliseconds(200))
                        return 42
                    }
                }
            }
            var all: [Int] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 50 && results.allSatisfy { $0 == 42 })
        #expect(loads.count == 1)
        #expect(flight.loading == 0)
        // Once done, the next miss loads again.
        _ = try await flight.value(for: "bars:GOOG") { loads.add(); return 7 }
        #expect(loads.count == 2)
    }

    struct LoadFailed: Error {}

    @Test func aFailedLoadIsSharedAndNotKept() async throws {
        let flight = SingleFlight<Int>()
        await #expect(throws: LoadFailed.self) {
            try await flight.value(for: "x") { throw LoadFailed() }
        }
        #expect(try await flight.value(for: "x") { 1 } == 1)
    }
}
