import Foundation
public import Logging
import NIOCore
import Synchronization
public import TraderCore
import WSClient

/// How a venue feed reconnects: exponential backoff from `initial`, doubling up to `maximum`,
/// back to `initial` once a connection is subscribed again; gives up after `attempts` failed
/// connections in a row (nil: never).
public struct ReconnectPolicy: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var attempts: Int?

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10), attempts: Int? = 20) {
        self.initial = initial
        self.maximum = maximum
        self.attempts = attempts
    }

    /// The wait before attempt `n` (1-based) of a row of failures.
    func delay(attempt n: Int) -> Duration {
        var d = initial
        for _ in 1..<max(1, n) where d < maximum { d = d * 2 }
        return min(d, maximum)
    }
}

/// Alpaca's real-time minute bars of one symbol as a `MarketFeed`, over the market-data
/// WebSocket (`wss://stream.data.alpaca.markets/v2/iex`, or a local server in tests).
///
/// A task of its own holds the connection: it waits for `connected`, authenticates with the
/// key and secret, subscribes to the symbol's bars and decodes every frame. When the connection
/// drops it reconnects with capped backoff, authenticates and subscribes again. Bars reach the
/// session in time order, each once: a bar not after the last one delivered (a duplicate after a
/// reconnection, a late one) is dropped and counted; a bar more than one minute after the last
/// is preceded by a `gap` event for the minutes between (backfill over REST comes with the
/// venue's REST client). An authentication error ends the feed with that error.
public struct AlpacaStreamFeed: MarketFeed {
    public let symbol: String
    public var timeframe: Timeframe { .minute1 }
    let connection: Connection

    public init(url: String, key: String, secret: String, symbol: String, reconnect: ReconnectPolicy = ReconnectPolicy(),
                logger: Logger = Logger(label: "gpt-trader.alpaca")) {
        self.symbol = symbol
        connection = Connection(url: url, key: key, secret: secret, symbol: symbol, reconnect: reconnect, logger: logger)
    }

    public mutating func next() async throws -> FeedEvent? {
        try await connection.next()
    }

    /// Connections made so far, bars dropped as duplicates or late: for operators and tests.
    public var statistics: (connections: Int, dropped: Int) { connection.statistics }

    /// The connection's task and the events it produced; the feed's one consumer reads them.
    final class Connection: @unchecked Sendable {
        // Only the feed's consumer touches `iterator` (a session reads its feed from one task).
        private var iterator: AsyncThrowingStream<FeedEvent, any Error>.Iterator
        private let task: Task<Void, Never>
        private let counters: Counters

        final class Counters: Sendable {
            let connections = Atomic<Int>(0)
            let dropped = Atomic<Int>(0)
        }

        init(url: String, key: String, secret: String, symbol: String, reconnect: ReconnectPolicy, logger: Logger) {
            let (stream, continuation) = AsyncThrowingStream.makeStream(of: FeedEvent.self, bufferingPolicy: .bufferingNewest(65_536))
            iterator = stream.makeAsyncIterator()
            let counters = Counters()
            self.counters = counters
            task = Task {
                await Self.run(url: url, key: key, secret: secret, symbol: symbol, reconnect: reconnect, logger: logger,
                               counters: counters, continuation: continuation)
            }
        }

        deinit { task.cancel() }

        var statistics: (connections: Int, dropped: Int) {
            (counters.connections.load(ordering: .relaxed), counters.dropped.load(ordering: .relaxed))
        }

        func next() async throws -> FeedEvent? {
            let event = try await withTaskCancellationHandler {
                try await iterator.next()
            } onCancel: { [task] in
                task.cancel()
            }
            // A cancelled consumer ends the connection, and the stream with it: that is a stop,
            // not the end of the feed.
            if event == nil { try Task.checkCancellation() }
            return event
        }

        /// Why a connection ended for good.
        enum Fatal: Error, CustomStringConvertible {
            case refused(code: Int, message: String)
            case gaveUp(attempts: Int, last: String)

            var description: String {
                switch self {
                case let .refused(code, message): "alpaca refused the stream: \(message) (\(code))"
                case let .gaveUp(attempts, last): "alpaca stream: \(attempts) connections failed in a row; the last: \(last)"
                }
            }
        }

        /// The connection loop: connect, authenticate, subscribe, decode; reconnect on drops.
        static func run(url: String, key: String, secret: String, symbol: String, reconnect: ReconnectPolicy, logger: Logger,
                        counters: Counters, continuation: AsyncThrowingStream<FeedEvent, any Error>.Continuation) async {
            let last = Atomic<Int64>(.min)
            var failures = 0
            while !Task.isCancelled {
                let subscribed = Atomic<Bool>(false)
                var lastError = "closed by the server"
                do {
                    counters.connections.add(1, ordering: .relaxed)
                    try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                        for try await message in inbound.messages(maxSize: 1 << 24) {
                            let data: Data
                            switch message {
                            case let .text(text): data = Data(text.utf8)
                            case let .binary(buffer): data = Data(buffer.readableBytesView)
                            }
                            for m in try AlpacaStreamMessage.decode(data) {
                                switch m {
                                case .success("connected"):
                                    try await outbound.write(.text(String(decoding: AlpacaStreamMessage.auth(key: key, secret: secret), as: UTF8.self)))
                                case .success("authenticated"):
                                    try await outbound.write(.text(String(decoding: AlpacaStreamMessage.subscribe(bars: [symbol]), as: UTF8.self)))
                                case let .subscription(_, _, bars) where bars.contains(symbol):
                                    subscribed.store(true, ordering: .relaxed)
                                case let .error(code, text):
                                    // 401 not authenticated, 402 auth failed, 404/406 auth
                                    // timeout and connection limit: retrying cannot help.
                                    throw Fatal.refused(code: code, message: text)
                                case let .bar(s, bar) where s == symbol:
                                    let t = bar.timestamp.nanos, previous = last.load(ordering: .relaxed)
                                    guard t > previous else {
                                        counters.dropped.add(1, ordering: .relaxed)
                                        continue
                                    }
                                    let step = Int64(60) * Timestamp.nanosPerSecond
                                    if previous != .min, t - previous > step {
                                        continuation.yield(.gap(from: Timestamp(nanos: previous + step), to: Timestamp(nanos: t - step)))
                                    }
                                    last.store(t, ordering: .relaxed)
                                    continuation.yield(.bar(bar))
                                default:
                                    break
                                }
                            }
                        }
                    }
                } catch let fatal as Fatal {
                    continuation.finish(throwing: fatal)
                    return
                } catch {
                    lastError = "\(error)"
                }
                if Task.isCancelled { break }
                if subscribed.load(ordering: .relaxed) { failures = 0 }
                failures += 1
                if let limit = reconnect.attempts, failures > limit {
                    continuation.finish(throwing: Fatal.gaveUp(attempts: failures - 1, last: lastError))
                    return
                }
                logger.warning("alpaca stream dropped; reconnecting", metadata: ["attempt": "\(failures)", "reason": "\(lastError)"])
                try? await Task.sleep(for: reconnect.delay(attempt: failures))
            }
            continuation.finish()
        }
    }
}
