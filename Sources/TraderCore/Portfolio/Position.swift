/// A read-only snapshot of the net position in one instrument, marked at a price: what the
/// monitor, the API and reconciliation with a broker compare.
public struct Position: Hashable, Sendable {
    /// Net signed units: positive long, negative short, 0 flat.
    public var quantity: Double
    /// Size-weighted average entry price of the open lots, NaN when flat.
    public var averageEntryPrice: Double
    /// The price the snapshot is marked at.
    public var markPrice: Double
    /// Profit or loss of the open lots at `markPrice`, before exit commission.
    public var unrealizedPnL: Double

    public init(quantity: Double, averageEntryPrice: Double, markPrice: Double, unrealizedPnL: Double) {
        self.quantity = quantity
        self.averageEntryPrice = averageEntryPrice
        self.markPrice = markPrice
        self.unrealizedPnL = unrealizedPnL
    }

    public var isFlat: Bool { quantity == 0 }
    public var isLong: Bool { quantity > 0 }
    public var isShort: Bool { quantity < 0 }
}

extension Portfolio {
    /// The net position marked at `price`.
    public func position(markedAt price: Double) -> Position {
        var pnl = 0.0
        for lot in openTrades { pnl += lot.grossPnL(at: price) }
        return Position(quantity: position, averageEntryPrice: averageEntryPrice, markPrice: price, unrealizedPnL: pnl)
    }
}
