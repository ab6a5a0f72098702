import Foundation
import Testing
import TraderCore
@testable import TraderLive

/// A paced feed waiting between bars (daily bars replayed at real speed wait a day) ends at once
/// when interrupted, the way a stop request brought by the quiet heartbeat ends it.
@Suite struct FeedInterruptTests {
    /// Runs `feed` for one bar, then waits on its next from another task, interrupts it there, and
    /// returns what that wait gave.
    static func interruptedWait<F: MarketFeed>(_ feed: F) async throws -> (first: FeedEvent?, afterInterrupt: FeedEvent?) {
        var feed = feed
        let first = try await feed.next()
        let handle = feed
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        let waiting = Task { [feed] in
            var feed = feed
            signal.yield()
            return try await feed.next()
        }
        // The waiter has started; an interrupt before its wait begins ends it as well.
        var it = started.makeAsyncIterator()
        _ = await it.next()
        handle.interrupt()
        return (first, try await waiting.value)
    }

    @Test(.timeLimit(.minutes(1))) func aReplayAtRealSpeedEndsWhenInterruptedBetweenBars() async throws {
        let bars = try PaperParityTests.sample("GOOG")
        let (first, after) = try await Self.interruptedWait(ReplayFeed(series: bars, speed: .times(1)))
        #expect(first == .bar(bars[0]))
        #expect(after == nil)
    }

    @Test(.timeLimit(.minutes(1))) func aSyntheticFeedEndsWhenInterruptedBetweenBars() async throws {
        let feed = try SyntheticFeed(symbol: "SYN", seed: 7, interval: .seconds(3_600))
        let (first, after) = try await Self.interruptedWait(feed)
        #expect(first != nil)
        #expect(after == nil)
    }

    @Test(.timeLimit(.minutes(1))) func aCancelledWaitThrowsAndAnUninterruptedOneDelivers() async throws {
        let bars = try PaperParityTests.sample("GOOG")
        // 1e9 × real time: a day between bars is 86 µs.
        var fast = ReplayFeed(series: bars, speed: .times(1e9))
        for i in 0..<3 { #expect(try await fast.next() == .bar(bars[i])) }
        let slow = ReplayFeed(series: bars, speed: .times(1))
        let waiting = Task { [slow] in
            var feed = slow
            _ = try await feed.next()
            return try await feed.next()
        }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }
}
