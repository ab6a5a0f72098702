public import NIOCore
public import NIOPosix

/// One connection to a Redis server, speaking RESP2 over a swift-nio channel.
///
/// Commands are pipelined: `send` writes at once and waits for its own reply, so many callers can
/// have commands in flight on one connection and replies are matched to them in order (Redis
/// answers in order). Nothing blocks the event loop. A command without a reply within `timeout`
/// fails with `RESPError.timeout`; since a late reply would then be matched to the wrong caller,
/// the connection is closed and every waiting command fails (a pool replaces it).
///
/// Each call is one batch for the channel: its commands encoded by the caller into one buffer,
/// one write, one promise completed with all its replies (`RedisCommandHandler`), so a pipeline
/// of 16 costs about what one command does. `pipelineGet` is the GET fast path.
public final class RedisConnection: Sendable {
    let channel: any Channel
    let outbox: RedisOutbox
    public let timeout: TimeAmount
    /// Runs a task on this connection's event loop (`withTaskExecutorPreference`), for callers
    /// that make many round trips in a row.
    public let taskExecutor: EventLoopTaskExecutor

    init(channel: any Channel, handler: NIOLoopBound<RedisCommandHandler>, timeout: TimeAmount) {
        self.channel = channel
        self.outbox = RedisOutbox(handler: handler)
        self.timeout = timeout
        self.taskExecutor = EventLoopTaskExecutor(channel.eventLoop)
    }

    /// Connects to `url`, authenticates and selects its database.
    public static func connect(to url: RedisURL, timeout: TimeAmount = .seconds(5),
                               group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> RedisConnection {
        let channel: any Channel, handler: NIOLoopBound<RedisCommandHandler>
        do {
            let bootstrap = ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
            let initialize: @Sendable (any Channel) -> EventLoopFuture<(any Channel, NIOLoopBound<RedisCommandHandler>)> = { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = RedisCommandHandler(timeout: timeout)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    return (channel, NIOLoopBound(handler, eventLoop: channel.eventLoop))
                }
            }
            // An IP literal is connected to directly: the resolver and Happy Eyeballs machinery
            // cost a short-lived CLI process about a millisecond per connection.
            if let address = url.ipAddress {
                (channel, handler) = try await bootstrap.connect(to: address, channelInitializer: initialize)
            } else {
                (channel, handler) = try await bootstrap.connect(host: url.host, port: url.port, channelInitializer: initialize)
            }
        } catch {
            throw RESPError.server("cannot connect to \(url.host):\(url.port): \(error)")
        }
        let connection = RedisConnection(channel: channel, handler: handler, timeout: timeout)
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
        var buffer = channel.allocator.buffer(capacity: 64)
        RESPValue.writeCommand(strings: arguments, into: &buffer)
        return try await single(buffer, name: arguments.first ?? "")
    }

    public func send(bytes arguments: [[UInt8]], name: String) async throws -> RESPValue {
        var buffer = channel.allocator.buffer(capacity: 64)
        RESPValue.writeCommand(arguments, into: &buffer)
        return try await single(buffer, name: name)
    }

    private func single(_ command: ByteBuffer, name: String) async throws -> RESPValue {
        let reply = try await values(command, count: 1, name: name)[0]
        if case let .error(message) = reply { throw RESPError.server(message) }
        return reply
    }

    /// Sends `commands` in one write and returns their replies in order (error replies are
    /// returned as `.error`, not thrown): one round trip for the whole batch, as redis-benchmark's
    /// `-P`. One deadline covers the batch.
    public func pipeline(_ commands: [[String]]) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        var buffer = channel.allocator.buffer(capacity: 32 * commands.count)
        for command in commands { RESPValue.writeCommand(strings: command, into: &buffer) }
        return try await values(buffer, count: commands.count, name: commands[0].first ?? "")
    }

    /// GETs `keys` in one write (a pipeline, not MGET, so the keys may live on different cluster
    /// slots) and returns each value as a slice of the receive buffer, nil for a missing key: the
    /// fast path for reading many cache entries, with no per-reply allocation. An error reply
    /// (say, a key holding a list) throws `RESPError.server` once the batch's replies are in.
    ///
    /// The slices share storage with the bytes received with them; copy what you keep long.
    public func pipelineGet(_ keys: [String]) async throws -> [ByteBuffer?] {
        guard !keys.isEmpty else { return [] }
        var buffer = channel.allocator.buffer(capacity: keys.count * (keys[0].utf8.count + 24))
        for key in keys { RESPValue.writeGet(key, into: &buffer) }
        let promise = channel.eventLoop.makePromise(of: [ByteBuffer?].self)
        outbox.send(RedisBatch(commands: buffer, count: keys.count, replies: .bulks(promise), name: "GET"))
        return try await promise.futureResult.get()
    }

    private func values(_ commands: ByteBuffer, count: Int, name: String) async throws -> [RESPValue] {
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        outbox.send(RedisBatch(commands: commands, count: count, replies: .values(promise), name: name))
        return try await promise.futureResult.get()
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

/// Decodes replies as they arrive.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try RESPValue.read(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(value))
        return .continue
    }
}
