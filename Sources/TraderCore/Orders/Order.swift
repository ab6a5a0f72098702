/// Which way an order trades.
public enum OrderSide: Int8, Sendable, Codable, CustomStringConvertible {
    case buy = 1
    case sell = -1

    /// +1 for buy, -1 for sell: multiplies quantities into signed position changes.
    @inlinable public var sign: Double { Double(rawValue) }
    public var opposite: OrderSide { self == .buy ? .sell : .buy }
    public var description: String { self == .buy ? "buy" : "sell" }
}

/// How long an unfilled order stays working.
public enum TimeInForce: String, Sendable, Codable {
    /// Good till cancelled: works until filled or cancelled.
    case gtc
    /// Cancelled at the end of the trading day on which it was submitted.
    case day
}

/// The distance a trailing stop keeps from the best price seen since it was placed.
public enum TrailingOffset: Hashable, Sendable {
    /// A fraction of the best price, e.g. 0.05 for 5 %.
    case percent(Double)
    /// An absolute price distance.
    case absolute(Double)

    /// The stop level for a position of direction `sign` (+1 long, -1 short) given the best price.
    @inlinable public func stopLevel(best: Double, sign: Double) -> Double {
        switch self {
        case let .percent(p): best * (1 - sign * p)
        case let .absolute(d): best - sign * d
        }
    }
}

/// What triggers an order and at what price it may fill.
public enum OrderType: Hashable, Sendable {
    /// Fills at the next available price.
    case market
    /// Fills at `price` or better.
    case limit(price: Double)
    /// Becomes a market order once the price trades through `price`.
    case stop(price: Double)
    /// Becomes a limit order at `limit` once the price trades through `stop`.
    case stopLimit(stop: Double, limit: Double)
    /// A limit order that closes (part of) a position at a profit target.
    case takeProfit(price: Double)
    /// A stop whose level follows the best price since submission at a fixed offset.
    case trailingStop(offset: TrailingOffset)

    public var name: String {
        switch self {
        case .market: "market"
        case .limit: "limit"
        case .stop: "stop"
        case .stopLimit: "stop-limit"
        case .takeProfit: "take-profit"
        case .trailingStop: "trailing-stop"
        }
    }
}

/// How much an order is for.
public enum OrderQuantity: Hashable, Sendable {
    /// A number of units (shares, coins, contracts).
    case units(Double)
    /// A fraction of current equity, converted to units at fill time by the broker's sizing rule
    /// (whole or fractional units, commission included).
    case equityFraction(Double)
    /// The whole open position, whatever its size.
    case entirePosition
}

/// An instruction to trade, validated at construction.
public struct Order: Hashable, Sendable {
    public var id: Int
    public var side: OrderSide
    public var quantity: OrderQuantity
    public var type: OrderType
    public var timeInForce: TimeInForce
    /// True when the order may only shrink the position (exits, stop-losses, take-profits).
    public var reduceOnly: Bool
    public var submittedAt: Timestamp
    public var status: OrderStatus
    /// For stop-limit orders: whether the stop has triggered; for trailing stops: the best price
    /// seen so far (NaN until the first bar).
    public var triggered: Bool = false
    public var trailAnchor: Double = .nan

    public init(
        id: Int = 0, side: OrderSide, quantity: OrderQuantity, type: OrderType = .market,
        timeInForce: TimeInForce = .gtc, reduceOnly: Bool = false, submittedAt: Timestamp = Timestamp(nanos: 0)
    ) throws(DomainError) {
        switch quantity {
        case let .units(u) where !(u > 0 && u.isFinite):
            throw .invalid(field: "quantity", reason: "units must be a positive number, got \(u)")
        case let .equityFraction(f) where !(f > 0 && f <= 1):
            throw .invalid(field: "quantity", reason: "equity fraction must be in (0, 1], got \(f)")
        default: break
        }
        func positive(_ p: Double, _ field: String) throws(DomainError) {
            guard p > 0, p.isFinite else { throw .invalid(field: field, reason: "must be a positive price, got \(p)") }
        }
        switch type {
        case .market: break
        case let .limit(p), let .stop(p), let .takeProfit(p): try positive(p, "price")
        case let .stopLimit(s, l): try positive(s, "stop"); try positive(l, "limit")
        case let .trailingStop(.percent(p)):
            guard p > 0, p < 1 else { throw .invalid(field: "trail", reason: "percent must be in (0, 1), got \(p)") }
        case let .trailingStop(.absolute(d)): try positive(d, "trail")
        }
        self.id = id
        self.side = side
        self.quantity = quantity
        self.type = type
        self.timeInForce = timeInForce
        self.reduceOnly = reduceOnly
        self.submittedAt = submittedAt
        self.status = .submitted
    }
}
