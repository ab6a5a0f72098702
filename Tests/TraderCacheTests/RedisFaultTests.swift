import Foundation
import Testing
@testable import TraderCache

/// The server dies and comes back under load (issue 6's reliability requirement), on a Redis of
/// the test's own so the other tests keep theirs.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GPT_TRADER_TEST_NO_SERVICES"] != "1"
                                || FileManager.default.isExecutableFile(atPath: ThrowawayRedis.binary)))
struct RedisFaultTests {
    static func cache(_ server: ThrowawayRedis) -> TieredCache {
        TieredCache(TieredCacheConfiguration(
            redis: RedisClientConfiguration(url: server.url, commandTimeout: .seconds(1), connectTimeout: .seconds(1)),
            root: "fault"))
    }

    /// Reads and writes go on while the server is killed and restarted: no caller sees an error,
    /// every value is right, callers are served during the outage, and the L2 tier is written
    /// again once the server answers (the delay is printed: 10–110 ms on this machine).
    @Test func killAndRestartUnderLoad() async throws {
        let server = try ThrowawayRedis()
        defer { server.stop() }
        let cache = Self.cache(server)
        let done = LoadCounter()  // operations completed by the stream
        let stream = Task {
            var i = 0
            while !Task.isCancelled {
                let k = try CacheKey(namespace: "bars", version: 1, parts: ["S\(i % 40)"])
                let expected = i % 40
                let v = try await cache.value(for: k, codec: .json(Int.self)) { expected }
                #expect(v == expected)
                if i % 7 == 0 { await cache.set(try CacheKey(namespace: "res", version: 1, parts: ["r\(i % 10)"]), i, codec: .json(Int.self)) }
                if i % 5 == 0 { _ = await cache.get(try CacheKey(namespace: "res", version: 1, parts: ["r\(i % 10)"]), codec: .json(Int.self)) }
                i += 1
                _ = done(i)
                await Task.yield()
            }
            return i
        }
        // The stream is using Redis (the suite runs in parallel on a loaded machine: wait for it).
        try await eventually { cache.metrics.count(.l2Write) > 0 }
        server.kill()
        try await eventually { cache.redis!.statistics.isDown && cache.metrics.count(.l2Error) > 0 }
        // Callers are still served while Redis is down.
        let atOutage = done.value
        try await eventually { done.value >= atOutage + 20 }
        try server.start()
        let back = ContinuousClock.now
        // The server is up (start() waited for PING); the cache must write to it again. How soon
        // is bounded by design — the reconnection backoff is capped at 200 ms plus jitter (checked
        // in TieredCacheLocalTests), well inside issue 6's one second — and measured here, not
        // asserted (tests do not fail on wall-clock time; a loaded CI machine may be slow).
        let probe = try await RedisConnection.connect(to: server.url, timeout: .seconds(30))
        var sawWrite = false
        while ContinuousClock.now - back < .seconds(60) {
            if try await probe.send(["DBSIZE"]) != .integer(0) { sawWrite = true; break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let elapsed = ContinuousClock.now - back
        #expect(sawWrite, "no write reached the restarted server")
        stream.cancel()
        let iterations = try await stream.value  // rethrows any error a caller saw
        #expect(cache.redis!.statistics.reconnects >= 1 && !cache.redis!.statistics.isDown)
        print("L2 back \(elapsed) after the restart; \(iterations) operations, \(cache.metrics.count(.l2Error)) L2 errors absorbed")
        try await probe.close()
        await cache.shutdown()
    }

    /// A server that stops answering (DEBUG SLEEP) costs at most the command timeout, never an error.
    @Test func slowServerFallsBackToL1() async throws {
        let server = try ThrowawayRedis()
        defer { server.stop() }
        let cache = Self.cache(server)
        let k = try CacheKey(namespace: "bars", version: 1, parts: ["slow"])
        #expect(try await cache.value(for: k, codec: .json(Int.self)) { 1 } == 1)
        let admin = try await RedisConnection.connect(to: server.url, timeout: .seconds(10))
        let sleeping = Task { try await admin.send(["DEBUG", "SLEEP", "3"]) }
        // Wait until the server is asleep: a PING on a connection of its own goes unanswered
        // (100 ms), which is the event, not a guess at how long the command takes to arrive.
        let probe = try await RedisConnection.connect(to: server.url, timeout: .milliseconds(100))
        var asleep = false
        let deadline = ContinuousClock.now + .seconds(30)
        while !asleep, ContinuousClock.now < deadline {
            do { _ = try await probe.send(["PING"]) } catch { asleep = true }
            await Task.yield()
        }
        try? await probe.close()
        try #require(asleep, "the server never went to sleep")
        let other = try CacheKey(namespace: "bars", version: 1, parts: ["other"])
        #expect(try await cache.value(for: other, codec: .json(Int.self)) { 2 } == 2)
        #expect(try await cache.value(for: k, codec: .json(Int.self)) { 3 } == 1)  // L1 still has it
        #expect(cache.metrics.count(.l2Error) >= 1)
        _ = try await sleeping.value
        try await admin.close()
        await cache.shutdown()
    }

    /// A server that is not there at all: L1 only, each L2 attempt fails fast (no per-call timeout).
    @Test func unreachableServerMeansL1Only() async throws {
        let cache = TieredCache(TieredCacheConfiguration(
            redis: RedisClientConfiguration(url: RedisURL(host: "127.0.0.1", port: try ThrowawayRedis.freePort()))))
        let loads = LoadCounter()
        for _ in 0..<50 {
            #expect(try await cache.value(for: try CacheKey(namespace: "n", version: 1, parts: ["x"]), codec: .json(Int.self)) { loads(5) } == 5)
        }
        #expect(loads.value == 1)
        #expect(cache.redis!.statistics.isDown && cache.redis!.statistics.outages == 1)
        #expect(await cache.invalidate(prefix: "n:") == false)
        await cache.shutdown()
    }

    /// Pub/sub does not queue: invalidations sent while a process was cut off are lost. So when
    /// its subscription comes back, the process forgets its L1 and the generations it knew.
    @Test func resubscribingAfterARestartForgetsWhatMayBeStale() async throws {
        let server = try ThrowawayRedis()
        defer { server.stop() }
        let cache = Self.cache(server)
        #expect(await cache.waitUntilSubscribed(timeout: .seconds(10)))
        _ = try await cache.value(for: try CacheKey(namespace: "bars", version: 1, parts: ["A"]), codec: .json(Int.self)) { 1 }
        #expect(cache.l1Statistics.entries == 1 && cache.generations.withLock { $0["bars"] } == 0)
        server.kill()
        try await eventually { !(cache.subscriber.withLock { $0?.isSubscribed } ?? true) }
        try server.start()
        try await eventually { cache.subscriber.withLock { $0?.subscriptions } == 2 }
        #expect(cache.l1Statistics.entries == 0)
        #expect(cache.generations.withLock { $0.isEmpty })
        await cache.shutdown()
    }
}
