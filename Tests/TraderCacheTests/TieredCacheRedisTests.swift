import Foundation
import Testing
@testable import TraderCache

/// Two-tier behaviour against the real Redis of scripts/test (GPT_TRADER_TEST_REDIS_URL). Every
/// test uses its own key root, so tests running in parallel never see each other's keys.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GPT_TRADER_TEST_REDIS_URL"] != nil
                    || ProcessInfo.processInfo.environment["GPT_TRADER_TEST_NO_SERVICES"] != "1"))
struct TieredCacheRedisTests {
    static func configuration(root: String) throws -> TieredCacheConfiguration {
        TieredCacheConfiguration(redis: RedisClientConfiguration(url: try RedisConnectionTests.url(), commandTimeout: .seconds(10),
                                                                 connectTimeout: .seconds(10)),
                                 root: root)
    }

    static func root() -> String { "test-\(UUID().uuidString.prefix(8))" }

    static func key(_ parts: String...) throws -> CacheKey { try CacheKey(namespace: "bars", version: 1, parts: parts) }

    @Test func secondProcessIsServedFromL2() async throws {
        let root = Self.root()
        let a = TieredCache(try Self.configuration(root: root)), b = TieredCache(try Self.configuration(root: root))
        let loads = LoadCounter()
        let first = try await a.value(for: try Self.key("GOOG"), codec: .json([Double].self)) { loads([1.5, 2.5]) }
        let second = try await b.value(for: try Self.key("GOOG"), codec: .json([Double].self)) { loads([9.9]) }
        #expect(first == [1.5, 2.5] && second == [1.5, 2.5])
        #expect(loads.value == 1)
        #expect(a.metrics.count(.l2Miss) == 1 && a.metrics.count(.l2Write) == 1)
        #expect(b.metrics.count(.l2Hit) == 1 && b.metrics.count(.load) == 0)
        // The stored key carries namespace, version and generation under the root.
        let keys = try await a.redis!.keys(matching: "\(root):*")
        #expect(keys.contains("\(root):c:bars:v1:g0:GOOG"))
        await a.clear()
        await a.shutdown()
        await b.shutdown()
    }

    @Test func garbageUnderAKeyIsAMiss() async throws {
        let root = Self.root()
        let cache = TieredCache(try Self.configuration(root: root))
        let loads = LoadCounter()
        _ = try await cache.value(for: try Self.key("X"), codec: .json(Int.self)) { loads(1) }
        // Another writer (or a crash mid-write) leaves bytes that are not ours, then truncated ones.
        for garbage in [Array("garbage".utf8), Array(CacheCodec<Int>.json().encode(1).dropLast(2))] {
            try await cache.redis!.set("\(root):c:bars:v1:g0:X", garbage)
            let fresh = TieredCache(try Self.configuration(root: root))
            let v = try await fresh.value(for: try Self.key("X"), codec: .json(Int.self)) { loads(2) }
            #expect(v == 2)
            #expect(fresh.metrics.count(.corrupt) == 1 && fresh.metrics.count(.l2Hit) == 0)
            await fresh.shutdown()
        }
        #expect(loads.value == 3)
        await cache.clear()
        await cache.shutdown()
    }

    /// One process's invalidation clears the other processes' L1 through pub/sub.
    @Test func invalidationsReachOtherProcesses() async throws {
        let root = Self.root()
        let a = TieredCache(try Self.configuration(root: root)), b = TieredCache(try Self.configuration(root: root))
        #expect(await a.waitUntilSubscribed(timeout: .seconds(300)))
        #expect(await b.waitUntilSubscribed(timeout: .seconds(300)))
        let loads = LoadCounter()
        func read(_ c: TieredCache, _ k: CacheKey, _ v: Int) async throws -> Int {
            try await c.value(for: k, codec: .json(Int.self)) { loads(v) }
        }
        let k1 = try Self.key("k1"), k2 = try Self.key("k2")
        #expect(try await read(a, k1, 1) == 1)
        #expect(try await read(b, k1, 99) == 1)  // from L2, now in b's L1
        #expect(await a.invalidate(k1))
        try await eventually { b.l1Statistics.entries == 0 }
        #expect(try await read(b, k1, 2) == 2)  // b's L1 and L2 forgot it: loaded again

        // A generation bump in b reaches a: a's next read of the namespace misses.
        #expect(try await read(a, k2, 3) == 3)
        let g = await b.bumpGeneration("bars")
        #expect(g == 1)
        try await eventually { a.generations.withLock { $0["bars"] } == 1 }
        #expect(try await read(a, k2, 4) == 4)
        #expect(try await a.redis!.keys(matching: "\(root):c:bars:v1:g1:*").count == 1)

        // Prefix invalidation removes the keys in Redis (SCAN + UNLINK) and in the other L1.
        #expect(try await read(a, k1, 5) == 5)
        #expect(await b.invalidate(prefix: "bars:"))
        #expect(try await a.redis!.keys(matching: "\(root):c:*").isEmpty)
        try await eventually { a.l1Statistics.entries == 0 }
        await a.shutdown()
        await b.shutdown()
    }

    @Test func statisticsAreSharedAcrossProcesses() async throws {
        let root = Self.root()
        let a = TieredCache(try Self.configuration(root: root)), b = TieredCache(try Self.configuration(root: root))
        _ = try await a.value(for: try Self.key("s"), codec: .bytes) { [1, 2, 3] }
        _ = try await b.value(for: try Self.key("s"), codec: .bytes) { [9] }
        _ = try await b.value(for: try Self.key("s"), codec: .bytes) { [9] }
        let flushedA = await a.flushStatistics(), flushedB = await b.flushStatistics()
        #expect(flushedA && flushedB)
        #expect(await a.flushStatistics())  // nothing new: adds nothing
        let report = await a.sharedReport()
        #expect(report.reachable)
        #expect(report.counts["loads"] == 1 && report.counts["l2_hits"] == 1 && report.counts["l1_hits"] == 1)
        #expect(report.namespaces == [TieredCache.NamespaceUsage(namespace: "bars:v1", keys: 1, bytes: CacheFrame.headerSize + 3)])
        #expect((report.serverMemory ?? 0) > 0)
        _ = try await a.redis!.unlink(["\(root):stats"])
        await a.clear()
        await a.shutdown()
        await b.shutdown()
    }
}

/// Polls `condition` until it holds, for up to 300 s: pub/sub delivery is asynchronous, and the
/// suite runs in parallel with tests that block the cooperative threads (the CLI tests wait for
/// their subprocesses), so on a loaded 2-core machine a healthy condition can wait a minute or
/// more to be observed (the 60 s bound was exceeded twice in full runs). Returns as soon as it
/// holds; never a timing assertion.
func eventually(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    for _ in 0..<30_000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within 300 s", sourceLocation: sourceLocation)
}
