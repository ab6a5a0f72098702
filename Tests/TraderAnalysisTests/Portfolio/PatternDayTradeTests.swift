import Testing
import TraderCore
import TraderEngine
@testable import TraderAnalysis

@Suite struct PatternDayTradeTests {
    func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Timestamp { Timestamp(year: 2024, month: 1, day: day, hour: hour, minute: minute) }

    func trade(_ entry: Timestamp, _ exit: Timestamp) -> Trade {
        Trade(size: 10, entryBar: 0, exitBar: 1, entryTime: entry, exitTime: exit, entryPrice: 100, exitPrice: 101,
              commission: 0, exitReason: .signal)
    }

    /// January 2024: Monday the 8th to Friday the 12th, weekend 13–14, Monday 15, Tuesday 16.
    var trades: [Trade] {
        [
            trade(at(8, 10), at(8, 15)),        // A: day trade, Monday 8
            trade(at(9, 10), at(10, 10)),       // B: held overnight, not a day trade
            trade(at(10, 9, 30), at(10, 11)),   // C: day trade, Wednesday 10
            trade(at(12, 14), at(12, 15)),      // D: day trade, Friday 12
            trade(at(13, 10), at(13, 12)),      // E: day trade on Saturday 13: counts as Monday 15
            trade(at(16, 10), at(16, 11)),      // F: day trade, Tuesday 16
        ]
    }

    @Test func businessDaysSkipWeekends() {
        let monday = PatternDayTradeRule.businessDay(at(8, 0))
        #expect(PatternDayTradeRule.businessDay(at(12, 23, 59)) == monday + 4)
        #expect(PatternDayTradeRule.businessDay(at(13, 12)) == monday + 5)
        #expect(PatternDayTradeRule.businessDay(at(14, 12)) == monday + 5)
        #expect(PatternDayTradeRule.businessDay(at(15, 0)) == monday + 5)
        #expect(PatternDayTradeRule.businessDay(at(16, 0)) == monday + 6)
        // Before the epoch's first Monday too.
        #expect(PatternDayTradeRule.businessDay(Timestamp(year: 1970, month: 1, day: 2)) == -1)
        #expect(PatternDayTradeRule.businessDay(Timestamp(year: 1970, month: 1, day: 4)) == 0)
        #expect(PatternDayTradeRule.businessDay(Timestamp(year: 1970, month: 1, day: 5)) == 0)
    }

    @Test func countsDayTradesInRollingWindows() {
        #expect(trades.map(PatternDayTradeRule.isDayTrade) == [true, false, true, true, true, true])
        let expected: [(Timestamp, Int)] = [
            (at(11, 12), 2),   // Mon 8 … Thu 11: A, C (D is later)
            (at(12, 16), 3),   // Mon 8 … Fri 12: A, C, D
            (at(15, 9), 3),    // Tue 9 … Mon 15: C, D, E
            (at(16, 12), 4),   // Wed 10 … Tue 16: C, D, E, F
            (at(17, 12), 3),   // Thu 11 … Wed 17: D, E, F
            (at(22, 12), 1),   // Tue 16 … Mon 22: F
        ]
        var ledger = DayTradeLedger()
        var recorded = 0
        for (time, count) in expected {
            #expect(PatternDayTradeRule.dayTradeCount(trades, windowEndingAt: time) == count, "\(time)")
            // The ledger, fed the trades closed by then, agrees.
            while recorded < trades.count && trades[recorded].exitTime <= time { ledger.record(trades[recorded]); recorded += 1 }
            #expect(ledger.count(windowEndingAt: time) == count, "ledger at \(time)")
        }
    }

    @Test func entriesAreRefusedBeforeAFourthDayTrade() {
        let rule = PatternDayTradeRule.self
        #expect(!rule.allowsEntry(accountType: .margin, equity: 20_000, dayTradesInWindow: 3, openedTodayStillOpen: 0))
        #expect(!rule.allowsEntry(accountType: .margin, equity: 20_000, dayTradesInWindow: 2, openedTodayStillOpen: 1))
        #expect(rule.allowsEntry(accountType: .margin, equity: 20_000, dayTradesInWindow: 2, openedTodayStillOpen: 0))
        #expect(rule.allowsEntry(accountType: .margin, equity: 24_999, dayTradesInWindow: 0, openedTodayStillOpen: 2))
        // Not subject: a cash account, or margin at 25,000 and above.
        #expect(rule.allowsEntry(accountType: .cash, equity: 20_000, dayTradesInWindow: 5, openedTodayStillOpen: 3))
        #expect(rule.allowsEntry(accountType: .margin, equity: 25_000, dayTradesInWindow: 5, openedTodayStillOpen: 3))
    }
}
