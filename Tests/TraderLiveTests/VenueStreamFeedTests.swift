import Foundation
import Synchronization
import TestSupport
import Testing
import TraderCore
import TraderEngine
import TraderStrategies
@testable import TraderLive

@Suite struct AlpacaStreamFeedTests {
    /// Minute bars of the shipped GOOG sample's prices, as a live minute feed would send them.
    static func minuteBars(_ count: Int) throws -> [Bar] {
        let daily = try PaperParityTests.sample("GOOG")
        let start = Timestamp(year: 2024, month: 3, day: 4, hour: 14, minute: 30).nanos
        return (0..<count).map { i in
            var b = daily[i]
            b.timestamp = Timestamp(nanos: start + Int64(i) * 60 * Timestamp.nanosPerSecond)
            return b
        }
    }

    /// The first connection delivers 40 bars and drops; the second repeats five of them, sends
    /// one late, skips two minutes and goes on. The feed reconnects (authenticating and
    /// subscribing again), drops the repeats and the late one, and reports the gap.
    @Test func reconnectsAndDeliversEachBarOnceInOrder() async throws {
        let bars = try Self.minuteBars(120)
        let server = AlpacaStreamServer(symbol: "GOOG", bars: bars) { n in
            n == 0 ? (Array(0..<40), true) : (Array(35..<60) + [10] + Array(62..<120), false)
        }
        let (events, statistics) = try await server.serve { port in
            var feed = VenueStreamFeed.alpaca(url: "ws://127.0.0.1:\(port)/v2/iex", key: server.key, secret: server.secret, symbol: "GOOG",
                                        reconnect: ReconnectPolicy(initial: .milliseconds(20), maximum: .milliseconds(200)))
            var events: [FeedEvent] = []
            while events.filter({ if case .bar = $0 { true } else { false } }).count < 118, let e = try await feed.next() { events.append(e) }
            return (events, feed.statistics)
        }
        let delivered = events.compactMap { if case let .bar(b) = $0 { b } else { nil } }
        #expect(delivered == Array(bars[0..<60]) + Array(bars[62..<120]))
        #expect(events.contains(.gap(from: bars[60].timestamp, to: bars[61].timestamp)))
        #expect(statistics.connections == 2)
        #expect(statistics.dropped == 6, "five repeats and one late bar")
        #expect(server.authentications.withLock { $0 } == ["test-key", "test-key"])
    }

    /// The stream skips minutes 60 and 61 and, later, 90 to 94; the feed asks the venue's
    /// historical-bars endpoint for them and delivers every minute in order, no gap reported.
    /// When that endpoint fails too, the gap is reported.
    @Test(.timeLimit(.minutes(2))) func missedMinutesAreBackfilledOverREST() async throws {
        let bars = try Self.minuteBars(120)
        let stream = AlpacaStreamServer(symbol: "GOOG", bars: bars) { _ in (Array(0..<60) + Array(62..<90) + Array(95..<120), false) }
        let history = HistoricalBarsServer(bars: ["GOOG": bars])
        let (events, statistics) = try await history.serve { historyPort in
            try await stream.serve { port in
                let backfill = AlpacaHistoricalBars(baseURL: "http://127.0.0.1:\(historyPort)", key: history.key, secret: history.secret, rate: nil,
                                                    retry: RetryPolicy(attempts: 2, initial: .milliseconds(10)))
                var feed = VenueStreamFeed.alpaca(url: "ws://127.0.0.1:\(port)/v2/iex", key: stream.key, secret: stream.secret, symbol: "GOOG",
                                                  backfill: backfill)
                var events: [FeedEvent] = []
                while events.filter({ if case .bar = $0 { true } else { false } }).count < 120, let e = try await feed.next() { events.append(e) }
                return (events, feed.statistics)
            }
        }
        #expect(events.compactMap { if case let .bar(b) = $0 { b } else { nil } } == bars)
        #expect(!events.contains { if case .gap = $0 { true } else { false } })
        #expect(statistics.backfilled == 7)
        #expect(history.log.map { $0.query["start"] } == [bars[60].timestamp.iso8601() + "Z", bars[90].timestamp.iso8601() + "Z"])

        // The history endpoint answering 500 to every try: the gap is reported instead.
        let broken = HistoricalBarsServer(bars: ["GOOG": bars])
        for _ in 0..<4 { broken.inject(.status(500), path: "/v2/stocks/GOOG/bars") }
        let reported = try await broken.serve { historyPort in
            try await stream.serve { port in
                let backfill = AlpacaHistoricalBars(baseURL: "http://127.0.0.1:\(historyPort)", key: broken.key, secret: broken.secret, rate: nil,
                                                    retry: RetryPolicy(attempts: 2, initial: .milliseconds(10)))
                var feed = VenueStreamFeed.alpaca(url: "ws://127.0.0.1:\(port)/v2/iex", key: stream.key, secret: stream.secret, symbol: "GOOG",
                                                  backfill: backfill)
                var events: [FeedEvent] = []
                // Both backfills fail: 113 bars, two gaps.
                while events.filter({ if case .bar = $0 { true } else { false } }).count < 113, let e = try await feed.next() { events.append(e) }
                return events
            }
        }
        #expect(reported.contains(.gap(from: bars[60].timestamp, to: bars[61].timestamp)))
        #expect(reported.contains(.gap(from: bars[90].timestamp, to: bars[94].timestamp)))
    }

    @Test func aRefusedAuthenticationEndsTheFeedWithItsReason() async throws {
        let server = AlpacaStreamServer(symbol: "GOOG", bars: []) { _ in ([], false) }
        let error = try await server.serve { port in
            var feed = VenueStreamFeed.alpaca(url: "ws://127.0.0.1:\(port)/v2/iex", key: "wrong", secret: "nope", symbol: "GOOG")
            do {
                _ = try await feed.next()
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(error == "alpaca refused the stream: auth failed (402)")
        #expect(server.connections.load(ordering: .relaxed) == 1, "no retry after a refusal")
    }

    /// A paper session on the live feed trades exactly as the backtest of the bars it received.
    @Test func aPaperSessionOnTheStreamIsTheBacktestOfItsBars() async throws {
        let bars = try Self.minuteBars(300)
        let server = AlpacaStreamServer(symbol: "GOOG", bars: bars) { n in
            n == 0 ? (Array(0..<150), true) : (Array(140..<300), false)
        }
        let series = try BarSeries(symbol: "GOOG", timestamps: bars.map(\.timestamp.nanos), open: bars.map(\.open), high: bars.map(\.high),
                                   low: bars.map(\.low), close: bars.map(\.close), volume: bars.map(\.volume))
        let spec = try StrategySpec(name: "sma-crossover", overrides: ["fast": 5, "slow": 12])
        let backtest = try Backtester.run(spec, on: series, settings: ExecutionSettings())
        let outcome = try await server.serve { port in
            let bus = EventBus()
            let updates = bus.subscribe()
            let feed = VenueStreamFeed.alpaca(url: "ws://127.0.0.1:\(port)/v2/iex", key: server.key, secret: server.secret, symbol: "GOOG",
                                        reconnect: ReconnectPolicy(initial: .milliseconds(20), maximum: .milliseconds(200)))
            let session = Task { try await PaperSession(bot: "alpaca", strategy: spec, settings: ExecutionSettings(), bus: bus).run(feed) }
            // The live feed never ends: stop the session once the last bar is traded.
            for await event in updates {
                if case let .portfolio(_, update) = event, update.time == bars.last!.timestamp { break }
            }
            session.cancel()
            return try await session.value
        }
        #expect(outcome.ending == .stopped)
        #expect(outcome.result.trades == backtest.trades)
        #expect(outcome.result.equity == backtest.equity)
        #expect(outcome.result.trades.count > 5)
    }
}

/// Coinbase's trades built into bars, through drops, repeated trades and lost messages, against
/// a local server speaking its market-data WebSocket (`CoinbaseStreamServer`).
@Suite struct CoinbaseStreamFeedTests {
    static let start = Timestamp(year: 2024, month: 3, day: 4, hour: 14, minute: 0).nanos

    /// Three trades in each of 30 minutes, prices from the GOOG sample's closes.
    static func trades() throws -> [CoinbaseStreamServer.Trade] {
        let closes = try PaperParityTests.sample("GOOG").close
        return (0..<90).map { i in
            CoinbaseStreamServer.Trade(id: 1_000 + i, price: closes[i], size: Double(1 + i % 4),
                                       time: Timestamp(nanos: start + Int64(i / 3) * 60_000_000_000 + Int64(i % 3 + 1) * 10_000_000_000))
        }
    }

    /// The bar of minute `m`: by definition, from its three trades (open the first, close the
    /// last, high and low over the three, volume their sizes).
    static func bar(minute m: Int, _ trades: [CoinbaseStreamServer.Trade]) -> Bar {
        let t = trades[(3 * m)..<(3 * m + 3)]
        return Bar(timestamp: Timestamp(nanos: start + Int64(m) * 60_000_000_000), open: t.first!.price, high: t.map(\.price).max()!,
                   low: t.map(\.price).min()!, close: t.last!.price, volume: t.reduce(0) { $0 + $1.size })
    }

    /// Connection 0 sends minutes 0 to 14 trade by trade (losing one message on the way) and
    /// drops; connection 1 starts with a snapshot repeating the last five trades (newest first,
    /// as the venue lists them), skips minute 20, goes on to minute 29 and sends a heartbeat
    /// after it, which closes minute 29's bar.
    @Test func buildsEachMinuteOnceThroughDropsAndRepeats() async throws {
        let trades = try Self.trades()
        let server = CoinbaseStreamServer(product: "BTC-USD") { n in
            if n == 0 {
                var script = trades[0..<45].map { CoinbaseStreamServer.Message.trades([$0]) }
                script.insert(.skip(1), at: 20)
                return (script, true)
            }
            let again = Array(trades[40..<45].reversed())
            let rest = trades[45..<90].filter { ($0.id - 1_000) / 3 != 20 }.map { CoinbaseStreamServer.Message.trades([$0]) }
            return ([.trades(again, snapshot: true)] + rest + [.heartbeat(Timestamp(nanos: Self.start + 30 * 60_000_000_000 + 5_000_000_000))], false)
        }
        let (events, statistics) = try await server.serve { port in
            var feed = VenueStreamFeed.coinbase(url: "ws://127.0.0.1:\(port)", product: "BTC-USD",
                                                reconnect: ReconnectPolicy(initial: .milliseconds(20), maximum: .milliseconds(200)))
            var events: [FeedEvent] = []
            while events.filter({ if case .bar = $0 { true } else { false } }).count < 29, let e = try await feed.next() { events.append(e) }
            return (events, feed.statistics)
        }
        let delivered = events.compactMap { if case let .bar(b) = $0 { b } else { nil } }
        let expected = (0..<30).filter { $0 != 20 }.map { Self.bar(minute: $0, trades) }
        #expect(delivered == expected)
        let minute20 = Timestamp(nanos: Self.start + 20 * 60_000_000_000)
        #expect(events.contains(.gap(from: minute20, to: minute20)))
        #expect(statistics.connections == 2)
        #expect(statistics.lost == 1)
        #expect(server.subscriptions.withLock { $0 }.sorted() == ["heartbeats", "heartbeats", "market_trades", "market_trades"])
    }

    @Test func aRefusalEndsTheFeed() async throws {
        let server = CoinbaseStreamServer(product: "BTC-USD") { _ in ([.error("rate limit exceeded")], false) }
        let error = try await server.serve { port in
            var feed = VenueStreamFeed.coinbase(url: "ws://127.0.0.1:\(port)", product: "BTC-USD")
            do {
                _ = try await feed.next()
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(error == "coinbase refused the stream: rate limit exceeded")
        #expect(server.connections.load(ordering: .relaxed) == 1)
    }
}
