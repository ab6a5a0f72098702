public import NIOCore
public import NIOPosix
public import Logging
import Synchronization

/// How a `RedisClient` connects and how patient it is.
public struct RedisClientConfiguration: Sendable {
    public var url: RedisURL
    /// Connections in the pool. Each is multiplexed (many commands in flight, replies in order),
    /// so a few connections serve many concurrent callers; more only spreads the server's replies
    /// over more sockets.
    public var connections: Int
    /// A command without a reply in this time fails, and its connection is replaced. Short for a
    /// cache: a slow Redis must cost less than recomputing the value.
    public var commandTimeout: Duration
    public var connectTimeout: Duration
    public var backoff: Backoff

    public init(url: RedisURL, connections: Int = 4, commandTimeout: Duration = .milliseconds(500),
                connectTimeout: Duration = .milliseconds(500), backoff: Backoff = Backoff()) {
        self.url = url
        self.connections = max(1, connections)
        self.commandTimeout = commandTimeout
        self.connectTimeout = connectTimeout
        self.backoff = backoff
    }
}

/// Redis is down (or was, and has not been reached again yet): the client fails at once instead
/// of waiting for a timeout per command, while it reconnects in the background.
public struct RedisUnavailable: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { "redis unavailable: \(reason)" }
}

/// A pool of Redis connections that reconnects by itself.
///
/// Nothing is opened until the first command (lazy start-up: a run that never touches the cache
/// opens no socket). The pool grows to `connections` as commands come, picking connections round
/// robin. When a connection breaks (the server was killed, a command timed out) it is dropped; when
/// none is left, the client is *down*: commands fail at once with `RedisUnavailable`, and one
/// background task reconnects with capped exponential backoff. Going down and coming back are
/// logged once each. Server error replies (a wrong type, say) are the caller's, not the pool's.
public final class RedisClient: Sendable {
    public let configuration: RedisClientConfiguration
    let group: any EventLoopGroup
    let logger: Logger
    let state = Mutex(State())

    struct State: ~Copyable {
        var connections: [RedisConnection] = []
        var next = 0
        var growing = false
        var down: String?
        var reconnecting: Task<Void, Never>?
        var closed = false
        var statistics = RedisClientStatistics()
    }

    public init(_ configuration: RedisClientConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "gpt-trader.cache.redis")) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
    }

    public var statistics: RedisClientStatistics {
        state.withLock { s in
            var out = s.statistics
            out.open = s.connections.count
            out.isDown = s.down != nil
            return out
        }
    }

    /// Runs `body` on a pooled connection. A broken connection is dropped from the pool (and the
    /// error rethrown); `RedisUnavailable` is thrown at once while the server is unreachable.
    public func withConnection<T: Sendable>(_ body: (RedisConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        do {
            return try await body(connection)
        } catch let error as RESPError {
            if case .server = error { throw error }
            drop(connection, because: error)
            throw error
        }
    }

    /// Closes every connection and stops reconnecting; later commands fail.
    public func close() async {
        let (connections, task) = state.withLock { s in
            s.closed = true
            defer { s.connections = []; s.reconnecting = nil }
            return (s.connections, s.reconnecting)
        }
        task?.cancel()
        for c in connections { try? await c.close() }
    }

    // MARK: Pool

    private enum Pick { case use(RedisConnection, grow: Bool), connect, unavailable(String) }

    func acquire() async throws -> RedisConnection {
        let pick: Pick = state.withLock { s in
            if s.closed { return .unavailable("the client is closed") }
            s.connections.removeAll { !$0.isActive }
            if let reason = s.down { return .unavailable(reason) }
            if s.connections.isEmpty {
                if s.growing { return .unavailable("connecting") }
                s.growing = true
                return .connect
            }
            s.next &+= 1
            let c = s.connections[s.next % s.connections.count]
            let grow = s.connections.count < configuration.connections && !s.growing
            if grow { s.growing = true }
            return .use(c, grow: grow)
        }
        switch pick {
        case let .use(connection, grow):
            if grow { Task { _ = try? await self.open() } }
            return connection
        case .connect:
            return try await open()
        case let .unavailable(reason):
            if reason == "connecting" { return try await waitForFirstConnection() }
            throw RedisUnavailable(reason: reason)
        }
    }

    /// While the first connection is being opened, other callers wait for it (briefly).
    private func waitForFirstConnection() async throws -> RedisConnection {
        enum Wait { case ready(RedisConnection), failed(String), pending }
        for _ in 0..<200 {
            try await Task.sleep(for: .milliseconds(5))
            let wait: Wait = state.withLock { s in
                if s.closed { return .failed("the client is closed") }
                if let reason = s.down { return .failed(reason) }
                if let c = s.connections.first(where: \.isActive) { return .ready(c) }
                return .pending
            }
            switch wait {
            case let .ready(c): return c
            case let .failed(reason): throw RedisUnavailable(reason: reason)
            case .pending: continue
            }
        }
        throw RedisUnavailable(reason: "no connection within 1 s")
    }

    /// Opens one connection and adds it to the pool; on failure the client goes down.
    @discardableResult
    private func open() async throws -> RedisConnection {
        do {
            let c = try await connect()
            let keep = state.withLock { s in
                s.growing = false
                guard !s.closed else { return false }
                s.connections.append(c)
                s.statistics.opened += 1
                return true
            }
            if !keep { try? await c.close(); throw RedisUnavailable(reason: "the client is closed") }
            return c
        } catch {
            state.withLock { $0.growing = false }
            goDown(because: error)
            throw RedisUnavailable(reason: "\(error)")
        }
    }

    private func connect() async throws -> RedisConnection {
        try await RedisConnection.connect(
            to: configuration.url, timeout: .nanoseconds(configuration.commandTimeout.nanoseconds), group: group)
    }

    func drop(_ connection: RedisConnection, because error: any Error) {
        let empty = state.withLock { s in
            s.connections.removeAll { $0 === connection || !$0.isActive }
            s.statistics.failures += 1
            return s.connections.isEmpty
        }
        Task { try? await connection.close() }
        if empty { goDown(because: error) }
    }

    private func goDown(because error: any Error) {
        let start: Bool = state.withLock { s in
            guard !s.closed, s.down == nil else { return false }
            s.down = "\(configuration.url.host):\(configuration.url.port): \(error)"
            s.statistics.outages += 1
            return true
        }
        guard start else { return }
        logger.warning("redis at \(configuration.url.host):\(configuration.url.port) unreachable (\(error)); using the in-process cache until it is back")
        let task = Task { await self.reconnectLoop() }
        state.withLock { s in
            if s.closed { task.cancel() } else { s.reconnecting = task }
        }
    }

    private func reconnectLoop() async {
        var attempt = 0
        while !Task.isCancelled {
            let delay = configuration.backoff.delay(attempt: attempt, jitter: Double.random(in: 0..<1))
            do { try await Task.sleep(for: delay) } catch { return }
            attempt += 1
            guard let c = try? await connect() else { continue }
            let kept = state.withLock { s in
                guard !s.closed else { return false }
                s.connections.append(c)
                s.down = nil
                s.reconnecting = nil
                s.statistics.reconnects += 1
                s.statistics.opened += 1
                return true
            }
            if !kept { try? await c.close(); return }
            logger.notice("redis at \(configuration.url.host):\(configuration.url.port) reachable again after \(attempt) attempt(s)")
            return
        }
    }
}

/// What a `RedisClient` has been through since it was created.
public struct RedisClientStatistics: Sendable, Hashable {
    /// Connections open now.
    public var open = 0
    /// Connections opened in all (including reconnections).
    public var opened = 0
    /// Times the server became unreachable, and times it was reached again.
    public var outages = 0, reconnects = 0
    /// Connections dropped after an error (closed, timed out).
    public var failures = 0
    public var isDown = false
}
