/// Cash and open lots of one instrument, with margin-free accounting.
///
/// Opening a lot does not move its notional out of cash; cash changes only by commissions and by
/// realized profit when a lot closes, and equity is `cash + Σ size × (price − entry)`. This is the
/// accounting of backtesting.py with leverage 1, which makes equity curves directly comparable.
/// Lots close first-in first-out. The same type serves backtest, paper and live trading.
public struct Portfolio: Sendable {
    public private(set) var initialCash: Double
    @inlinable public var cash: Double { _cash }
    @usableFromInline var _cash: Double
    public private(set) var openTrades: [OpenTrade] = []
    public private(set) var closedTrades: [Trade] = []
    public private(set) var totalCommission: Double = 0
    /// Net signed units held: the sum of open lot sizes.
    @inlinable public var position: Double { _position }
    @usableFromInline var _position: Double = 0
    /// Σ size × entry price over open lots, kept so equity is O(1) per bar.
    @usableFromInline var sizeTimesEntry: Double = 0

    public init(cash: Double) throws(DomainError) {
        guard cash > 0, cash.isFinite else { throw .invalid(field: "capital", reason: "must be a positive amount, got \(cash)") }
        self.initialCash = cash
        self._cash = cash
        openTrades.reserveCapacity(8)
    }

    /// Removes and returns the closed trades recorded so far. A streaming backtest folds them into
    /// its statistics chunk by chunk, so memory does not grow with the number of trades.
    public mutating func takeClosedTrades() -> [Trade] {
        defer { closedTrades.removeAll(keepingCapacity: true) }
        return closedTrades
    }

    /// Equity if marked at `price`.
    /// Computed as `cash + (price × position − Σ size × entry)`, the same expression as
    /// backtesting.py's `equity`, so curves agree to the last bits.
    @inlinable public func equity(at price: Double) -> Double {
        _position == 0 ? cash : cash + (price * _position - sizeTimesEntry)
    }

    /// Σ size × entry price over the open lots (signed): what the open position cost. An account
    /// of several instruments adds it up to know its cash not tied up in positions.
    @inlinable public var positionCost: Double { sizeTimesEntry }

    /// Average entry price of the open lots, NaN when flat.
    public var averageEntryPrice: Double { _position == 0 ? .nan : sizeTimesEntry / _position }

    /// Sum of `|size| × entryPrice` over open lots: the capital tied up in positions.
    @inlinable public var openNotional: Double {
        var n = 0.0
        for t in openTrades { n += abs(t.size) * t.entryPrice }
        return n
    }

    /// Books a fill: pays its commission, closes opposite lots FIFO (realizing their profit) and
    /// opens a new lot with whatever quantity is left.
    public mutating func apply(_ fill: Fill) {
        _cash -= fill.commission
        totalCommission += fill.commission
        var remaining = fill.signedQuantity
        let commissionPerUnit = fill.quantity > 0 ? fill.commission / fill.quantity : 0
        /// The fill's commission for `units` of it: the whole commission, not `(c / q) × q` (which
        /// can be off by an ulp), when the units are the whole fill, so a trade opened and closed
        /// by single fills carries exactly the sum of their commissions, as backtesting.py's.
        func commission(for units: Double) -> Double { units == fill.quantity ? fill.commission : commissionPerUnit * units }
        while remaining != 0, let first = openTrades.first, (first.size > 0) != (remaining > 0) {
            let closing = min(abs(remaining), abs(first.size))
            let sign: Double = first.size > 0 ? 1 : -1
            let fraction = closing / abs(first.size)
            let entryCommission = first.entryCommission * fraction
            let trade = Trade(size: sign * closing, entryBar: first.entryBar, exitBar: fill.barIndex,
                              entryTime: first.entryTime, exitTime: fill.timestamp, entryPrice: first.entryPrice,
                              exitPrice: fill.price, commission: entryCommission + commission(for: closing),
                              exitReason: fill.reason)
            _cash += sign * closing * (fill.price - first.entryPrice)
            sizeTimesEntry -= sign * closing * first.entryPrice
            _position -= sign * closing
            closedTrades.append(trade)
            if closing == abs(first.size) {
                // Usually the only lot: removeLast is O(1) and keeps the capacity, where
                // removeFirst shifts through the general replaceSubrange path.
                if openTrades.count == 1 { openTrades.removeLast() } else { openTrades.removeFirst() }
                // Reset the running sums exactly when flat, so rounding never accumulates.
                if openTrades.isEmpty { sizeTimesEntry = 0; _position = 0 }
            } else {
                openTrades[0].size -= sign * closing
                openTrades[0].entryCommission -= entryCommission
            }
            remaining += sign * closing
        }
        if remaining != 0 {
            openTrades.append(OpenTrade(size: remaining, entryPrice: fill.price, entryBar: fill.barIndex,
                                        entryTime: fill.timestamp, entryCommission: commission(for: abs(remaining))))
            _position += remaining
            sizeTimesEntry += remaining * fill.price
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
