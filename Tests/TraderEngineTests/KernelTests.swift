import Foundation
import Testing
import TraderStrategies
import TraderCore
@testable import TraderEngine

@Suite struct KernelTests {
    @Test func buySignalFillsAtNextOpenWithWholeUnits() throws {
        var rows = flat(5)
        rows[2] = (103, 104, 102, 103)
        let s = ScriptedStrategy(signals: [1: .buy, 3: .sell])
        let r = try Backtester.run(s, name: "t", on: series(rows), settings: settings { $0.commission = try! CommissionModel(rate: 0.001) })
        #expect(r.trades.count == 1)
        let t = r.trades[0]
        // size = floor(10000 * (1-ε) / (103 * 1.001)) = 96
        #expect(t.size == 96)
        #expect(t.entryBar == 2 && t.entryPrice == 103)
        #expect(t.exitBar == 4 && t.exitPrice == 100)
        #expect(abs(t.commission - (96 * 103 * 0.001 + 96 * 100 * 0.001)) < 1e-9)
        #expect(abs(r.equity[4] - (10_000 + 96 * (100 - 103) - t.commission)) < 1e-9)
        // Equity at bar 2 is marked at its close and includes the entry commission.
        #expect(abs(r.equity[2] - (10_000 - 96 * 103 * 0.001)) < 1e-9)
    }

    @Test func strategySeesEachBarOnceInOrder() throws {
        let s = ScriptedStrategy()
        var kernel = try TradingKernel(strategy: s, settings: settings(), events: NoEventSink())
        let data = series(flat(7))
        for i in 0..<data.count { _ = kernel.onBar(data[i], index: i) }
        #expect(kernel.strategy.seen == Array(0..<7))
    }

    @Test func decisionsDoNotDependOnLaterBars() throws {
        // Same first 30 bars, different futures: trades closed within the common prefix agree.
        var a = (0..<60).map { i -> (Double, Double, Double, Double) in let p = 100 + 10 * sin(Double(i) / 3); return (p, p + 1, p - 1, p) }
        var b = a
        for i in 30..<60 { b[i] = (50, 51, 49, 50) }
        a[59] = (200, 201, 199, 200)
        let spec = try StrategySpec(name: "sma-crossover", overrides: ["fast": 3, "slow": 7])
        let ra = try Backtester.run(spec, on: series(a), settings: settings())
        let rb = try Backtester.run(spec, on: series(b), settings: settings())
        let prefixA = ra.trades.filter { $0.exitBar < 30 }
        let prefixB = rb.trades.filter { $0.exitBar < 30 }
        #expect(!prefixA.isEmpty)
        #expect(prefixA == prefixB)
        #expect(Array(ra.equity[0..<30]) == Array(rb.equity[0..<30]))
    }

    @Test func longShortReversesOnEachSignal() throws {
        let s = ScriptedStrategy(signals: [0: .sell, 2: .buy, 4: .sell])
        let r = try Backtester.run(s, name: "t", on: series(flat(7)), settings: settings { $0.direction = .longShort })
        #expect(r.trades.map(\.size).map { $0 > 0 } == [false, true])
        #expect(r.openTrades.count == 1 && r.openTrades[0].size < 0)
        #expect(r.trades[0].exitBar == 3 && r.trades[1].entryBar == 3)
    }

    @Test func longOnlyIgnoresSellWhenFlat() throws {
        let s = ScriptedStrategy(signals: [0: .sell, 2: .sell])
        let r = try Backtester.run(s, name: "t", on: series(flat(5)), settings: settings())
        #expect(r.trades.isEmpty && r.openTrades.isEmpty && r.fills == 0)
    }

    @Test func fillAtCloseUsesDecisionBarClose() throws {
        var rows = flat(5)
        rows[1] = (100, 106, 99, 105)
        let s = ScriptedStrategy(signals: [1: .buy, 3: .sell])
        let r = try Backtester.run(s, name: "t", on: series(rows), settings: settings { $0.fill = .close })
        #expect(r.trades.count == 1)
        #expect(r.trades[0].entryBar == 1 && r.trades[0].entryPrice == 105)
        #expect(r.trades[0].exitBar == 3 && r.trades[0].exitPrice == 100)
    }

    @Test func closeAtEndBooksOpenPositionAtLastClose() throws {
        var rows = flat(5)
        rows[4] = (100, 111, 99, 110)
        let s = ScriptedStrategy(signals: [1: .buy])
        let open = try Backtester.run(s, name: "t", on: series(rows), settings: settings())
        #expect(open.trades.isEmpty && open.openTrades.count == 1)
        #expect(open.metrics.tradeCount == 0)
        let closed = try Backtester.run(s, name: "t", on: series(rows), settings: settings { $0.closeAtEnd = true })
        #expect(closed.trades.count == 1 && closed.trades[0].exitPrice == 110 && closed.trades[0].exitReason == .endOfData)
        #expect(closed.openTrades.isEmpty && closed.metrics.tradeCount == 1)
        #expect(closed.equity.last == open.equity.last)
    }

    @Test func outOfMoneyStopsTheRun() throws {
        var rows = flat(6)
        rows[3] = (1, 1, 1, 1)  // price collapses while short... use a long that loses almost all
        let s = ScriptedStrategy(signals: [0: .sell])
        var rowsUp = flat(6)
        rowsUp[3] = (100, 300, 100, 300)
        let r = try Backtester.run(s, name: "t", on: series(rowsUp), settings: settings { $0.direction = .longShort })
        #expect(r.ranOutOfMoney)
        #expect(r.equity[3] == 0 && r.equity[5] == 0)
        _ = rows
    }

    @Test func invalidSettingsNameTheField() {
        #expect(throws: DomainError.invalid(field: "capital", reason: "must be a number between 0.01 and 1e12, got -5")) {
            _ = try SimulatedBroker(settings: settings { $0.initialCapital = -5 })
        }
        #expect(throws: DomainError.self) { _ = try SimulatedBroker(settings: settings { $0.stopLoss = 1.5 }) }
    }
}
