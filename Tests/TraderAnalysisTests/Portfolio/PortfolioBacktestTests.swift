import Foundation
import Testing
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies
@testable import TraderAnalysis

@Suite struct PortfolioBacktestTests {
    typealias F = PortfolioFixtures

    /// Two symbols over six January days; B starts a day late and has no bar on the 4th.
    /// Scalp (1 bp) buys on any rise and sells on any fall of the close.
    func twoSymbols() throws -> [BarSeries] {
        [
            try F.series("A", [(1, 100, 100, 100, 100), (2, 100, 102, 100, 102), (3, 104, 106, 104, 105),
                               (4, 105, 105, 100, 101), (5, 100, 100, 99, 99), (8, 99, 99, 99, 99)]),
            try F.series("B", [(2, 50, 50, 50, 50), (3, 50, 51, 50, 51), (5, 52, 53, 52, 53), (8, 54, 55, 54, 55)]),
        ]
    }

    @Test func handComputedTwoSymbols() throws {
        let profile = try F.profile(strategies: ["scalp"], maxPositions: 2, positionPct: 50, exposurePct: 100)
        let settings = try PortfolioSettings(initialCapital: 10_000, commission: CommissionModel(rate: 0.001))
        let r = try PortfolioBacktester.run(try twoSymbols(), strategy: StrategySpec(name: "scalp", overrides: ["bps": 1]),
                                            profile: profile, settings: settings)
        // Jan 2: A rises 100 → 102: buy, filled at the open of Jan 3 (104): 50 % of 10,000 buys
        //   floor(5,000 / 104) = 48 units for 4,992 + 4.992 commission; cash 5,003.008.
        // Jan 3: A closes 105 (equity 5,003.008 + 5,040); B rises 50 → 51: buy, but B has no bar
        //   on Jan 4, so it waits for Jan 5.
        // Jan 4: A falls 105 → 101: sell. Equity 5,003.008 + 4,848 = 9,851.008 (still medium:
        //   not below 9,500).
        // Jan 5 open: exit first — 48 × 100 less 4.8 → cash 9,798.208; then B at 52 with 50 % of
        //   9,798.208: floor(4,899.104 / 52) = 94 units for 4,888 + 4.888 → cash 4,905.32.
        //   Closes A 99, B 53: 4,905.32 + 4,982.
        // Jan 8: B closes 55: 4,905.32 + 5,170 = 10,075.32.
        let expected = [10_000, 10_000, 10_043.008, 9_851.008, 9_887.32, 10_075.32]
        #expect(r.equity.count == 6)
        for (e, x) in zip(r.equity, expected) { #expect(abs(e - x) < 1e-9, "\(r.equity)") }
        let cash = [10_000, 10_000, 5_003.008, 5_003.008, 4_905.32, 4_905.32]
        for (c, x) in zip(r.cash, cash) { #expect(abs(c - x) < 1e-9, "\(r.cash)") }
        #expect(r.openPositions == [0, 0, 1, 1, 1, 1])
        #expect(r.tierChanges.isEmpty && r.startTier == .medium)

        #expect(r.trades.count == 1)
        let a = try #require(r.trades.first)
        #expect(a.symbol == "A" && a.trade.size == 48 && a.trade.entryPrice == 104 && a.trade.exitPrice == 100)
        #expect(a.trade.entryBar == 2 && a.trade.exitBar == 4)
        #expect(abs(a.trade.pnl - (48 * -4 - 9.792)) < 1e-9)
        let b = try #require(r.openTrades.first)
        #expect(b.symbol == "B" && b.trade.size == 94 && b.trade.entryPrice == 52 && b.trade.exitPrice == 55)

        let contributions = Dictionary(uniqueKeysWithValues: r.contributions.map { ($0.symbol, $0) })
        #expect(abs(contributions["A"]!.pnl - -201.792) < 1e-9)
        #expect(abs(contributions["B"]!.pnl - (94 * 3 - 4.888)) < 1e-9)
        #expect(abs(contributions["B"]!.commissions - 4.888) < 1e-12)
        #expect(abs(r.metrics.equityFinal - 10_075.32) < 1e-9)
        #expect(r.metrics.tradeCount == 1)

        // Exits fill before entries at an open: with room for a single position the result is
        // the same, since A's exit frees the slot B takes on Jan 5.
        let one = try PortfolioBacktester.run(try twoSymbols(), strategy: StrategySpec(name: "scalp", overrides: ["bps": 1]),
                                              profile: F.profile(strategies: ["scalp"], maxPositions: 1, positionPct: 50, exposurePct: 100),
                                              settings: settings)
        #expect(one.equity == r.equity)
    }

    @Test func refusedEntriesAreReportedWithTheirReason() throws {
        let settings = try PortfolioSettings(initialCapital: 10_000)
        let spec = try StrategySpec(name: "scalp", overrides: ["bps": 1])
        // A rises every day, so it is held from Jan 3 to the end. B's buy signals (Jan 3 and
        // Jan 5) reach its next opens, Jan 5 and Jan 8, where the rules are applied.
        let rising = [
            try F.series("A", [(1, 100, 100, 100, 100), (2, 100, 102, 100, 102), (3, 104, 106, 104, 105), (4, 105, 107, 105, 106),
                               (5, 106, 108, 106, 107), (8, 107, 109, 107, 108)]),
            try twoSymbols()[1],
        ]
        let r = try PortfolioBacktester.run(rising, strategy: spec,
                                            profile: F.profile(strategies: ["scalp"], maxPositions: 1, positionPct: 50, exposurePct: 100),
                                            settings: settings)
        #expect(r.skippedEntries.map(\.reason) == [.maxPositions, .maxPositions])
        #expect(r.skippedEntries.map(\.symbol) == ["B", "B"] && r.skippedEntries.map(\.barIndex) == [4, 5])
        // A strategy the tier does not allow opens nothing.
        let other = try PortfolioBacktester.run(rising, strategy: spec,
                                                profile: F.profile(strategies: ["momentum"], maxPositions: 2, positionPct: 50, exposurePct: 100),
                                                settings: settings)
        #expect(other.fills.isEmpty && other.equity.allSatisfy { $0 == 10_000 })
        #expect(Set(other.skippedEntries.map(\.reason)) == [.strategyNotAllowed])
        // An exposure cap of 50 % is filled by A's position once A has risen: on Jan 5, 48 × 106
        // = 5,088 is over half of 5,008 + 5,088.
        let capped = try PortfolioBacktester.run(rising, strategy: spec,
                                                 profile: F.profile(strategies: ["scalp"], maxPositions: 2, positionPct: 50, exposurePct: 50),
                                                 settings: settings)
        #expect(capped.skippedEntries.map(\.reason) == [.exposureCap, .exposureCap])
        // One entry a week: A's on Wednesday Jan 3 uses the week, B is refused on Friday Jan 5
        // and enters on Monday Jan 8.
        let weekly = try PortfolioBacktester.run(rising, strategy: spec,
                                                 profile: F.profile(strategies: ["scalp"], maxPositions: 2, maxTradesPerWeek: 1, positionPct: 40, exposurePct: 100),
                                                 settings: settings)
        #expect(weekly.skippedEntries.map(\.reason) == [.weeklyTradeLimit])
        #expect(weekly.fills.map(\.symbol) == ["A", "B"] && weekly.fills.map(\.barIndex) == [2, 5])
    }

    @Test func stopLossFillsAtTheStopOrTheGap() throws {
        let spec = try StrategySpec(name: "scalp", overrides: ["bps": 1])
        // A bought at 104 on Jan 3 with a 3 % stop at 100.88: Jan 4's low of 100 hits it.
        let profile = try F.profile(strategies: ["scalp"], maxPositions: 2, positionPct: 50, exposurePct: 100, stopLossPct: 3)
        let r = try PortfolioBacktester.run([try twoSymbols()[0]], strategy: spec, profile: profile,
                                            settings: PortfolioSettings(initialCapital: 10_000))
        let stop = try #require(r.trades.first?.trade)
        #expect(stop.exitReason == .stopLoss && stop.exitBar == 3 && abs(stop.exitPrice - 104 * 0.97) < 1e-12)
        #expect(abs(r.equity[3] - (10_000 + 48 * (104 * 0.97 - 104))) < 1e-9)

        // Opening below the stop fills at the open.
        let gap = try F.series("A", [(1, 100, 100, 100, 100), (2, 100, 102, 100, 102), (3, 104, 106, 104, 105), (4, 95, 96, 94, 95)])
        let g = try PortfolioBacktester.run([gap], strategy: spec, profile: profile, settings: PortfolioSettings(initialCapital: 10_000))
        #expect(g.trades.first?.trade.exitPrice == 95 && g.trades.first?.trade.exitReason == .stopLoss)
    }
}
