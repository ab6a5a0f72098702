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
            var feed = AlpacaStreamFeed(url: "ws://127.0.0.1:\(port)/v2/iex", key: server.key, secret: server.secret, symbol: "GOOG",
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

    @Test func aRefusedAuthenticationEndsTheFeedWithItsReason() async throws {
        let server = AlpacaStreamServer(symbol: "GOOG", bars: []) { _ in ([], false) }
        let error = try await server.serve { port in
            var feed = AlpacaStreamFeed(url: "ws://127.0.0.1:\(port)/v2/iex", key: "wrong", secret: "nope", symbol: "GOOG")
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
            let feed = AlpacaStreamFeed(url: "ws://127.0.0.1:\(port)/v2/iex", key: server.key, secret: server.secret, symbol: "GOOG",
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
