import Testing
import TraderCore
import TraderEngine
import TraderStrategies
@testable import TraderAnalysis

/// A strategy that places its own orders: a buy limit 2 % below its second bar's close, and a
/// protective sell stop 3 % of that close below the limit once it holds. No signals.
struct LimitThenStopStrategy: Strategy {
    var limit = Double.nan
    var stop = Double.nan
    var stopPlaced = false
    var warmupBars: Int { 1 }
    mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        if context.barIndex == 1 {
            limit = bar.close - bar.close / 50
            stop = limit - 3 * bar.close / 100
            _ = context.submit(try! Order(side: .buy, quantity: .units(10), type: .limit(price: limit)))
        }
        if context.position > 0 && !stopPlaced {
            _ = context.submit(try! Order(side: .sell, quantity: .units(10), type: .stop(price: stop), reduceOnly: true))
            stopPlaced = true
        }
        return .hold
    }
}

@Suite struct PortfolioStrategyOrderTests {
    typealias F = PortfolioFixtures

    /// A strategy's own orders go through its kernel's broker in the portfolio as in a backtest:
    /// A's limit at 98 fills when a bar opens at 97, its stop at 95 when a bar trades down to it;
    /// B's limit at 49 never fills. Entries still pass the tier's rules and share the cash.
    @Test func strategiesOwnOrdersAreHonoured() throws {
        let bars = [
            try F.series("A", [(1, 100, 100, 100, 100), (2, 100, 101, 99, 100), (3, 97, 99, 96, 98), (4, 98, 99, 97, 98), (5, 97, 97, 94, 95)]),
            try F.series("B", [(1, 50, 50, 50, 50), (2, 50, 51, 49.5, 50), (3, 50, 50.5, 49.5, 50), (4, 50, 50.5, 49.5, 50), (5, 50, 50, 49.5, 49.5)]),
        ]
        let timeline = try PortfolioTimeline(bars)
        let profile = try F.profile(strategies: ["scalp"], maxPositions: 2, positionPct: 50, exposurePct: 100)
        let settings = try PortfolioSettings(initialCapital: 10_000)
        var simulation = try PortfolioSimulation(prototype: LimitThenStopStrategy(), strategy: StrategySpec(name: "scalp"),
                                                 timeline: timeline, profile: profile, settings: settings)
        let r = simulation.run()
        let a = r.fills.filter { $0.symbol == "A" }
        #expect(a.map(\.side) == [.buy, .sell])
        #expect(a.map(\.price) == [97, 95] && a.map(\.barIndex) == [2, 4])
        #expect(a.last?.reason == .stopLoss)
        #expect(r.fills.filter { $0.symbol == "B" }.isEmpty)
        #expect(r.trades.count == 1 && r.trades[0].trade.pnl == 10 * (95 - 97))
        let last = try #require(r.equity.last)
        #expect(last == 9_980, "\(last.bitPattern) \(r.equity)")

        // The tier's rules apply to them too: a tier that does not allow the strategy refuses
        // A's limit when it would fill.
        let closed = try F.profile(strategies: ["momentum"], maxPositions: 2, positionPct: 50, exposurePct: 100)
        var refused = try PortfolioSimulation(prototype: LimitThenStopStrategy(), strategy: StrategySpec(name: "scalp"),
                                              timeline: timeline, profile: closed, settings: settings)
        let q = refused.run()
        #expect(q.fills.isEmpty)
        #expect(q.skippedEntries.map(\.reason) == [.strategyNotAllowed] && q.skippedEntries.map(\.symbol) == ["A"])
    }
}
