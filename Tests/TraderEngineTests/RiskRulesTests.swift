import Foundation
import Testing
import TraderCore
@testable import TraderEngine

/// Each risk rule through the kernel and the simulated broker, with figures worked out by hand:
/// what it cuts, what it refuses and the event that says why; exits are never refused.
@Suite struct RiskRulesTests {
    /// Runs `strategy` over `rows` (daily bars unless `hourly`) with `rules`, recording events.
    func run(_ strategy: ScriptedStrategy, _ rows: [(Double, Double, Double, Double)], hourly: Bool = false,
             _ configure: (inout ExecutionSettings) -> Void = { _ in }) throws -> (BacktestResult, [TradingEvent]) {
        var data = series(rows)
        if hourly {
            let start = data.timestamps[0]
            data = try BarSeries(symbol: "TEST", timeframe: .hour1,
                                 columns: BarColumn(data.timestamps.indices.map { start + Int64($0) * 3_600_000_000_000 }),
                                 open: data.open, high: data.high, low: data.low, close: data.close, volume: data.volume)
        }
        var events = EventRecorder()
        let result = try Backtester.run(strategy, name: "t", on: data, settings: settings(configure), events: &events)
        return (result, events.events)
    }

    func refusals(_ events: [TradingEvent]) -> [String] {
        events.compactMap { if case let .riskRefused(_, refusal) = $0 { refusal.reason } else { nil } }
    }

    /// 20 % of 10,000 at 100 is 20 units: an all-in entry is cut to 20, and the event says so.
    @Test func positionLimitCutsAnEntry() throws {
        let (r, events) = try run(ScriptedStrategy(signals: [0: .buy]), flat(3)) { $0.risk.maxPositionFraction = MaxPositionFraction(0.2) }
        #expect(r.openTrades.map(\.size) == [20])
        let cut = events.compactMap { if case let .riskResized(_, units, reason) = $0 { (units, reason) } else { nil } }
        #expect(cut.count == 1 && cut[0].0 == 20 && cut[0].1 == "cut to 20 % of equity per position")
    }

    /// A 10 % reserve with 0.1 % commission: (10,000 − 1,000 − the proposal's commission) / 100
    /// = (9,000 − 9.9) / 100 → 89 whole units.
    @Test func cashReserveKeepsItsShare() throws {
        let (r, _) = try run(ScriptedStrategy(signals: [0: .buy]), flat(3)) {
            $0.commission = try! CommissionModel(rate: 0.001)
            $0.risk.cashReserve = CashReserve(0.1)
        }
        // The proposal: floor(10,000 × (1 − ε) / (100 × 1.001)) = 99 units, commission 9.9.
        #expect(r.openTrades.map(\.size) == [89])
    }

    /// Equity falls 20 % from its peak of 10,000 (a long of 100 units from 100 to 80): the 15 %
    /// halt refuses the next entry, while the exit still fills.
    @Test func drawdownHaltStopsEntriesNotExits() throws {
        let rows: [(Double, Double, Double, Double)] = [(100, 100, 100, 100), (100, 100, 100, 100), (80, 80, 80, 80), (80, 80, 80, 80),
                                                        (80, 80, 80, 80), (80, 80, 80, 80)]
        let (r, events) = try run(ScriptedStrategy(signals: [0: .buy, 2: .sell, 3: .buy]), rows) {
            $0.positionFraction = 1
            $0.risk.drawdownHalt = DrawdownHalt(0.15)
        }
        #expect(r.trades.count == 1 && r.trades[0].exitBar == 3, "the exit filled")
        #expect(r.openTrades.isEmpty)
        #expect(refusals(events) == ["drawdown halt: equity fell 15 % from its peak"])
        #expect(r.rejectedOrders == 1)
    }

    /// Hourly bars: equity drops 6 % within the first day (100 → 94 on a full position), so a
    /// 5 % daily limit refuses the re-entry that day; on the next day entries pass again.
    @Test func dailyLossLimitLastsTheDay() throws {
        var rows = flat(40)
        for i in 2..<40 { rows[i] = (94, 94, 94, 94) }
        // Buy at bar 0 (fills at bar 1's open, 100), sell at bar 3 (fills at 4), buy again at bar
        // 5 (same day: refused) and at bar 25 (the next day: fills at bar 26).
        let (r, events) = try run(ScriptedStrategy(signals: [0: .buy, 3: .sell, 5: .buy, 25: .buy]), rows, hourly: true) {
            $0.positionFraction = 1
            $0.risk.dailyLossLimit = DailyLossLimit(0.05)
        }
        #expect(refusals(events) == ["daily loss limit: equity fell more than 5 % today"])
        #expect(r.openTrades.count == 1 && r.openTrades[0].entryBar == 26)
    }

    /// A margin account below 25,000 makes three day trades (hourly bars, in and out the same
    /// day); the fourth entry that day is refused by the pattern-day-trader rule.
    @Test func patternDayTraderRuleRefusesTheFourthDayTrade() throws {
        let signals: [Int: Signal] = [0: .buy, 1: .sell, 2: .buy, 3: .sell, 4: .buy, 5: .sell, 6: .buy]
        let (r, events) = try run(ScriptedStrategy(signals: signals), flat(12), hourly: true) {
            $0.risk.patternDayTrader = PatternDayTrader(accountType: .margin)
        }
        #expect(r.trades.count == 3)
        #expect(refusals(events).count == 1 && refusals(events)[0].hasPrefix("pattern-day-trader rule: 3 day trades"))
        // A cash account is not bound by it.
        let (cash, _) = try run(ScriptedStrategy(signals: signals), flat(12), hourly: true) {
            $0.risk.patternDayTrader = PatternDayTrader(accountType: .cash)
        }
        #expect(cash.trades.count == 3 && cash.openTrades.count == 1)
    }

    /// The rules on their own: a full book refuses a new instrument but not more of one held;
    /// refusals come before cuts; cuts compose (the smallest wins) and name every rule that cut.
    @Test func rulesComposeInOrder() {
        var rules = RiskRules()
        rules.maxOpenPositions = MaxOpenPositions(2)
        rules.maxPositionFraction = MaxPositionFraction(0.5)
        rules.maxExposureFraction = MaxExposureFraction(0.9)
        let proposal = OrderProposal(orderId: 1, side: .buy, units: 100, price: 100, commission: 0, time: Timestamp(nanos: 0), wholeUnits: true)
        let full = RiskAccount(equity: 10_000, available: 5_000, exposure: 5_000, openPositions: 2, position: 0)
        #expect(rules.review(proposal, account: full) == .refuse(RiskRefusal(.maxOpenPositions, 2, 2)))
        #expect(RiskRefusal(.maxOpenPositions, 2, 2).reason == "2 positions open, at most 2")
        // Adding to a held position: the exposure room, 9,000 − 5,000, leaves 40 units; then 50 %
        // of 10,000 less the 2,000 held leaves 30.
        let held = RiskAccount(equity: 10_000, available: 5_000, exposure: 5_000, openPositions: 2, position: 20)
        #expect(rules.review(proposal, account: held)
                == .resize(units: 30, reason: "cut to total exposure at most 90 % of equity; cut to 50 % of equity per position"))
        #expect(RiskRules().isActive == false && RiskRules.paperTradingDefaults.isActive)
    }

    /// Settings out of range are one error naming the option.
    @Test func outOfRangeSettingsNameTheOption() {
        var s = ExecutionSettings()
        s.risk.drawdownHalt = DrawdownHalt(1.5)
        #expect(throws: DomainError.self) { try s.validate() }
        do { try s.validate() } catch { #expect(error.field == "drawdown-halt") }
    }
}

@Suite struct WeeklyEntryLimitTests {
    /// Entries are counted per calendar week (Monday to Sunday, UTC) when they fill; exits never
    /// count. Two a week: the third buy of a week is refused, and Monday starts afresh.
    @Test func countsEntriesPerCalendarWeek() throws {
        var rule = WeeklyEntryLimit(2)
        func proposal(_ day: Int) -> OrderProposal {
            OrderProposal(orderId: day, side: .buy, units: 1, price: 10, commission: 0,
                          time: Timestamp(year: 2024, month: 1, day: day), wholeUnits: true)
        }
        func fill(_ day: Int, _ side: OrderSide) -> Fill {
            Fill(orderId: day, barIndex: day, timestamp: Timestamp(year: 2024, month: 1, day: day), side: side, quantity: 1,
                 price: 10, commission: 0, reason: .signal)
        }
        let held = RiskAccount(equity: 100, available: 90, exposure: 10, openPositions: 1, position: 1)
        let flatAccount = RiskAccount(equity: 100, available: 100, exposure: 0, openPositions: 0, position: 0)
        // 2024-01-01 was a Monday.
        rule.record(fill(1, .buy), closing: [], account: held)
        rule.record(fill(2, .sell), closing: [], account: flatAccount)  // an exit: not counted
        #expect(rule.review(proposal(3), account: flatAccount) == .accept)
        rule.record(fill(3, .buy), closing: [], account: held)
        #expect(rule.review(proposal(7), account: flatAccount) == .refuse(RiskRefusal(.weeklyEntryLimit, 2, 2)))
        #expect(RiskRefusal(.weeklyEntryLimit, 2, 2).reason == "2 positions opened this week, at most 2")
        #expect(rule.review(proposal(8), account: flatAccount) == .accept)
        #expect(WeeklyEntryLimit.week(of: Timestamp(year: 2024, month: 1, day: 7)) + 1 == WeeklyEntryLimit.week(of: Timestamp(year: 2024, month: 1, day: 8)))
    }
}
