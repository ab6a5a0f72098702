import Foundation
import Testing
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies
@testable import TraderLive

/// The runtime guards: what trips them, and what a session does then.
@Suite struct GuardTests {
    static func order(_ id: Int) throws -> Order {
        var o = try Order(side: .buy, quantity: .units(1))
        o.id = id
        return o
    }

    @Test func aBurstOfRefusalsTripsWithinItsWindowOnly() throws {
        var watch = GuardWatch(settings: GuardSettings(rejectionBurst: (count: 2, bars: 5)))
        // Three refusals ten bars apart never make a burst.
        for bar in [1, 11, 21] { #expect(watch.observe([.orderRejected(id: bar, reason: "no cash")], bar: bar) == nil) }
        // Three within five bars do; refusals by a halt are not counted.
        #expect(watch.observe([.orderRejected(id: 30, reason: "entries halted: x")], bar: 30) == nil)
        #expect(watch.observe([.orderRejected(id: 31, reason: "no cash")], bar: 31) == nil)
        #expect(watch.observe([.riskRefused(id: 32, RiskRefusal(.maxOpenPositions, 10, 10))], bar: 33) == nil)
        let breach = watch.observe([.orderRejected(id: 33, reason: "no cash")], bar: 35)
        #expect(breach?.guardName == "rejection-burst")
    }

    @Test func anOrderWorkingTooLongIsStuck() throws {
        var watch = GuardWatch(settings: GuardSettings(stuckOrderBars: 3))
        #expect(watch.observe([.orderSubmitted(try Self.order(7)), .orderSubmitted(try Self.order(8))], bar: 10) == nil)
        #expect(watch.observe([.filled(Fill(orderId: 7, barIndex: 11, timestamp: Timestamp(nanos: 0), side: .buy, quantity: 1, price: 1, commission: 0))], bar: 11) == nil)
        #expect(watch.observe([], bar: 12) == nil)
        let breach = watch.observe([], bar: 13)
        #expect(breach == GuardBreach(guardName: "stuck-order", reason: "order 8 still working 3 bars after it was sent"))
        #expect(watch.observe([], bar: 14) == nil, "reported once")
    }

    /// Orders refused for lack of money, bar after bar: the guard halts entries (the orders stop
    /// reaching the broker) or ends the session, as configured.
    @Test(arguments: [GuardAction.haltEntries, .stop])
    func aRejectionBurstHaltsTheSession(action: GuardAction) async throws {
        let bars = try PaperParityTests.sample("GOOG")
        var settings = ExecutionSettings()
        settings.initialCapital = 50  // below one share: every entry is refused
        let spec = try StrategySpec(name: "scalp")
        let free = try await PaperSession(bot: "g", strategy: spec, settings: settings).run(ReplayFeed(series: bars))
        #expect(free.breach == nil && free.result.rejectedOrders > 20)
        let guarded = try await PaperSession(bot: "g", strategy: spec, settings: settings,
                                             guards: GuardSettings(rejectionBurst: (count: 3, bars: 20), onBreach: action))
            .run(ReplayFeed(series: bars))
        #expect(guarded.breach?.guardName == "rejection-burst")
        #expect(guarded.result.rejectedOrders >= 4 && guarded.result.rejectedOrders < 10, "the broker saw no entry after the halt")
        switch action {
        case .stop:
            #expect(guarded.ending == .halted && guarded.result.timestamps.count < bars.count)
        default:
            #expect(guarded.ending == .feedEnded && guarded.result.timestamps.count == bars.count)
        }
    }

    /// A feed that goes quiet trips the stale-data guard: the warning is published while the
    /// session waits, and the halt applies at the next bar.
    @Test(.timeLimit(.minutes(1))) func aQuietFeedIsStale() async throws {
        let bars = try PaperParityTests.sample("GOOG")
        let (stream, push) = AsyncStream.makeStream(of: Bar.self)
        let bus = EventBus()
        let events = bus.subscribe()
        let session = PaperSession(bot: "quiet", strategy: try StrategySpec(name: "sma-crossover"), settings: ExecutionSettings(), bus: bus,
                                   guards: GuardSettings(staleAfter: .milliseconds(200)))
        let running = Task { try await session.run(PushedFeed(symbol: "GOOG", timeframe: bars.timeframe, bars: stream)) }
        for i in 0..<3 { push.yield(bars[i]) }
        // Wait for the warning (the session is blocked on the feed meanwhile); the test's time
        // limit bounds the wait.
        var warned = false
        for await e in events {
            if case let .system(_, s) = e, s.code == "stale-data" { warned = true; break }
        }
        push.yield(bars[3])
        push.finish()
        let outcome = try await running.value
        #expect(warned, "the bus finished without a stale-data warning")
        #expect(outcome.breach?.guardName == "stale-data")
        #expect(outcome.result.timestamps.count == 4)
    }
}

/// A feed the test pushes bars into.
struct PushedFeed: MarketFeed {
    let symbol: String
    let timeframe: Timeframe
    let bars: AsyncStream<Bar>

    mutating func next() async throws -> FeedEvent? {
        var iterator = bars.makeAsyncIterator()
        return await iterator.next().map(FeedEvent.bar)
    }
}
