/// An execution: part or all of an order traded at one price.
public struct Fill: Hashable, Sendable {
    public var orderId: Int
    public var barIndex: Int
    public var timestamp: Timestamp
    public var side: OrderSide
    /// Units traded, always positive; `side` gives the direction.
    public var quantity: Double
    /// Price paid or received per unit, after spread and slippage.
    public var price: Double
    /// Commission charged for this fill, in account currency.
    public var commission: Double
    /// Why the fill happened (signal, stop-loss, ...), for trade reports.
    public var reason: ExitReason

    public init(orderId: Int, barIndex: Int, timestamp: Timestamp, side: OrderSide, quantity: Double,
                price: Double, commission: Double, reason: ExitReason = .signal) {
        self.orderId = orderId
        self.barIndex = barIndex
        self.timestamp = timestamp
        self.side = side
        self.quantity = quantity
        self.price = price
        self.commission = commission
        self.reason = reason
    }

    /// Signed change in position: +quantity for buys, -quantity for sells.
    @inlinable public var signedQuantity: Double { side.sign * quantity }
}

/// Why a position (or part of one) was closed.
public enum ExitReason: String, Sendable, Codable, CaseIterable {
    case signal
    case stopLoss = "stop-loss"
    case takeProfit = "take-profit"
    case trailingStop = "trailing-stop"
    case order
    case endOfData = "end-of-data"
    case stillOpen = "open"
}
