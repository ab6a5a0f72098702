/// A closed trade as stored: the fields of `TraderCore.Trade` a report needs, with the exit
/// reason as its text (so the store does not break when a reason is added).
public struct StoredTrade: Sendable, Equatable {
    /// Signed units: positive long, negative short.
    public var size: Double
    public var entryTime: Int64
    public var exitTime: Int64
    public var entryPrice: Double
    public var exitPrice: Double
    public var commission: Double
    public var pnl: Double
    public var returnPct: Double
    public var exitReason: String

    public init(size: Double, entryTime: Int64, exitTime: Int64, entryPrice: Double, exitPrice: Double,
                commission: Double, pnl: Double, returnPct: Double, exitReason: String) {
        self.size = size
        self.entryTime = entryTime
        self.exitTime = exitTime
        self.entryPrice = entryPrice
        self.exitPrice = exitPrice
        self.commission = commission
        self.pnl = pnl
        self.returnPct = returnPct
        self.exitReason = exitReason
    }
}
