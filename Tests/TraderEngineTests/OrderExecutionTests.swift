import Testing
import TraderCore
@testable import TraderEngine

@Suite struct OrderExecutionTests {
    @Test func stopLossBeatsTakeProfitWhenBothHitInOneBar() throws {
        var rows = flat(6)
        rows[3] = (100, 120, 80, 100)  // touches both -10 % and +10 %
        let s = ScriptedStrategy(signals: [1: .buy])
        let r = try Backtester.run(s, name: "t", on: series(rows), settings: settings { $0.stopLoss = 0.1; $0.takeProfit = 0.1 })
        #expect(r.trades.count == 1)
        #expect(r.trades[0].exitReason == .stopLoss)
        #expect(r.trades[0].exitPrice == 90)
        #expect(r.trades[0].exitBar == 3)
    }

    @Test func stopGapFillsAtTheWorseOpen() throws {
        var rows = flat(6)
        rows[3] = (70, 75, 65, 72)
        let s = ScriptedStrategy(signals: [1: .buy])
        let r = try Backtester.run(s, name: "t", on: series(rows), settings: settings { $0.stopLoss = 0.1 })
        #expect(r.trades[0].exitPrice == 70)
    }

    @Test func takeProfitFillsAtTarget() throws {
        var rows = flat(6)
        rows[3] = (101, 115, 100, 112)
        let s = ScriptedStrategy(signals: [1: .buy])
        let r = try Backtester.run(s, name: "t", on: series(rows), settings: settings { $0.stopLoss = 0.1; $0.takeProfit = 0.1 })
        #expect(r.trades[0].exitReason == .takeProfit)
        #expect(abs(r.trades[0].exitPrice - 110) < 1e-9)
    }

    @Test func trailingStopFollowsTheHigh() throws {
        let rows: [(Double, Double, Double, Double)] = [
            (100, 100, 100, 100), (100, 100, 100, 100), (100, 110, 100, 110), (110, 120, 110, 120),
            (120, 121, 107, 108), (108, 108, 108, 108),
        ]
        let s = ScriptedStrategy(signals: [0: .buy])
        let r = try Backtester.run(s, name: "t", on: series(rows), settings: settings { $0.trailingStop = 0.1 })
        #expect(r.trades.count == 1)
        #expect(r.trades[0].exitReason == .trailingStop)
        #expect(abs(r.trades[0].exitPrice - 108) < 1e-9)  // 120 × 0.9
        #expect(r.trades[0].exitBar == 4)
    }

    @Test func shortStopLossIsAbove() throws {
        var rows = flat(6)
        rows[3] = (100, 111, 99, 105)
        let s = ScriptedStrategy(signals: [1: .sell])
        let r = try Backtester.run(s, name: "t", on: series(rows), settings: settings { $0.direction = .longShort; $0.stopLoss = 0.1 })
        #expect(r.trades[0].size < 0)
        #expect(abs(r.trades[0].exitPrice - 110) < 1e-9)
        #expect(r.trades[0].pnl < 0)
    }

    @Test func limitBuyFillsOnlyWhenTouched() throws {
        var rows = flat(6)
        rows[2] = (100, 101, 96, 99)
        rows[3] = (98, 99, 94, 97)
        let order = try Order(side: .buy, quantity: .units(10), type: .limit(price: 95))
        let s = ScriptedStrategy(orders: [1: [order]])
        let r = try Backtester.run(s, name: "t", on: series(rows), settings: settings())
        #expect(r.openTrades.count == 1)
        #expect(r.openTrades[0].entryBar == 3 && r.openTrades[0].entryPrice == 95 && r.openTrades[0].size == 10)
    }

    @Test func limitBuyGapFillsAtBetterOpen() throws {
        var rows = flat(6)
        rows[2] = (90, 92, 89, 91)
        let order = try Order(side: .buy, quantity: .units(10), type: .limit(price: 95))
        let r = try Backtester.run(ScriptedStrategy(orders: [1: [order]]), name: "t", on: series(rows), settings: settings())
        #expect(r.openTrades[0].entryPrice == 90)
    }

    @Test func stopBuyTriggersOnBreakout() throws {
        var rows = flat(6)
        rows[3] = (101, 106, 100, 105)
        let order = try Order(side: .buy, quantity: .units(5), type: .stop(price: 104))
        let r = try Backtester.run(ScriptedStrategy(orders: [0: [order]]), name: "t", on: series(rows), settings: settings())
        #expect(r.openTrades[0].entryBar == 3 && r.openTrades[0].entryPrice == 104)
    }

    @Test func stopLimitWaitsWhenLimitCouldPrecedeStop() throws {
        var rows = flat(6)
        rows[2] = (100, 106, 97, 104)  // stop 105 hit, but the 99 limit may have traded before it
        rows[3] = (103, 104, 98, 100)  // now triggered: limit 99 fills
        let order = try Order(side: .buy, quantity: .units(5), type: .stopLimit(stop: 105, limit: 99))
        let r = try Backtester.run(ScriptedStrategy(orders: [1: [order]]), name: "t", on: series(rows), settings: settings())
        #expect(r.openTrades.count == 1)
        #expect(r.openTrades[0].entryBar == 3 && r.openTrades[0].entryPrice == 99)
    }

    @Test func dayOrderExpiresNextDay() throws {
        var rows = flat(6)
        rows[3] = (100, 100, 90, 95)
        let order = try Order(side: .buy, quantity: .units(5), type: .limit(price: 92), timeInForce: .day, submittedAt: Timestamp(year: 2024, month: 1, day: 2))
        var sink = EventRecorder()
        let r = try Backtester.run(ScriptedStrategy(orders: [1: [order]]), name: "t", on: series(rows), settings: settings(), events: &sink)
        #expect(r.openTrades.isEmpty)
        #expect(sink.events.contains { if case .orderCancelled(_, let why) = $0 { why.contains("expired") } else { false } })
    }

    @Test func reduceOnlyWithoutPositionIsRejected() throws {
        let order = try Order(side: .sell, quantity: .units(5), type: .market, reduceOnly: true)
        let r = try Backtester.run(ScriptedStrategy(orders: [1: [order]]), name: "t", on: series(flat(4)), settings: settings())
        #expect(r.rejectedOrders == 1 && r.fills == 0)
    }

    @Test func orderLargerThanEquityIsRejected() throws {
        let order = try Order(side: .buy, quantity: .units(1000), type: .market)
        let r = try Backtester.run(ScriptedStrategy(orders: [1: [order]]), name: "t", on: series(flat(4)), settings: settings())
        #expect(r.rejectedOrders == 1)
    }

    @Test func fractionalUnitsUseTheWholeBudget() throws {
        let r = try Backtester.run(ScriptedStrategy(signals: [0: .buy]), name: "t", on: series(flat(4, price: 3000)),
                                   settings: settings { $0.wholeUnits = false; $0.positionFraction = 0.5 })
        #expect(abs(r.openTrades[0].size - 10_000 * 0.5 / 3000) < 1e-12)
    }

    @Test func slippageAndSpreadWorkAgainstTheTrader() throws {
        let s = ScriptedStrategy(signals: [0: .buy, 2: .sell])
        let r = try Backtester.run(s, name: "t", on: series(flat(5)), settings: settings {
            $0.costs = try! SlippageModel(spread: 0.001, slippageBps: 10)
        })
        #expect(abs(r.trades[0].entryPrice - 100 * 1.002) < 1e-9)
        #expect(abs(r.trades[0].exitPrice - 100 * 0.999) < 1e-9)
    }

    @Test func pythonFloorDivisionMatchesPython() {
        // Values checked with CPython: 7.0 // 0.1 == 69.0; 1.0 // 0.1 == 9.0; 10000 // 3 == 3333.0
        #expect(pythonFloorDivide(7.0, 0.1) == 69)
        #expect(pythonFloorDivide(1.0, 0.1) == 9)
        #expect(pythonFloorDivide(10_000, 3) == 3333)
        #expect(pythonFloorDivide(-7, 2) == -4)
    }
}

/// `ExecutionSettings.volumeLimit`: an order takes at most that share of each bar's volume; the
/// rest stays working and fills on the next bars, at their prices.
@Suite struct VolumeLimitTests {
    /// Bars opening and closing at 100 with the given volumes, one a day from 2024-01-01.
    static func bars(volumes: [Double]) throws -> BarSeries {
        let start = Timestamp(year: 2024, month: 1, day: 1).nanos
        let n = volumes.count
        return try BarSeries(symbol: "THIN", timeframe: .day1, timestamps: (0..<n).map { start + Int64($0) * Timestamp.nanosPerDay },
                             open: Array(repeating: 100, count: n), high: Array(repeating: 101, count: n), low: Array(repeating: 99, count: n),
                             close: Array(repeating: 100, count: n), volume: volumes)
    }

    @Test func anOrderLargerThanTheBarsShareFillsOverSeveralBars() throws {
        // 2 % of 1,000 = 20 units a bar; the entry buys what (1 − ε) × 10,000 pays at 100: 99 units.
        // Each later part is an order of the units left, checked (affordable?) at its own bar.
        var volumes = [Double](repeating: 1_000, count: 16)
        volumes[4] = 0  // nothing trades on bar 4: nothing fills
        let s = ScriptedStrategy(signals: [1: .buy, 9: .sell])
        let r = try Backtester.run(s, name: "t", on: Self.bars(volumes: volumes), settings: settings { $0.volumeLimit = 0.02 })
        let entries = Dictionary(grouping: r.trades, by: \.entryBar).mapValues { $0.reduce(0) { $0 + $1.size } }
        #expect(entries == [2: 20, 3: 20, 5: 20, 6: 20, 7: 19], "20 units a bar, none on the bar without volume, the rest last")
        let exits = Dictionary(grouping: r.trades, by: \.exitBar).mapValues { $0.reduce(0) { $0 + $1.size } }
        #expect(exits == [10: 20, 11: 20, 12: 20, 13: 20, 14: 19], "the exit is limited too")
        #expect(r.openTrades.isEmpty)

        // Without a limit the same run fills at once.
        let whole = try Backtester.run(s, name: "t", on: Self.bars(volumes: volumes), settings: settings())
        #expect(whole.trades.map(\.size) == [99])
        #expect(whole.trades.map(\.entryBar) == [2])
    }

    @Test func theLimitIsValidatedAsAFraction() {
        for bad in [0.0, -0.1, 1.5, .nan] {
            #expect(throws: DomainError.self) { try settings { $0.volumeLimit = bad }.validate() }
        }
        #expect(throws: Never.self) { try settings { $0.volumeLimit = 1 }.validate() }
    }
}
