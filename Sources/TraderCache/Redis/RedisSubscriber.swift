public import NIOCore
public import NIOPosix
public import Logging
import Synchronization

/// A dedicated connection subscribed to Redis pub/sub channels, kept subscribed across server
/// restarts.
///
/// A subscribed connection can carry no other command (RESP2), so it is separate from the
/// `RedisClient` pool. Messages are handed to `onMessage` on an event loop thread, in order.
/// When the connection drops, it reconnects with backoff and subscribes again; messages published
/// meanwhile are lost (pub/sub does not queue), so `onResubscribe` tells the owner to treat
/// whatever those messages would have said as unknown (the tiered cache clears its L1).
public final class RedisSubscriber: Sendable {
    public typealias MessageHandler = @Sendable (_ channel: String, _ payload: [UInt8]) -> Void

    let url: RedisURL
    let channels: [String]
    let backoff: Backoff
    let group: any EventLoopGroup
    let logger: Logger
    let onMessage: MessageHandler
    let onResubscribe: @Sendable () -> Void
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var task: Task<Void, Never>?
        var channel: (any Channel)?
        var subscribed = false
        var subscriptions = 0
        var stopped = false
    }

    public init(url: RedisURL, channels: [String], backoff: Backoff = Backoff(),
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "gpt-trader.cache.pubsub"),
                onResubscribe: @escaping @Sendable () -> Void = {}, onMessage: @escaping MessageHandler) {
        self.url = url
        self.channels = channels
        self.backoff = backoff
        self.group = group
        self.logger = logger
        self.onMessage = onMessage
        self.onResubscribe = onResubscribe
    }

    /// True while the subscription is confirmed by the server.
    public var isSubscribed: Bool { state.withLock { $0.subscribed } }

    /// How many times the subscription was (re)established.
    public var subscriptions: Int { state.withLock { $0.subscriptions } }

    /// Starts connecting and subscribing in the background (idempotent).
    public func start() {
        state.withLock { s in
            guard s.task == nil, !s.stopped else { return }
            s.task = Task { await self.run() }
        }
    }

    /// Waits until subscribed, up to `timeout`; returns whether it is.
    public func waitUntilSubscribed(timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if isSubscribed { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return isSubscribed
    }

    public func stop() async {
        let (task, channel) = state.withLock { s in
            s.stopped = true
            return (s.task, s.channel)
        }
        task?.cancel()
        try? await channel?.close()
        await task?.value
    }

    private func run() async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let channel = try await subscribe()
                attempt = 0
                try? await channel.closeFuture.get()
            } catch {
                if attempt == 0 { logger.debug("pub/sub connection to \(url.host):\(url.port) failed: \(error)") }
            }
            state.withLock { $0.subscribed = false; $0.channel = nil }
            if Task.isCancelled || state.withLock({ $0.stopped }) { return }
            try? await Task.sleep(for: backoff.delay(attempt: attempt, jitter: Double.random(in: 0..<1)))
            attempt += 1
        }
    }

    private func subscribe() async throws -> any Channel {
        let confirmed: @Sendable () -> Void = { [weak self] in self?.confirmed() }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(1))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [onMessage, logger] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        PubSubHandler(onMessage: onMessage, onSubscribed: confirmed, logger: logger))
                }
            }
        let connecting = url.ipAddress.map { bootstrap.connect(to: $0) } ?? bootstrap.connect(host: url.host, port: url.port)
        let channel = try await connecting.get()
        let stopped = state.withLock { s in
            if !s.stopped { s.channel = channel }
            return s.stopped
        }
        if stopped { try? await channel.close(); throw CancellationError() }
        var buffer = channel.allocator.buffer(capacity: 128)
        if let password = url.password {
            RESPValue.writeCommand((url.user.map { ["AUTH", $0, password] } ?? ["AUTH", password]).map { Array($0.utf8) }, into: &buffer)
        }
        RESPValue.writeCommand((["SUBSCRIBE"] + channels).map { Array($0.utf8) }, into: &buffer)
        try await channel.writeAndFlush(buffer)
        return channel
    }

    private func confirmed() {
        let again = state.withLock { s in
            defer { s.subscribed = true; s.subscriptions += 1 }
            return s.subscriptions > 0 && !s.subscribed
        }
        if again { onResubscribe() }
    }
}

/// Reads a subscribed connection: `message` pushes go to the handler, subscription confirmations
/// mark it subscribed, an error reply (a refused AUTH) closes the connection so it is retried.
final class PubSubHandler: ChannelInboundHandler {
    typealias InboundIn = RESPValue

    let onMessage: RedisSubscriber.MessageHandler
    let onSubscribed: @Sendable () -> Void
    let logger: Logger
    private var pendingConfirmations = 0

    init(onMessage: @escaping RedisSubscriber.MessageHandler, onSubscribed: @escaping @Sendable () -> Void, logger: Logger) {
        self.onMessage = onMessage
        self.onSubscribed = onSubscribed
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .array(items?) where items.count == 3:
            guard let kind = items[0].string, let channel = items[1].string else { return }
            if kind == "message", case let .bulkString(payload?) = items[2] {
                onMessage(channel, payload)
            } else if kind == "subscribe" {
                onSubscribed()
            }
        case let .error(message):
            logger.warning("redis pub/sub refused: \(message)")
            context.close(promise: nil)
        default:
            break  // +OK to AUTH
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
