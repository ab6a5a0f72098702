import Foundation
import Testing
import TraderCore
import TraderStrategies
@testable import TraderEngine

/// The two end-of-run exits (`EndOfRunExit`) on small scripted series, where the price each uses
/// can be read off the bars; their agreement with backtesting.py on real data is
/// `ReferenceParityTests` and `StrategyParityTests`.
@Suite struct EndOfRunExitTests {
    /// Five flat bars at 100 but the last, which opens at 104 and closes at 110.
    static let rows: [(Double, Double, Double, Double)] = {
        var rows = flat(5)
        rows[4] = (104, 111, 99, 110)
        return rows
    }()

    @Test func atLastOpenClosesAtTheLastOpenOnTheLastBar() throws {
        let s = ScriptedStrategy(signals: [1: .buy])
        let r = try Backtester.run(s, name: "t", on: series(Self.rows), settings: settings {
            $0.endOfRunExit = .atLastOpen
            $0.commission = try! CommissionModel(rate: 0.01)
        })
        let t = try #require(r.trades.first)
        #expect(r.trades.count == 1 && r.openTrades.isEmpty && r.metrics.tradeCount == 1)
        #expect(t.exitBar == 4 && t.exitPrice == 104 && t.exitReason == .endOfData)
        // The usual commission of a market exit, at the exit price.
        #expect(t.commission == t.size * 100 * 0.01 + t.size * 104 * 0.01)
        // Flat after the exit: the last bar's equity is the cash, not marked at the close.
        #expect(r.equity.last == 10_000 + t.pnl)
        #expect(r.equity[3] == 10_000 - t.size * 100 * 0.01)
    }

    @Test func atLastCloseClosesAtTheLastClose() throws {
        let s = ScriptedStrategy(signals: [1: .buy])
        let r = try Backtester.run(s, name: "t", on: series(Self.rows), settings: settings { $0.endOfRunExit = .atLastClose })
        #expect(r.trades.count == 1 && r.trades[0].exitBar == 4 && r.trades[0].exitPrice == 110)
        let open = try Backtester.run(s, name: "t", on: series(Self.rows), settings: settings { $0.endOfRunExit = .atLastOpen })
        // The two differ by the position times the last bar's open-to-close move.
        #expect(r.equity.last! - open.equity.last! == r.trades[0].size * (110 - 104))
    }

    /// As backtesting.py's `finalize_trades` pass: an entry signalled on the last bar is filled at
    /// that bar's open after the closes, and stays open (not a trade); the last close drops it.
    /// backtesting.py 0.6.6 on these bars (`scripts/peers/finalize_probe.py`, EntryOnLastBar):
    /// no closed trade, 96 units open from bar 4 at 104, equity 10,576 on the last bar.
    @Test func entrySignalledOnTheLastBarFillsInTheFinalPass() throws {
        let s = ScriptedStrategy(signals: [4: .buy])
        let open = try Backtester.run(s, name: "t", on: series(Self.rows), settings: settings { $0.endOfRunExit = .atLastOpen })
        #expect(open.trades.isEmpty && open.openTrades.count == 1)
        let lot = try #require(open.openTrades.first)
        #expect(lot.size == 96 && lot.entryBar == 4 && lot.entryPrice == 104 && lot.exitReason == .stillOpen)
        #expect(open.equity == [10_000, 10_000, 10_000, 10_000, 10_576])
        let close = try Backtester.run(s, name: "t", on: series(Self.rows), settings: settings { $0.endOfRunExit = .atLastClose })
        #expect(close.openTrades.isEmpty && close.trades.isEmpty && close.fills == 0 && close.equity.last == 10_000)
    }

    /// A reversal signalled on the last bar: the long closes at the open, its waiting exit is
    /// cancelled (nothing left to reduce: not a rejection), and the short opens at the same open.
    /// backtesting.py 0.6.6 (`scripts/peers/finalize_probe.py`, ReversalOnLastBar): the 99-unit
    /// long from bar 2 at 100 exits on bar 4 at 104, 99 units short open at 104, equity 9,802.
    @Test func reversalOnTheLastBarClosesThenOpens() throws {
        let s = ScriptedStrategy(signals: [1: .buy, 4: .sell])
        var recorder = EventRecorder()
        let r = try Backtester.run(s, name: "t", on: series(Self.rows), settings: settings {
            $0.endOfRunExit = .atLastOpen
            $0.direction = .longShort
        }, events: &recorder)
        #expect(r.trades.count == 1 && r.trades[0].size == 99 && r.trades[0].entryBar == 2 && r.trades[0].entryPrice == 100)
        #expect(r.trades[0].exitPrice == 104 && r.trades[0].exitBar == 4)
        #expect(r.openTrades.count == 1 && r.openTrades[0].size == -99 && r.openTrades[0].entryPrice == 104)
        #expect(r.equity.last == 9_802)
        #expect(r.rejectedOrders == 0)
        #expect(recorder.events.contains { if case .orderCancelled(_, let reason) = $0 { reason.contains("end of the run") } else { false } })
    }

    @Test func nothingOpenLeavesTheRunAsItWas() throws {
        let s = ScriptedStrategy(signals: [1: .buy, 2: .sell])
        let plain = try Backtester.run(s, name: "t", on: series(Self.rows), settings: settings())
        for exit in [EndOfRunExit.atLastClose, .atLastOpen] {
            let r = try Backtester.run(s, name: "t", on: series(Self.rows), settings: settings { $0.endOfRunExit = exit })
            #expect(r.equity == plain.equity && r.trades.count == plain.trades.count, "\(exit)")
        }
    }

    @Test func atLastOpenNeedsFillsAtTheNextOpen() {
        let error = #expect(throws: DomainError.self) {
            _ = try SimulatedBroker(settings: settings { $0.endOfRunExit = .atLastOpen; $0.fill = .close })
        }
        #expect(error?.field == "close-at-last-open")
        #expect(throws: Never.self) { try settings { $0.endOfRunExit = .atLastClose; $0.fill = .close }.validate() }
    }

    /// Runs saved before the exit had two prices carry `closeAtEnd: Bool`; they still read, and
    /// the new key round-trips.
    @Test func settingsReadTheOldBoolAndRoundTrip() throws {
        var s = settings { $0.endOfRunExit = .atLastOpen; $0.stopLoss = 0.05 }
        let data = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(ExecutionSettings.self, from: data) == s)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["endOfRunExit"] as? String == "last-open" && object["closeAtEnd"] == nil)
        for (old, exit) in [(true, EndOfRunExit.atLastClose), (false, .none)] {
            object["endOfRunExit"] = nil
            object["closeAtEnd"] = old
            let legacy = try JSONSerialization.data(withJSONObject: object)
            s.endOfRunExit = exit
            #expect(try JSONDecoder().decode(ExecutionSettings.self, from: legacy) == s)
        }
    }

    /// Chunked runs (streaming, and the optimizer's statistics) apply the exit on the last chunk
    /// only, and agree with the in-memory run.
    @Test(arguments: [TradeDirection.longOnly, .longShort])
    func chunkedRunsApplyTheExitOnce(_ direction: TradeDirection) throws {
        let bars = try BacktestingPyReference.bars("GOOG")
        var s = settings { $0.endOfRunExit = .atLastOpen; $0.direction = direction }
        s.commission = try CommissionModel(rate: 0.002)
        let spec = try StrategySpec(name: "sma-crossover", overrides: ["fast": 10, "slow": 20])
        let whole = try Backtester.run(spec, on: bars, settings: s)
        #expect(whole.trades.last?.exitBar == bars.count - 1)
        for size in [7, 1000] {
            let streamed = try Backtester.runStreaming(spec, chunks: StreamingBacktestTests.chunks(of: bars, size: size), settings: s)
            #expect(streamed.metrics.tradeCount == whole.trades.count && streamed.openTrades.isEmpty)
            StreamingBacktestTests.expectClose(streamed.metrics, whole.metrics, "\(direction) chunks of \(size)")
        }
        #expect(try Backtester.statistics(spec, on: bars, settings: s, profile: SeriesProfile(bars)) == whole.metrics)
    }
}
