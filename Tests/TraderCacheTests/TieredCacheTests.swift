import Foundation
import Synchronization
import Testing
@testable import TraderCache

/// Counts how often a loader ran.
final class LoadCounter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func callAsFunction<T>(_ v: T) -> T { count.withLock { $0 += 1 }; return v }
}

@Suite struct TieredCacheLocalTests {
    static func key(_ parts: String...) throws -> CacheKey { try CacheKey(namespace: "t", version: 1, parts: parts) }

    @Test func readsThroughAndServesRepeatsFromL1() async throws {
        let cache = TieredCache()
        let loads = LoadCounter()
        for _ in 0..<3 {
            let v = try await cache.value(for: try Self.key("a"), codec: .json(Int.self)) { loads(42) }
            #expect(v == 42)
        }
        #expect(loads.value == 1)
        #expect(cache.metrics.count(.l1Hit) == 2 && cache.metrics.count(.l1Miss) == 1 && cache.metrics.count(.load) == 1)
        #expect(cache.metrics.count(.l2Hit) == 0 && cache.metrics.count(.l2Error) == 0)  // no Redis configured: no L2 traffic at all
    }

    @Test func concurrentMissesLoadOnce() async throws {
        let cache = TieredCache()
        let loads = LoadCounter()
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    try await cache.value(for: try Self.key("same"), codec: .json(Int.self)) {
                        try await Task.sleep(for: .milliseconds(50))
                        return loads(7)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: 7, count: 32))
        #expect(loads.value == 1)
    }

    @Test func loaderErrorsReachTheCallerAndAreNotCached() async throws {
        struct Boom: Error {}
        let cache = TieredCache()
        await #expect(throws: Boom.self) { try await cache.value(for: try Self.key("e"), codec: .json(Int.self)) { throw Boom() } }
        let v = try await cache.value(for: try Self.key("e"), codec: .json(Int.self)) { 1 }
        #expect(v == 1)
    }

    @Test func invalidationsInL1Only() async throws {
        let cache = TieredCache()
        let loads = LoadCounter()
        func read(_ k: CacheKey) async throws -> Int { try await cache.value(for: k, codec: .json(Int.self)) { loads(1) } }
        let a = try Self.key("a"), b = try Self.key("b"), other = try CacheKey(namespace: "u", version: 1, parts: ["a"])
        for k in [a, b, other] { _ = try await read(k) }
        #expect(loads.value == 3)
        #expect(await cache.invalidate(a))
        _ = try await read(a)
        #expect(loads.value == 4)
        // A generation bump forgets the whole namespace and nothing else.
        #expect(await cache.bumpGeneration("t") == 1)
        for k in [a, b, other] { _ = try await read(k) }
        #expect(loads.value == 6)
        #expect(await cache.invalidate(prefix: "u:"))
        _ = try await read(other)
        #expect(loads.value == 7)
        #expect(await cache.clear())
        #expect(cache.l1Statistics.entries == 0)
    }

    /// Evictions and expirations of the L1 reach the metrics (and so `cache stats`).
    @Test func evictionsAndExpirationsAreCounted() async throws {
        let cache = TieredCache(TieredCacheConfiguration(maxEntries: 16))
        for i in 0..<100 {
            await cache.set(try Self.key("e\(i)"), i, codec: .json(Int.self))
        }
        let l1 = cache.l1Statistics
        #expect(l1.evictions >= 84 && cache.metrics.count(.l1Eviction) == l1.evictions)
        await cache.set(try Self.key("short"), 1, codec: .json(Int.self), ttl: .milliseconds(1))
        try await Task.sleep(for: .milliseconds(20))
        #expect(await cache.get(try Self.key("short"), codec: .json(Int.self)) == nil)
        _ = cache.l1Statistics
        #expect(cache.metrics.count(.l1Expiration) == 1)
        #expect(cache.metrics.snapshot["l1_evictions"] == cache.l1Statistics.evictions)  // "short" evicted one more
    }

    @Test func framesRejectGarbageAndTruncation() throws {
        let framed = CacheFrame.wrap(Array("{\"a\":1}".utf8))
        #expect(CacheFrame.unwrap(framed) == Array("{\"a\":1}".utf8))
        #expect(CacheFrame.unwrap(Array(framed.dropLast())) == nil)
        var flipped = framed
        flipped[framed.count - 2] ^= 1
        #expect(CacheFrame.unwrap(flipped) == nil)
        #expect(CacheFrame.unwrap(Array("not a frame at all".utf8)) == nil)
        #expect(CacheCodec<[Int]>.json().decode(CacheFrame.wrap(Array("[1,".utf8))) == nil)
        #expect(InvalidationMessage.decode(InvalidationMessage.generation(namespace: "bars", value: 3).encoded(sender: "me"))?.message
                == .generation(namespace: "bars", value: 3))
        #expect(InvalidationMessage.decode("x nonsense") == nil)
        #expect(globEscaped("a*b?[c]\\") == "a\\*b\\?\\[c\\]\\\\")
        #expect(Backoff().delay(attempt: 0) == .milliseconds(10) && Backoff().delay(attempt: 10) == .milliseconds(200))
        // Once Redis is back, the next attempt comes within the cap plus jitter: under a second.
        #expect(Backoff().delay(attempt: 1_000, jitter: 0.999) <= .milliseconds(250))
    }
}
