import Testing
import TraderCore

@Suite struct PortfolioTests {
    func fill(_ side: OrderSide, _ qty: Double, _ price: Double, bar: Int, commission: Double = 0) -> Fill {
        Fill(orderId: 1, barIndex: bar, timestamp: Timestamp(seconds: Int64(bar) * 86_400), side: side, quantity: qty, price: price, commission: commission)
    }

    @Test func partialCloseSplitsTheLotFIFO() throws {
        var p = try Portfolio(cash: 1000)
        p.apply(fill(.buy, 10, 50, bar: 0, commission: 1))
        p.apply(fill(.buy, 5, 60, bar: 1))
        #expect(p.position == 15)
        #expect(abs(p.equity(at: 55) - (999 + 10 * 5 - 5 * 5)) < 1e-9)
        p.apply(fill(.sell, 12, 70, bar: 2, commission: 1.2))
        #expect(p.closedTrades.count == 2)
        #expect(p.closedTrades[0].size == 10 && p.closedTrades[0].entryPrice == 50)
        #expect(p.closedTrades[1].size == 2 && p.closedTrades[1].entryPrice == 60)
        #expect(abs(p.closedTrades[0].commission - (1 + 1.0)) < 1e-12)
        #expect(p.position == 3 && p.openTrades.count == 1 && p.openTrades[0].size == 3)
        #expect(abs(p.cash - (1000 - 1 - 1.2 + 10 * 20 + 2 * 10)) < 1e-9)
    }

    /// A lot opened by one fill and closed by one fill carries exactly the sum of the two fills'
    /// commissions, as backtesting.py's `Commission` column (entry fee + exit fee). Splitting a
    /// fill's commission per unit and multiplying back is not exact: for 55 units at 33.3 and
    /// 0.2 %, `(c / 55) × 55` is 3.6629999999999994, not 3.663.
    @Test func wholeFillsKeepTheirCommissionExactly() throws {
        let entry = 55 * 33.3 * 0.002, exit = 55 * 34.1 * 0.002
        #expect((entry / 55) * 55 != entry)  // the rounding this guards against
        var p = try Portfolio(cash: 10_000)
        p.apply(fill(.buy, 55, 33.3, bar: 0, commission: entry))
        #expect(p.openTrades[0].entryCommission == entry)
        p.apply(fill(.sell, 55, 34.1, bar: 1, commission: exit))
        #expect(p.closedTrades[0].commission == entry + exit)
        // A reversal's fill is split: the closing part's share, the rest to the new lot.
        p.apply(fill(.buy, 55, 33.3, bar: 2, commission: entry))
        p.apply(fill(.sell, 110, 34.1, bar: 3, commission: 2 * exit))
        #expect(abs(p.closedTrades[1].commission - (entry + exit)) <= 1e-15 * entry)
        #expect(abs(p.openTrades[0].entryCommission - exit) <= 1e-15 * exit)
    }

    @Test func sellThroughZeroOpensAShort() throws {
        var p = try Portfolio(cash: 1000)
        p.apply(fill(.buy, 10, 50, bar: 0))
        p.apply(fill(.sell, 15, 40, bar: 1))
        #expect(p.position == -5)
        #expect(p.closedTrades.count == 1 && p.closedTrades[0].pnl == -100)
        #expect(p.openTrades[0].size == -5 && p.openTrades[0].entryPrice == 40)
        #expect(p.equity(at: 30) == 1000 - 100 + 50)
    }

    @Test func tradeReturnIncludesCommission() {
        let t = Trade(size: -10, entryBar: 0, exitBar: 1, entryTime: Timestamp(nanos: 0), exitTime: Timestamp(seconds: 60),
                      entryPrice: 100, exitPrice: 90, commission: 2, exitReason: .signal)
        #expect(t.pnl == 98)
        #expect(abs(t.returnPct - (0.1 - 2.0 / 1000)) < 1e-15)
        #expect(t.duration.seconds == 60)
    }

    @Test func rejectsNonPositiveCapital() {
        #expect(throws: DomainError.self) { _ = try Portfolio(cash: 0) }
    }
}

@Suite struct PositionSnapshotTests {
    @Test func snapshotAveragesLotsAndMarksThem() throws {
        var p = try Portfolio(cash: 10_000)
        p.apply(Fill(orderId: 1, barIndex: 0, timestamp: Timestamp(nanos: 0), side: .buy, quantity: 10, price: 100, commission: 0))
        p.apply(Fill(orderId: 2, barIndex: 1, timestamp: Timestamp(nanos: 1), side: .buy, quantity: 30, price: 110, commission: 0))
        let s = p.position(markedAt: 120)
        #expect(s.quantity == 40 && s.isLong)
        #expect(abs(s.averageEntryPrice - 107.5) < 1e-12)
        #expect(abs(s.unrealizedPnL - (10 * 20 + 30 * 10)) < 1e-9)
        #expect(try Portfolio(cash: 1).position(markedAt: 5).isFlat)
    }
}
