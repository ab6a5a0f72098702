/// A position lot that is still open: what was bought or sold short, when and at what price.
public struct OpenTrade: Hashable, Sendable {
    /// Signed units: positive long, negative short.
    public var size: Double
    public var entryPrice: Double
    public var entryBar: Int
    public var entryTime: Timestamp
    /// Commission paid on entry for the units still open.
    public var entryCommission: Double

    public init(size: Double, entryPrice: Double, entryBar: Int, entryTime: Timestamp, entryCommission: Double) {
        self.size = size
        self.entryPrice = entryPrice
        self.entryBar = entryBar
        self.entryTime = entryTime
        self.entryCommission = entryCommission
    }

    @inlinable public var isLong: Bool { size > 0 }

    /// Profit or loss if closed at `price`, before commissions.
    @inlinable public func grossPnL(at price: Double) -> Double { size * (price - entryPrice) }
}

/// A round trip: a lot opened and closed, with its result. The trade list of a report.
public struct Trade: Hashable, Sendable {
    /// Signed units: positive long, negative short.
    public var size: Double
    public var entryBar: Int
    public var exitBar: Int
    public var entryTime: Timestamp
    public var exitTime: Timestamp
    public var entryPrice: Double
    public var exitPrice: Double
    /// Entry plus exit commission.
    public var commission: Double
    /// Net profit: `size * (exit - entry) - commission`.
    public var pnl: Double
    /// Net return: `sign × (exit / entry − 1) − commission / (|size| × entry)` (backtesting.py's
    /// `pl_pct`).
    public var returnPct: Double
    public var exitReason: ExitReason

    public init(size: Double, entryBar: Int, exitBar: Int, entryTime: Timestamp, exitTime: Timestamp,
                entryPrice: Double, exitPrice: Double, commission: Double, exitReason: ExitReason) {
        self.size = size
        self.entryBar = entryBar
        self.exitBar = exitBar
        self.entryTime = entryTime
        self.exitTime = exitTime
        self.entryPrice = entryPrice
        self.exitPrice = exitPrice
        self.commission = commission
        self.pnl = size * (exitPrice - entryPrice) - commission
        self.returnPct = (size > 0 ? 1 : -1) * (exitPrice / entryPrice - 1) - commission / (abs(size) * entryPrice)
        self.exitReason = exitReason
    }

    @inlinable public var isLong: Bool { size > 0 }
    /// Time held.
    @inlinable public var duration: Duration64 { Duration64(nanos: exitTime.nanos - entryTime.nanos) }
}
