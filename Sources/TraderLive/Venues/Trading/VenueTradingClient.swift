public import Foundation
public import TraderCore

/// What a venue's trading API does for a bot, whatever its wire format: the seam between the
/// order router and Alpaca's or Coinbase's REST API (each an adapter behind it).
///
/// Every order carries a client order id the runtime derived (`OrderRouter`): a submit retried
/// after a timeout reaches the venue with the same id, which the venue refuses to take twice, so
/// `submit` answers `.duplicate` and the router looks the order up instead of placing another.
public protocol VenueTradingClient: VenueClient {
    /// The venue's name in messages ("alpaca", "coinbase").
    var venue: String { get }
    /// Whether the venue answers and accepts the credentials: the account's status.
    func health() async throws -> VenueAccount
    /// Places `request`. Throws `VenueOrderRefusal` when the venue refuses it.
    func submit(_ request: VenueOrderRequest) async throws -> VenueOrder
    /// The order placed under `clientOrderID`, or nil when the venue has none.
    func order(clientOrderID: String) async throws -> VenueOrder?
    /// Orders still working for `symbol`.
    func openOrders(symbol: String) async throws -> [VenueOrder]
    /// Asks the venue to cancel the order it knows as `venueOrderID`; whether it still could.
    func cancel(venueOrderID: String) async throws -> Bool
    /// Net signed units of `symbol` the account holds (0 when none).
    func position(symbol: String) async throws -> Double
    /// Replaces the terms of the working order the venue knows as `venueOrderID` by `request`
    /// (its total units, of which `filled` have filled; its price and time in force) and returns
    /// the order now working: a new one under `request.clientOrderID` where the venue replaces
    /// by a new order (Alpaca), the same one edited where it edits in place (Coinbase). Throws
    /// `VenueOrderRefusal.rejected` when the venue will not replace it (filled meanwhile, a type
    /// it cannot edit, a state it cannot edit in yet).
    func replace(venueOrderID: String, with request: VenueOrderRequest, filled: Double) async throws -> VenueOrder
}

/// An order as the router sends it: units already sized, the runtime's client order id.
public struct VenueOrderRequest: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case market
        case limit(Double)
        case stop(Double)
        case stopLimit(stop: Double, limit: Double)
        /// A trailing stop `percent` (0.05 for 5 %) or `price` (absolute) from the best price.
        case trailingStop(percent: Double?, price: Double?)

        /// Whether both are the same type of order (a venue replaces terms, never the type).
        public func isSameType(as other: Kind) -> Bool {
            switch (self, other) {
            case (.market, .market), (.limit, .limit), (.stop, .stop), (.stopLimit, .stopLimit), (.trailingStop, .trailingStop): true
            default: false
            }
        }
    }

    public var clientOrderID: String
    public var symbol: String
    public var side: OrderSide
    public var quantity: Double
    public var kind: Kind
    public var timeInForce: TimeInForce

    public init(clientOrderID: String, symbol: String, side: OrderSide, quantity: Double, kind: Kind, timeInForce: TimeInForce) {
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.kind = kind
        self.timeInForce = timeInForce
    }

    /// The venue kind for a kernel order type.
    public static func kind(of type: OrderType) -> Kind {
        switch type {
        case .market: .market
        case let .limit(p), let .takeProfit(p): .limit(p)
        case let .stop(p): .stop(p)
        case let .stopLimit(stop, limit): .stopLimit(stop: stop, limit: limit)
        case let .trailingStop(.percent(p)): .trailingStop(percent: p, price: nil)
        case let .trailingStop(.absolute(d)): .trailingStop(percent: nil, price: d)
        }
    }
}

/// An order as the venue reports it.
public struct VenueOrder: Sendable, Equatable {
    public var venueOrderID: String
    public var clientOrderID: String
    public var symbol: String
    public var side: OrderSide
    public var quantity: Double
    public var filledQuantity: Double
    /// Average price of the fills so far (nil before the first).
    public var averageFillPrice: Double?
    /// Fees charged so far (0 where the venue charges none).
    public var commission: Double
    public var status: OrderStatus
    /// Why the venue cancelled or rejected it, when it says.
    public var reason: String?

    public init(venueOrderID: String, clientOrderID: String, symbol: String, side: OrderSide, quantity: Double,
                filledQuantity: Double, averageFillPrice: Double?, commission: Double = 0, status: OrderStatus, reason: String? = nil) {
        self.venueOrderID = venueOrderID
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.filledQuantity = filledQuantity
        self.averageFillPrice = averageFillPrice
        self.commission = commission
        self.status = status
        self.reason = reason
    }
}

/// The account as a venue reports it.
public struct VenueAccount: Sendable, Equatable {
    /// The venue's word for the account's state ("ACTIVE").
    public var status: String
    public var cash: Double
    public var equity: Double

    public init(status: String, cash: Double, equity: Double) {
        self.status = status
        self.cash = cash
        self.equity = equity
    }
}

/// The venue refused an order: nothing was placed.
public enum VenueOrderRefusal: Error, Equatable, CustomStringConvertible {
    /// An order with this client order id exists already (a retried submit): look it up.
    case duplicate(clientOrderID: String)
    /// Refused for `reason` (insufficient buying power, an unknown symbol, ...).
    case rejected(reason: String)

    public var description: String {
        switch self {
        case let .duplicate(id): "an order with client order id \(id) exists already"
        case let .rejected(reason): "refused: \(reason)"
        }
    }
}
