import Foundation
import Testing
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies
@testable import TraderAnalysis

/// Properties every portfolio run must have, checked bar by bar against an independent replay of
/// its fills over the input bars.
@Suite struct PortfolioInvariantTests {
    typealias F = PortfolioFixtures

    static let profiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/profiles")

    func shipped(_ name: String) throws -> PortfolioProfile {
        try PortfolioProfile.load(path: Self.profiles.appendingPathComponent("\(name).json").path)
    }

    func check(_ r: PortfolioBacktestResult, _ series: [BarSeries], _ label: String) {
        let n = r.barCount
        #expect(r.equity.count == n && r.cash.count == n && r.tiers.count == n, "\(label)")
        let index = Dictionary(uniqueKeysWithValues: series.enumerated().map { ($1.symbol, $0) })
        // Replay: units held and last close per symbol, from the fills and the bars alone.
        var units = [Double](repeating: 0, count: series.count)
        var last = [Double](repeating: .nan, count: series.count)
        var cursor = [Int](repeating: 0, count: series.count)
        var f = 0
        var weekEntries: [Int64: Int] = [:]
        for t in 0..<n {
            let time = r.timestamps[t]
            while f < r.fills.count && r.fills[f].barIndex == t {
                let fill = r.fills[f]
                let s = index[fill.symbol]!
                units[s] += fill.side == .buy ? fill.units : -fill.units
                #expect(units[s] >= 0, "\(label): short position in \(fill.symbol)")
                #expect(fill.cashAfter >= 0, "\(label): cash \(fill.cashAfter) after a fill at bar \(t)")
                if fill.side == .buy {
                    let rules = r.profile.rules(for: fill.tier)
                    #expect(rules.allows(strategyName(r)), "\(label): entry under a tier that does not allow the strategy")
                    #expect(fill.openPositionsAfter <= rules.maxPositions, "\(label): \(fill.openPositionsAfter) positions in \(fill.tier)")
                    let slack = 1e-9 * max(1, fill.equityBefore)
                    #expect(fill.exposureAfter <= rules.risk.maxExposureFraction * fill.equityBefore + slack,
                            "\(label): exposure \(fill.exposureAfter) over the cap of \(fill.equityBefore) at bar \(t)")
                    #expect(fill.units * fill.price <= rules.risk.maxPositionFraction * fill.equityBefore + slack,
                            "\(label): position \(fill.units * fill.price) over the cap at bar \(t)")
                    let week = (Timestamp(nanos: time).epochDay + 3) / 7
                    weekEntries[week, default: 0] += 1
                    if let limit = rules.maxTradesPerWeek { #expect(weekEntries[week]! <= limit, "\(label): too many entries in a week") }
                    if r.settings.wholeUnits { #expect(fill.units == fill.units.rounded()) }
                }
                f += 1
            }
            for (s, bars) in series.enumerated() where cursor[s] < bars.count && bars.timestamps[cursor[s]] == time {
                last[s] = bars.close[cursor[s]]
                cursor[s] += 1
            }
            var exposure = 0.0, open = 0
            for s in series.indices where units[s] > 0 { exposure += units[s] * last[s]; open += 1 }
            #expect(r.cash[t] >= 0, "\(label): cash \(r.cash[t]) at bar \(t)")
            #expect(abs(r.equity[t] - (r.cash[t] + exposure)) <= 1e-9 * r.equity[t], "\(label): equity ≠ cash + positions at bar \(t)")
            #expect(abs(r.exposure[t] - exposure) <= 1e-9 * max(1, exposure), "\(label): exposure at bar \(t)")
            #expect(r.openPositions[t] == open, "\(label): open positions at bar \(t)")
            // Positions beyond the tier's count only when carried over from a bigger tier.
            let limit = r.profile.rules(for: r.tiers[t]).maxPositions
            #expect(open <= max(limit, t > 0 ? r.openPositions[t - 1] : 0), "\(label): \(open) positions in \(r.tiers[t]) at bar \(t)")
        }
        #expect(f == r.fills.count, "\(label): fills out of order")
        // Contributions add up to the result.
        let pnl = r.contributions.reduce(0) { $0 + $1.pnl }
        #expect(abs(pnl - (r.equity[n - 1] - r.settings.initialCapital)) <= 1e-9 * r.equity[n - 1], "\(label): contributions")
        #expect(r.metrics.equityFinal == r.equity[n - 1])
        // Every tier change crossed its boundary by the buffer.
        let b = r.profile.hysteresis.buffer
        for c in r.tierChanges {
            if c.to > c.from { #expect(c.equity >= c.to.lowerBound * (1 + b), "\(label): \(c)") }
            else { #expect(c.equity < c.from.lowerBound * (1 - b), "\(label): \(c)") }
        }
    }

    func strategyName(_ r: PortfolioBacktestResult) -> String { String(r.strategy.prefix { $0 != "(" }) }

    @Test func invariantsHoldAcrossProfilesAndCapitals() throws {
        let universe = try F.syntheticUniverse()
        let costs = try CommissionModel(rate: 0.001, fixed: 1)
        var runs = 0, tierChanges = 0, entries = 0
        for name in PortfolioProfile.builtInNames {
            let profile = try shipped(name)
            for capital in [1_500.0, 9_000, 24_000, 60_000] {
                for whole in [true, false] {
                    for strategy in [nil, "breakout", "mean-reversion"] as [String?] {
                        let settings = try PortfolioSettings(initialCapital: capital, commission: costs, wholeUnits: whole)
                        let spec = try strategy.map { try StrategySpec(name: $0) } ?? PortfolioBacktester.defaultStrategy(profile: profile, capital: capital)
                        let r = try PortfolioBacktester.run(universe, strategy: spec, profile: profile, settings: settings)
                        check(r, universe, "\(name) \(capital) \(whole ? "whole" : "fractional") \(spec.name)")
                        runs += 1
                        tierChanges += r.tierChanges.count
                        entries += r.fills.filter { $0.side == .buy }.count
                    }
                }
            }
        }
        #expect(runs == 72)
        // The runs exercised what they check.
        #expect(tierChanges > 0 && entries > 500, "\(tierChanges) tier changes, \(entries) entries")
    }

    @Test func truncatingFutureBarsChangesNothingBefore() throws {
        let universe = try F.syntheticUniverse()
        let profile = try shipped("aggressive")
        let settings = try PortfolioSettings(initialCapital: 9_000, commission: CommissionModel(rate: 0.001))
        let spec = try StrategySpec(name: "breakout")
        let full = try PortfolioBacktester.run(universe, strategy: spec, profile: profile, settings: settings)
        for cut in [150, 600, 1_000] {
            let end = Timestamp(nanos: full.timestamps[cut])
            let truncated = universe.map { $0.slice(through: end) }.filter { !$0.isEmpty }
            let r = try PortfolioBacktester.run(truncated, strategy: spec, profile: profile, settings: settings)
            #expect(r.barCount == cut + 1)
            #expect(r.equity == Array(full.equity[0...cut]), "cut \(cut)")
            #expect(r.cash == Array(full.cash[0...cut]), "cut \(cut)")
            #expect(r.fills == full.fills.filter { $0.barIndex <= cut }, "cut \(cut)")
            #expect(r.tierChanges == full.tierChanges.filter { $0.time <= end }, "cut \(cut)")
        }
    }

    @Test func dailyLossLimitStopsEntriesForTheRestOfTheDay() throws {
        // Hourly bars, Tuesday Jan 2 10:00–14:00 and Wednesday Jan 3 10:00–11:00. A (bought at
        // 12:00 at 104, 48 units) falls to 96 at 13:00: equity 9,616 is 3.8 % below the day's
        // 10,000, over the 3 % limit. B's buy decided at 13:00 reaches its 14:00 open, the same
        // day: refused. B's next buy (14:00) fills at Wednesday's first open: a new day.
        func hourly(_ symbol: String, _ rows: [(Int, Int, Double, Double, Double, Double)]) throws -> BarSeries {
            try BarSeries(symbol: symbol, timeframe: .hour1,
                          timestamps: rows.map { Timestamp(year: 2024, month: 1, day: $0.0).nanos + Int64($0.1) * 3_600 * Timestamp.nanosPerSecond },
                          open: rows.map(\.2), high: rows.map(\.3), low: rows.map(\.4), close: rows.map(\.5),
                          volume: Array(repeating: 1_000, count: rows.count))
        }
        let bars = [
            try hourly("A", [(2, 10, 100, 100, 100, 100), (2, 11, 100, 102, 100, 102), (2, 12, 104, 106, 104, 105), (2, 13, 105, 105, 95, 96),
                             (2, 14, 96, 97, 95, 96), (3, 10, 96, 96, 96, 96), (3, 11, 96, 96, 96, 96)]),
            try hourly("B", [(2, 10, 50, 50, 50, 50), (2, 11, 50, 50, 50, 50), (2, 12, 50, 50, 50, 50), (2, 13, 50, 52, 50, 52),
                             (2, 14, 52, 53, 52, 53), (3, 10, 54, 55, 54, 55), (3, 11, 55, 55, 55, 55)]),
        ]
        let spec = try StrategySpec(name: "scalp", overrides: ["bps": 1])
        let limited = try PortfolioBacktester.run(bars, strategy: spec,
                                                  profile: F.profile(strategies: ["scalp"], maxPositions: 2, positionPct: 50, exposurePct: 100, dailyLossPct: 3),
                                                  settings: PortfolioSettings(initialCapital: 10_000))
        #expect(abs(limited.equity[3] - 9_616) < 1e-9)
        #expect(limited.skippedEntries.map(\.reason) == [.dailyLossLimit])
        #expect(limited.skippedEntries.map(\.barIndex) == [4])
        #expect(limited.fills.filter { $0.symbol == "B" }.map(\.barIndex) == [5])
        let free = try PortfolioBacktester.run(bars, strategy: spec,
                                               profile: F.profile(strategies: ["scalp"], maxPositions: 2, positionPct: 50, exposurePct: 100),
                                               settings: PortfolioSettings(initialCapital: 10_000))
        #expect(free.skippedEntries.isEmpty)
        #expect(free.fills.filter { $0.symbol == "B" }.map(\.barIndex) == [4])

        // On daily bars the same fall halts only the day it happened: a buy decided at that day's
        // close fills at the next day's open, a new day, as a venue would take it. (Before the
        // portfolio ran through the engine's rules it was refused at the decision.)
        let daily = [
            try F.series("A", [(1, 100, 100, 100, 100), (2, 100, 102, 100, 102), (3, 104, 106, 104, 105), (4, 105, 105, 95, 96),
                               (5, 96, 97, 95, 96), (8, 96, 96, 96, 96)]),
            try F.series("B", [(2, 50, 50, 50, 50), (3, 50, 50, 50, 50), (4, 50, 52, 50, 52), (5, 52, 53, 52, 53), (8, 54, 55, 54, 55)]),
        ]
        let nextDay = try PortfolioBacktester.run(daily, strategy: spec,
                                                  profile: F.profile(strategies: ["scalp"], maxPositions: 2, positionPct: 50, exposurePct: 100, dailyLossPct: 3),
                                                  settings: PortfolioSettings(initialCapital: 10_000))
        #expect(abs(nextDay.equity[3] - 9_616) < 1e-9)
        #expect(nextDay.skippedEntries.isEmpty)
        #expect(nextDay.fills.filter { $0.symbol == "B" }.map(\.barIndex) == [4])
    }

    @Test func patternDayTraderRuleBindsMarginAccountsOnly() throws {
        let universe = try F.syntheticUniverse(bars: 1_500, timeframe: .hour1)
        let spec = try StrategySpec(name: "scalp", overrides: ["bps": 5])
        func run(_ account: AccountType) throws -> PortfolioBacktestResult {
            try PortfolioBacktester.run(universe, strategy: spec,
                                        profile: F.profile(strategies: ["scalp"], maxPositions: 4, positionPct: 25, exposurePct: 100,
                                                           stopLossPct: 1, account: account),
                                        settings: PortfolioSettings(initialCapital: 10_000, commission: CommissionModel(rate: 0.0005)))
        }
        func worstWindow(_ r: PortfolioBacktestResult) -> Int {
            let trades = r.trades.map(\.trade)
            return trades.map { PatternDayTradeRule.dayTradeCount(trades, windowEndingAt: $0.exitTime) }.max() ?? 0
        }
        let margin = try run(.margin)
        #expect(margin.equity.max()! < PatternDayTradeRule.equityThreshold)  // the rule applies throughout
        #expect(worstWindow(margin) <= 3)
        #expect(margin.trades.contains { PatternDayTradeRule.isDayTrade($0.trade) })
        #expect(margin.skippedEntries.contains { $0.reason == .patternDayTrader })
        check(margin, universe, "margin")
        let cash = try run(.cash)
        #expect(worstWindow(cash) > 3)
        #expect(!cash.skippedEntries.contains { $0.reason == .patternDayTrader })
    }

    @Test func timelineAlignsOnTheUnionOfTimestamps() throws {
        let a = try F.series("A", [(1, 1, 1, 1, 1), (3, 1, 1, 1, 1), (4, 1, 1, 1, 1)])
        let b = try F.series("B", [(2, 2, 2, 2, 2), (3, 2, 4, 2, 4), (5, 2, 6, 2, 6)])
        let timeline = try PortfolioTimeline([a, b])
        #expect(timeline.timestamps == [1, 2, 3, 4, 5].map { Timestamp(year: 2024, month: 1, day: $0).nanos })
        #expect((0..<5).map { timeline.bar(symbol: 0, at: $0) } == [0, nil, 1, 2, nil])
        #expect((0..<5).map { timeline.bar(symbol: 1, at: $0) } == [nil, 0, 1, nil, 2])
        #expect(timeline.firstCommonTime == 1)
        // The basket: from Jan 2's close, the mean of each symbol's close over its close then.
        #expect(timeline.basketSeries().close == [100, 100, 150, 150, 200])
        #expect(throws: DomainError.self) { try PortfolioTimeline([a, a]) }
        #expect(throws: DomainError.self) { try PortfolioTimeline([]) }
    }
}
