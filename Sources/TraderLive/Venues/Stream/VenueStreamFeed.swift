import Foundation
public import Logging
import NIOCore
import NIOPosix
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

/// What one venue's market-data WebSocket says and wants, for `VenueStreamFeed`: the frames to
/// send, and the bars in what the venue sends. One value per connection (`connected()` makes
/// it), so its state (authenticated, subscribed, the last sequence number) starts afresh with
/// each connection, while what outlives connections (a bar being built from trades) is the
/// feed's and passed in.
protocol VenueStreamDialect: Sendable {
    /// Kept across connections (a `BarBuilder`, the last trade id).
    associatedtype Carry: Sendable
    var venue: String { get }
    var symbol: String { get }
    var timeframe: Timeframe { get }
    func initialCarry() -> Carry
    /// The frames to send as soon as the connection opens.
    mutating func connected() -> [String]
    /// Reads one frame: what to send back, the bars it completed, whether the subscription is
    /// confirmed. Throws `VenueStreamRefusal` when the venue refuses for good.
    mutating func read(_ frame: Data, carry: inout Carry) throws -> StreamReading
}

/// What a frame of a venue stream said.
struct StreamReading {
    var replies: [String] = []
    var bars: [Bar] = []
    var subscribed = false
    /// The venue's time in a heartbeat, when the frame was one.
    var heartbeat: Timestamp?
    /// Messages the venue numbered and did not deliver (a jump in its sequence).
    var lostMessages = 0
}

/// The venue refused the stream (credentials, limits): retrying cannot help.
struct VenueStreamRefusal: Error, CustomStringConvertible {
    var venue: String
    var code: Int
    var message: String
    var description: String { "\(venue) refused the stream: \(message)" + (code == 0 ? "" : " (\(code))") }
}

/// A venue's real-time bars of one symbol as a `MarketFeed`, over its market-data WebSocket,
/// the venue's wire format given by its dialect (`AlpacaStreamFeed`, `CoinbaseStreamFeed`).
///
/// A task of its own holds the connection: it sends the dialect's opening frames, answers what
/// the venue sends, and decodes every frame. When the connection drops it reconnects with capped
/// backoff and subscribes again. Bars reach the session in time order, each once: a bar not
/// after the last one delivered (a duplicate after a reconnection, a late one) is dropped and
/// counted. A bar more than one period after the last means bars were missed (a dropped
/// connection, a venue that skipped them): with a `backfill` client the feed asks the venue's
/// historical-bars endpoint for the periods between and delivers what it has first, in order;
/// without one, or when the backfill fails, it delivers a `gap` event for those periods. A
/// refusal ends the feed with that error.
public struct VenueStreamFeed: MarketFeed {
    public let symbol: String
    public let timeframe: Timeframe
    let connection: Connection

    init<D: VenueStreamDialect>(url: String, dialect: D, reconnect: ReconnectPolicy, backfill: (any HistoricalBarsClient)?,
                                eventLoop: BotEventLoop?, logger: Logger) {
        symbol = dialect.symbol
        timeframe = dialect.timeframe
        connection = Connection(url: url, dialect: dialect, reconnect: reconnect, backfill: backfill, eventLoop: eventLoop, logger: logger)
    }

    public mutating func next() async throws -> FeedEvent? {
        try await connection.next()
    }

    /// Ends the feed: the waiting `next()` returns nil; the connection's task stops.
    public func interrupt() { connection.interrupt() }

    /// Connections made so far, bars dropped as duplicates or late, messages the venue's
    /// sequence numbers say were lost, bars recovered over REST: for operators and tests.
    public var statistics: (connections: Int, dropped: Int, lost: Int, backfilled: Int) { connection.statistics }

    /// The connection's task and the events it produced; the feed's one consumer reads them.
    final class Connection: @unchecked Sendable {
        // Only the feed's consumer touches `iterator` (a session reads its feed from one task).
        private var iterator: AsyncThrowingStream<FeedEvent, any Error>.Iterator
        private let task: Task<Void, Never>
        private let counters: Counters
        private let continuation: AsyncThrowingStream<FeedEvent, any Error>.Continuation

        final class Counters: Sendable {
            let connections = Atomic<Int>(0)
            let dropped = Atomic<Int>(0)
            let lost = Atomic<Int>(0)
            let backfilled = Atomic<Int>(0)
        }

        init<D: VenueStreamDialect>(url: String, dialect: D, reconnect: ReconnectPolicy, backfill: (any HistoricalBarsClient)?,
                                    eventLoop: BotEventLoop?, logger: Logger) {
            let (stream, continuation) = AsyncThrowingStream.makeStream(of: FeedEvent.self, bufferingPolicy: .bufferingNewest(65_536))
            iterator = stream.makeAsyncIterator()
            self.continuation = continuation
            let counters = Counters()
            self.counters = counters
            // On the bot's event loop when it has one: the socket is read on the thread the session runs on.
            task = Task(executorPreference: eventLoop) {
                await Self.run(url: url, dialect: dialect, reconnect: reconnect, backfill: backfill, eventLoop: eventLoop, logger: logger,
                               counters: counters, continuation: continuation)
                try? await backfill?.shutdown()
            }
        }

        deinit { task.cancel() }

        func interrupt() {
            continuation.finish()
            task.cancel()
        }

        var statistics: (connections: Int, dropped: Int, lost: Int, backfilled: Int) {
            (counters.connections.load(ordering: .relaxed), counters.dropped.load(ordering: .relaxed), counters.lost.load(ordering: .relaxed),
             counters.backfilled.load(ordering: .relaxed))
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

        /// The feed gave up reconnecting.
        struct GaveUp: Error, CustomStringConvertible {
            var venue: String
            var attempts: Int
            var last: String
            var description: String { "\(venue) stream: \(attempts) connections failed in a row; the last: \(last)" }
        }

        /// The connection loop: connect, open with the dialect's frames, decode; reconnect on drops.
        static func run<D: VenueStreamDialect>(url: String, dialect: D, reconnect: ReconnectPolicy, backfill: (any HistoricalBarsClient)?,
                                               eventLoop: BotEventLoop?, logger: Logger, counters: Counters,
                                               continuation: AsyncThrowingStream<FeedEvent, any Error>.Continuation) async {
            let last = Atomic<Int64>(.min)
            let carry = Mutex(dialect.initialCarry())
            let step = Int64(dialect.timeframe.seconds) * Timestamp.nanosPerSecond
            var failures = 0
            while !Task.isCancelled {
                let subscribed = Atomic<Bool>(false)
                var lastError = "closed by the server"
                do {
                    counters.connections.add(1, ordering: .relaxed)
                    try await WebSocketClient.connect(url: url, eventLoopGroup: eventLoop?.loop ?? MultiThreadedEventLoopGroup.singleton,
                                                      logger: logger) { inbound, outbound, _ in
                        var session = dialect
                        for frame in session.connected() { try await outbound.write(.text(frame)) }
                        for try await message in inbound.messages(maxSize: 1 << 24) {
                            LatencyProbe.frameRead()
                            let data: Data
                            switch message {
                            case let .text(text): data = Data(text.utf8)
                            case let .binary(buffer): data = Data(buffer.readableBytesView)
                            }
                            let reading = try carry.withLock { c in try session.read(data, carry: &c) }
                            for reply in reading.replies { try await outbound.write(.text(reply)) }
                            if reading.subscribed { subscribed.store(true, ordering: .relaxed) }
                            if reading.lostMessages > 0 { counters.lost.add(reading.lostMessages, ordering: .relaxed) }
                            if let time = reading.heartbeat { continuation.yield(.heartbeat(time)) }
                            for bar in reading.bars {
                                let t = bar.timestamp.nanos, previous = last.load(ordering: .relaxed)
                                guard t > previous else {
                                    counters.dropped.add(1, ordering: .relaxed)
                                    continue
                                }
                                if previous != .min, t - previous > step {
                                    let from = Timestamp(nanos: previous + step), to = Timestamp(nanos: t - step)
                                    if let recovered = await recover(from: from, through: to, dialect: dialect, backfill: backfill, logger: logger) {
                                        for b in recovered { continuation.yield(.bar(b)) }
                                        counters.backfilled.add(recovered.count, ordering: .relaxed)
                                    } else {
                                        continuation.yield(.gap(from: from, to: to))
                                    }
                                }
                                last.store(t, ordering: .relaxed)
                                continuation.yield(.bar(bar))
                            }
                        }
                    }
                } catch let refusal as VenueStreamRefusal {
                    continuation.finish(throwing: refusal)
                    return
                } catch {
                    lastError = "\(error)"
                }
                if Task.isCancelled { break }
                if subscribed.load(ordering: .relaxed) { failures = 0 }
                failures += 1
                if let limit = reconnect.attempts, failures > limit {
                    continuation.finish(throwing: GaveUp(venue: dialect.venue, attempts: failures - 1, last: lastError))
                    return
                }
                logger.warning("\(dialect.venue) stream dropped; reconnecting", metadata: ["attempt": "\(failures)", "reason": "\(lastError)"])
                try? await Task.sleep(for: reconnect.delay(attempt: failures))
            }
            continuation.finish()
        }

        /// The bars the venue's REST endpoint has between two times, or nil when there is no
        /// backfill client or it failed (then the gap is reported).
        static func recover<D: VenueStreamDialect>(from: Timestamp, through: Timestamp, dialect: D, backfill: (any HistoricalBarsClient)?,
                                                   logger: Logger) async -> [Bar]? {
            guard let backfill else { return nil }
            do {
                return try await backfill.bars(symbol: dialect.symbol, timeframe: dialect.timeframe, from: from, through: through)
            } catch {
                logger.warning("\(dialect.venue) backfill failed; reporting a gap", metadata: ["from": "\(from)", "to": "\(through)", "reason": "\(error)"])
                return nil
            }
        }
    }
}
