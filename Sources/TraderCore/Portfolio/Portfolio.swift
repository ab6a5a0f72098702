/// Cash and open lots of one instrument, with margin-free accounting.
///
/// Opening a lot does not move its notional out of cash; cash changes only by commissions and by
/// realized profit when a lot closes, and equity is `cash + Σ size × (price − entry)`. This is the
/// accounting of backtesting.py with leverage 1, which makes equity curves directly comparable.
/// Lots close first-in first-out. The same type serves backtest, paper and live trading.
public struct Portfolio: Sendable {
    public private(set) var initialCash: Double
    public private(set) var cash: Double
    public private(set) var openTrades: [OpenTrade] = []
    public private(set) var closedTrades: [Trade] = []
    public private(set) var totalCommission: Double = 0
    /// Net signed units held: the sum of open lot sizes.
    public private(set) var position: Double = 0

    public init(cash: Double) throws(DomainError) {
        guard cash > 0, cash.isFinite else { throw .invalid(field: "capital", reason: "must be a positive amount, got \(cash)") }
        self.initialCash = cash
        self.cash = cash
        openTrades.reserveCapacity(8)
    }

    /// Equity if marked at `price`.
    @inlinable public func equity(at price: Double) -> Double {
        var e = cash
        for t in openTrades { e += t.size * (price - t.entryPrice) }
        return e
    }

    /// Sum of `|size| × entryPrice` over open lots: the capital tied up in positions.
    @inlinable public var openNotional: Double {
        var n = 0.0
        for t in openTrades { n += abs(t.size) * t.entryPrice }
        return n
    }

    /// Books a fill: pays its commission, closes opposite lots FIFO (realizing their profit) and
    /// opens a new lot with whatever quantity is left.
    public mutating func apply(_ fill: Fill) {
        cash -= fill.commission
        totalCommission += fill.commission
        var remaining = fill.signedQuantity
        let commissionPerUnit = fill.quantity > 0 ? fill.commission / fill.quantity : 0
        while remaining != 0, let first = openTrades.first, (first.size > 0) != (remaining > 0) {
            let closing = min(abs(remaining), abs(first.size))
            let sign: Double = first.size > 0 ? 1 : -1
            let fraction = closing / abs(first.size)
            let entryCommission = first.entryCommission * fraction
            let trade = Trade(size: sign * closing, entryBar: first.entryBar, exitBar: fill.barIndex,
                              entryTime: first.entryTime, exitTime: fill.timestamp, entryPrice: first.entryPrice,
                              exitPrice: fill.price, commission: entryCommission + commissionPerUnit * closing,
                              exitReason: fill.reason)
            cash += sign * closing * (fill.price - first.entryPrice)
            closedTrades.append(trade)
            if closing == abs(first.size) {
                openTrades.removeFirst()
            } else {
                openTrades[0].size -= sign * closing
                openTrades[0].entryCommission -= entryCommission
            }
            remaining += sign * closing
            position -= sign * closing
        }
        if remaining != 0 {
            openTrades.append(OpenTrade(size: remaining, entryPrice: fill.price, entryBar: fill.barIndex,
                                        entryTime: fill.timestamp, entryCommission: commissionPerUnit * abs(remaining)))
            position += remaining
        }
    }

    /// Records open lots as trades closed at `price` without booking them (for reports of runs that
    /// end with positions open, marked `.stillOpen`).
    public func markedOpenTrades(at price: Double, bar: Int, time: Timestamp) -> [Trade] {
        openTrades.map {
            Trade(size: $0.size, entryBar: $0.entryBar, exitBar: bar, entryTime: $0.entryTime, exitTime: time,
                  entryPrice: $0.entryPrice, exitPrice: price, commission: $0.entryCommission, exitReason: .stillOpen)
        }
    }
}
