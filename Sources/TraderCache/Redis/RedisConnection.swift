public import NIOCore
public import NIOPosix

/// One connection to a Redis server, speaking RESP2 over a swift-nio channel.
///
/// Commands are pipelined: `send` writes at once and waits for its own reply, so many callers can
/// have commands in flight on one connection and replies are matched to them in order (Redis
/// answers in order). Nothing blocks the event loop. A command without a reply within `timeout`
/// fails with `RESPError.timeout`; since a late reply would then be matched to the wrong caller,
/// the connection is closed and every waiting command fails (a pool replaces it).
public final class RedisConnection: Sendable {
    let channel: any Channel
    public let timeout: TimeAmount

    init(channel: any Channel, timeout: TimeAmount) {
        self.channel = channel
        self.timeout = timeout
    }

    /// Connects to `url`, authenticates and selects its database.
    public static func connect(to url: RedisURL, timeout: TimeAmount = .seconds(5),
                               group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> RedisConnection {
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
                        try channel.pipeline.syncOperations.addHandler(RedisCommandHandler())
                    }
                }
                .connect(host: url.host, port: url.port).get()
        } catch {
            throw RESPError.server("cannot connect to \(url.host):\(url.port): \(error)")
        }
        let connection = RedisConnection(channel: channel, timeout: timeout)
        do {
            if let password = url.password {
                _ = try await connection.send(url.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            }
            if url.database != 0 { _ = try await connection.send(["SELECT", String(url.database)]) }
        } catch {
            try? await connection.close()
            throw error
        }
        return connection
    }

    /// Sends one command and returns its reply; an error reply throws `RESPError.server`.
    public func send(_ arguments: [String]) async throws -> RESPValue {
        try await send(bytes: arguments.map { Array($0.utf8) }, name: arguments.first ?? "")
    }

    public func send(bytes arguments: [[UInt8]], name: String) async throws -> RESPValue {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let deadline = channel.eventLoop.scheduleTask(in: timeout) { [channel] in
            promise.fail(RESPError.timeout(name))
            channel.close(promise: nil)
        }
        // Cancelled on the event loop as soon as the reply is in, not when this task resumes: a
        // busy machine may resume it late, and the deadline must not fire for a reply received.
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        // A write that fails (the connection is closed) fails the command at once.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { _ in promise.fail(RESPError.closed) }
        channel.writeAndFlush(RedisBatch(commands: [arguments], replies: [promise]), promise: written)
        let reply = try await promise.futureResult.get()
        if case let .error(message) = reply { throw RESPError.server(message) }
        return reply
    }

    /// Sends `commands` in one write and returns their replies in order (error replies are
    /// returned as `.error`, not thrown): one round trip for the whole batch, as redis-benchmark's
    /// `-P`. One deadline covers the batch.
    public func pipeline(_ commands: [[String]]) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        let loop = channel.eventLoop
        let promises = commands.map { _ in loop.makePromise(of: RESPValue.self) }
        let all = EventLoopFuture.whenAllComplete(promises.map(\.futureResult), on: loop)
        let deadline = loop.scheduleTask(in: timeout) { [channel] in
            for p in promises { p.fail(RESPError.timeout("a pipeline of \(commands.count)")) }
            channel.close(promise: nil)
        }
        all.whenComplete { _ in deadline.cancel() }
        let written = loop.makePromise(of: Void.self)
        written.futureResult.whenFailure { _ in for p in promises { p.fail(RESPError.closed) } }
        let batch = RedisBatch(commands: commands.map { $0.map { Array($0.utf8) } }, replies: promises)
        channel.writeAndFlush(batch, promise: written)
        return try await all.get().map { try $0.get() }
    }

    public var isActive: Bool { channel.isActive }

    public func close() async throws {
        try await channel.close()
    }

    // MARK: Commands

    public func ping() async throws -> String? { try await send(["PING"]).string }

    public func get(_ key: String) async throws -> [UInt8]? {
        if case let .bulkString(bytes) = try await send(["GET", key]) { return bytes }
        return nil
    }

    /// SET with an optional expiry (`EX` seconds or `PX` milliseconds, whole milliseconds used).
    public func set(_ key: String, _ value: [UInt8], expiry: Duration? = nil) async throws {
        var arguments: [[UInt8]] = [Array("SET".utf8), Array(key.utf8), value]
        if let expiry {
            let ms = max(1, expiry.nanoseconds / 1_000_000)
            arguments += [Array("PX".utf8), Array(String(ms).utf8)]
        }
        _ = try await send(bytes: arguments, name: "SET")
    }

    public func mget(_ keys: [String]) async throws -> [[UInt8]?] {
        guard case let .array(items?) = try await send(["MGET"] + keys) else { return keys.map { _ in nil } }
        return items.map { if case let .bulkString(b) = $0 { b } else { nil } }
    }

    @discardableResult public func del(_ keys: [String]) async throws -> Int { try await integer(["DEL"] + keys) }
    @discardableResult public func unlink(_ keys: [String]) async throws -> Int { try await integer(["UNLINK"] + keys) }
    @discardableResult public func expire(_ key: String, seconds: Int) async throws -> Bool { try await integer(["EXPIRE", key, String(seconds)]) == 1 }
    public func incr(_ key: String) async throws -> Int { try await integer(["INCR", key]) }
    @discardableResult public func publish(_ channelName: String, _ message: String) async throws -> Int {
        try await integer(["PUBLISH", channelName, message])
    }

    private func integer(_ arguments: [String]) async throws -> Int {
        guard case let .integer(n) = try await send(arguments) else { throw RESPError.malformed("expected an integer reply to \(arguments[0])") }
        return n
    }
}

/// Commands on their way to the handler, with the promises their replies complete: one or a
/// pipelined batch, encoded into one buffer and written at once.
struct RedisBatch {
    let commands: [[[UInt8]]]
    let replies: [EventLoopPromise<RESPValue>]
}

/// Decodes replies as they arrive.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try RESPValue.read(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(value))
        return .continue
    }
}

/// Writes commands and hands each reply to the oldest waiting command.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisBatch
    typealias OutboundOut = ByteBuffer

    private var waiting = CircularBuffer<EventLoopPromise<RESPValue>>()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let batch = unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 64 * batch.commands.count)
        for command in batch.commands { RESPValue.writeCommand(command, into: &buffer) }
        waiting.append(contentsOf: batch.replies)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        guard let promise = waiting.popFirst() else { return }  // a reply nobody waits for: dropped
        promise.succeed(value)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RESPError.closed)
        context.fireChannelInactive()
    }

    private func failAll(_ error: any Error) {
        while let promise = waiting.popFirst() { promise.fail(error) }
    }
}
