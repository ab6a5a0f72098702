import Foundation
import NIOCore
import Testing
@testable import TraderCache

@Suite struct RESPTests {
    @Test func parsesRepliesIncrementally() throws {
        var buffer = ByteBuffer(string: "*3\r\n$3\r\nfoo\r\n:42\r\n$-1\r\n+OK\r\n-ERR wrong\r\n")
        let full = buffer
        // Every strict prefix of the first value is incomplete and consumes nothing.
        let firstLength = "*3\r\n$3\r\nfoo\r\n:42\r\n$-1\r\n".utf8.count
        for cut in 0..<firstLength {
            var partial = full.getSlice(at: 0, length: cut)!
            #expect(try RESPValue.read(from: &partial) == nil, "cut \(cut)")
            #expect(partial.readableBytes == cut)
        }
        #expect(try RESPValue.read(from: &buffer) == .array([.bulkString(Array("foo".utf8)), .integer(42), .bulkString(nil)]))
        #expect(try RESPValue.read(from: &buffer) == .simpleString("OK"))
        #expect(try RESPValue.read(from: &buffer) == .error("ERR wrong"))
        #expect(buffer.readableBytes == 0)
        var garbage = ByteBuffer(string: "?what\r\n")
        #expect(throws: RESPError.self) { try RESPValue.read(from: &garbage) }
    }

    @Test func writesCommandsAsBulkStringArrays() {
        var buffer = ByteBuffer()
        RESPValue.writeCommand([Array("SET".utf8), Array("k".utf8), [0, 13, 10, 255]], into: &buffer)
        #expect(buffer.readBytes(length: buffer.readableBytes) == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n".utf8) + [0, 13, 10, 255] + Array("\r\n".utf8))
    }

    @Test func parsesIntegersToTheirLimitsAndRejectsOthers() throws {
        func read(_ text: String) throws -> RESPValue? {
            var buffer = ByteBuffer(string: text)
            return try RESPValue.read(from: &buffer)
        }
        #expect(try read(":9223372036854775807\r\n") == .integer(.max))
        #expect(try read(":-9223372036854775808\r\n") == .integer(.min))
        #expect(try read(":0\r\n") == .integer(0))
        for bad in [":9223372036854775808\r\n", ":-\r\n", ":\r\n", ":12a\r\n", "$-2\r\n", "*-5\r\n"] {
            #expect(throws: RESPError.self, "\(bad)") { try read(bad) }
        }
        #expect(throws: RESPError.self) { try read("$3\r\nabcd\r\n") }  // no CRLF after 3 bytes
        // A bulk string may hold CR, LF and any byte.
        #expect(try read("$4\r\n\r\n\u{0}x\r\n") == .bulkString([13, 10, 0, 120]))
    }

    @Test func encodesStringArgumentsAsTheByteForm() {
        let arguments = ["SET", "clé:ü", "", String(repeating: "v", count: 300)]
        var fromStrings = ByteBuffer(), fromBytes = ByteBuffer(), get = ByteBuffer(), getGeneric = ByteBuffer()
        RESPValue.writeCommand(strings: arguments, into: &fromStrings)
        RESPValue.writeCommand(arguments.map { Array($0.utf8) }, into: &fromBytes)
        #expect(fromStrings == fromBytes)
        #expect(fromStrings.getString(at: 0, length: 21) == "*4\r\n$3\r\nSET\r\n$7\r\nclé")
        RESPValue.writeGet("bars:v1:ü", into: &get)
        RESPValue.writeCommand(strings: ["GET", "bars:v1:ü"], into: &getGeneric)
        #expect(get == getGeneric)
    }

    @Test func parsesURLs() throws {
        #expect(try RedisURL(parsing: "redis://127.0.0.1:6380/2") == RedisURL(host: "127.0.0.1", port: 6380, database: 2))
        #expect(try RedisURL(parsing: "redis://:secret@cache.local") == RedisURL(host: "cache.local", port: 6379, password: "secret"))
        #expect(try RedisURL(parsing: "redis://app:p%40ss@h:1/0") == RedisURL(host: "h", port: 1, user: "app", password: "p%40ss"))
        #expect(throws: RESPError.badURL("port 'x' is not in 1…65535")) { try RedisURL(parsing: "redis://h:x") }
        #expect(throws: RESPError.badURL("database 'y' is not a number from 0 to 1000000")) { try RedisURL(parsing: "redis://h/y") }
        #expect(throws: RESPError.self) { try RedisURL(parsing: "http://h") }
    }
}

/// Against the real Redis server `scripts/test` starts (GPT_TRADER_TEST_REDIS_URL). Without it the
/// tests fail, telling how to run them, unless services were explicitly turned off for a quick
/// local run (GPT_TRADER_TEST_NO_SERVICES=1).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GPT_TRADER_TEST_REDIS_URL"] != nil
                    || ProcessInfo.processInfo.environment["GPT_TRADER_TEST_NO_SERVICES"] != "1"))
struct RedisConnectionTests {
    static func url() throws -> RedisURL {
        guard let text = ProcessInfo.processInfo.environment["GPT_TRADER_TEST_REDIS_URL"] else {
            Issue.record("GPT_TRADER_TEST_REDIS_URL is not set: run the tests with scripts/test, which starts Redis")
            throw RESPError.closed
        }
        return try RedisURL(parsing: text)
    }

    // Generous timeouts: the whole suite runs in parallel on a loaded 2-core machine.
    static func key(_ name: String) -> String { "test:\(UUID().uuidString):\(name)" }

    @Test func commandsWorkAgainstARealServer() async throws {
        let redis = try await RedisConnection.connect(to: try Self.url(), timeout: .seconds(30))
        #expect(try await redis.ping() == "PONG")
        let a = Self.key("a"), b = Self.key("b"), n = Self.key("n")
        let binary: [UInt8] = [0, 1, 13, 10, 255, 42]
        try await redis.set(a, binary)
        #expect(try await redis.get(a) == binary)
        #expect(try await redis.get(Self.key("missing")) == nil)
        try await redis.set(b, Array("two".utf8), expiry: .seconds(60))
        #expect(try await redis.mget([a, b, Self.key("none")]) == [binary, Array("two".utf8), nil])
        guard case let .integer(ttl) = try await redis.send(["PTTL", b]) else { Issue.record("PTTL"); return }
        #expect(ttl > 55_000 && ttl <= 60_000)
        let first = try await redis.incr(n), second = try await redis.incr(n)
        #expect(first == 1 && second == 2)
        #expect(try await redis.expire(n, seconds: 30))
        let deleted = try await redis.del([a, n]), unlinked = try await redis.unlink([b])
        #expect(deleted == 2 && unlinked == 1)
        #expect(try await redis.publish(Self.key("channel"), "hello") == 0)  // no subscribers
        await #expect(throws: RESPError.self) { _ = try await redis.send(["NOSUCHCOMMAND"]) }
        #expect(redis.isActive)  // an error reply does not break the connection
        try await redis.close()
        // A command on a closed connection fails at once, it does not wait for a timeout.
        await #expect(throws: RESPError.closed) { _ = try await redis.ping() }
    }

    /// Many commands in flight on one connection each get their own reply.
    @Test func pipelinedCommandsGetTheirOwnReplies() async throws {
        let redis = try await RedisConnection.connect(to: try Self.url(), timeout: .seconds(30))
        let prefix = Self.key("p")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<500 { group.addTask { try await redis.set("\(prefix):\(i)", Array("\(i)".utf8)) } }
            try await group.waitForAll()
        }
        let values = try await withThrowingTaskGroup(of: (Int, [UInt8]?).self) { group in
            for i in 0..<500 { group.addTask { (i, try await redis.get("\(prefix):\(i)")) } }
            var out: [Int: [UInt8]?] = [:]
            for try await (i, v) in group { out[i] = v }
            return out
        }
        #expect(values.count == 500)
        for (i, v) in values { #expect(v == Array("\(i)".utf8)) }
        // A pipelined batch: one write, replies in order, an error reply in place.
        let replies = try await redis.pipeline([["GET", "\(prefix):7"], ["NOSUCHCOMMAND"], ["INCR", "\(prefix):counter"], ["GET", "\(prefix):8"]])
        #expect(replies.count == 4)
        #expect(replies[0] == .bulkString(Array("7".utf8)) && replies[2] == .integer(1) && replies[3] == .bulkString(Array("8".utf8)))
        if case .error = replies[1] {} else { Issue.record("expected an error reply, got \(replies[1])") }
        #expect(try await redis.del((0..<500).map { "\(prefix):\($0)" } + ["\(prefix):counter"]) == 501)
        try await redis.close()
    }

    /// The GET fast path: values as slices, nil for missing keys, replies split over many reads
    /// (a 1 MB value), and an error reply that fails the batch but not the connection.
    @Test func pipelinedGetsReturnSlicesInOrder() async throws {
        let redis = try await RedisConnection.connect(to: try Self.url(), timeout: .seconds(30))
        let prefix = Self.key("g")
        let big = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try await redis.set("\(prefix):big", big)
        try await redis.set("\(prefix):a", Array("alpha".utf8))
        try await redis.set("\(prefix):empty", [])
        let keys = ["\(prefix):a", "\(prefix):missing", "\(prefix):big", "\(prefix):empty", "\(prefix):a"]
        async let concurrent = redis.pipelineGet(Array(keys.reversed()))
        let values = try await redis.pipelineGet(keys)
        #expect(values.map { $0.map { Array($0.readableBytesView) } } == [Array("alpha".utf8), nil, big, [], Array("alpha".utf8)])
        let reversed = try await concurrent
        #expect(reversed.map { $0?.readableBytes } == [5, 0, 1_000_000, nil, 5])
        #expect(try await redis.pipelineGet([]) == [])
        _ = try await redis.send(["RPUSH", "\(prefix):list", "x"])
        await #expect(throws: RESPError.server("WRONGTYPE Operation against a key holding the wrong kind of value")) {
            _ = try await redis.pipelineGet(["\(prefix):a", "\(prefix):list"])
        }
        #expect(try await redis.pipelineGet(["\(prefix):a"]).first??.readableBytes == 5)  // still in step
        _ = try await redis.del(["\(prefix):big", "\(prefix):a", "\(prefix):empty", "\(prefix):list"])
        try await redis.close()
    }

    /// A reply that does not come in time fails its command and every one behind it with a
    /// timeout, and closes the connection (a late reply would be matched to the wrong command).
    @Test func aMissingReplyTimesOutAndClosesTheConnection() async throws {
        let redis = try await RedisConnection.connect(to: try Self.url(), timeout: .milliseconds(300))
        #expect(try await redis.ping() == "PONG")
        // Two commands that block 5 s on the server: whichever is first times out, and the other
        // fails with it.
        let blocked = (0..<2).map { _ in Task { try await redis.send(["BLPOP", Self.key("never"), "5"]) } }
        for task in blocked {
            await #expect(throws: RESPError.timeout("BLPOP")) { _ = try await task.value }
        }
        await #expect(throws: RESPError.closed) { _ = try await redis.ping() }
        #expect(!redis.isActive)
    }

    /// A task that prefers the connection's executor runs on its event loop, before and after
    /// every await, and its commands work as anywhere else.
    @Test func aTaskCanRunOnTheConnectionsEventLoop() async throws {
        let redis = try await RedisConnection.connect(to: try Self.url(), timeout: .seconds(30))
        let key = Self.key("executor")
        try await redis.set(key, [7])
        #expect(!redis.taskExecutor.eventLoop.inEventLoop)
        let (onLoop, values) = try await withTaskExecutorPreference(redis.taskExecutor) {
            var onLoop = true, values: [[UInt8]?] = []
            for _ in 0..<20 {
                onLoop = onLoop && redis.taskExecutor.eventLoop.inEventLoop
                values += try await redis.pipelineGet([key, Self.key("missing")]).map { $0.map { Array($0.readableBytesView) } }
                onLoop = onLoop && redis.taskExecutor.eventLoop.inEventLoop
            }
            return (onLoop, values)
        }
        #expect(onLoop)
        #expect(values.count == 40 && values.allSatisfy { $0 == nil || $0 == [7] } && values.compactMap { $0 }.count == 20)
        _ = try await redis.del([key])
        try await redis.close()
    }

    @Test func selectsTheURLsDatabaseAndRefusesBadCredentials() async throws {
        var url = try Self.url()
        let key = Self.key("db")
        let zero = try await RedisConnection.connect(to: url, timeout: .seconds(30))
        url.database = 1
        let one = try await RedisConnection.connect(to: url, timeout: .seconds(30))
        try await one.set(key, [1])
        let inZero = try await zero.get(key), inOne = try await one.get(key)
        #expect(inZero == nil && inOne == [1])
        _ = try await one.del([key])
        url.password = "wrong"
        await #expect(throws: RESPError.self) { _ = try await RedisConnection.connect(to: url, timeout: .seconds(30)) }
        try await zero.close()
        try await one.close()
    }
}
