public import Foundation
public import TraderCore

/// An order as the live and paper runtimes keep it: its latest state. Every state it passes
/// through is also kept, as an `OrderStateChange`.
public struct StoredOrder: Sendable, Equatable {
    /// The client order id (what the broker echoes back), generated before the order is sent.
    public var id: UUID
    /// The bot (or account) the order belongs to.
    public var botID: String
    public var symbol: String
    public var side: OrderSide
    /// `market`, `limit`, `stop`, ... (`OrderType.name`).
    public var type: String
    public var quantity: Double
    public var limitPrice: Double?
    public var stopPrice: Double?
    public var status: OrderStatus
    public var filledQuantity: Double
    public var averageFillPrice: Double?
    /// The broker's own id, once it has acknowledged the order.
    public var brokerOrderID: String?
    /// Nanoseconds since 1970.
    public var createdAt: Int64
    /// When `status` last changed (nanoseconds since 1970): part of the state change's key.
    public var updatedAt: Int64

    public init(id: UUID = UUID(), botID: String, symbol: String, side: OrderSide, type: String, quantity: Double,
                limitPrice: Double? = nil, stopPrice: Double? = nil, status: OrderStatus, filledQuantity: Double = 0,
                averageFillPrice: Double? = nil, brokerOrderID: String? = nil, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.botID = botID
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.stopPrice = stopPrice
        self.status = status
        self.filledQuantity = filledQuantity
        self.averageFillPrice = averageFillPrice
        self.brokerOrderID = brokerOrderID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Filled, cancelled, rejected and expired orders change no more.
    public var isTerminal: Bool { [.filled, .cancelled, .rejected, .expired].contains(status) }
}

/// One state an order passed through, oldest first in `orderHistory`.
public struct OrderStateChange: Sendable, Equatable {
    public var at: Int64
    public var status: OrderStatus
    public var filledQuantity: Double
    /// Free text from the runtime or the broker (a reject reason, a cancel source).
    public var detail: String

    public init(at: Int64, status: OrderStatus, filledQuantity: Double, detail: String) {
        self.at = at
        self.status = status
        self.filledQuantity = filledQuantity
        self.detail = detail
    }
}

/// An execution of (part of) an order.
public struct StoredFill: Sendable, Equatable {
    /// The execution id (the broker's, mapped to a UUID, or generated): stored once.
    public var id: UUID
    public var orderID: UUID
    public var botID: String
    public var symbol: String
    public var at: Int64
    /// Signed units: positive bought, negative sold.
    public var quantity: Double
    public var price: Double
    public var commission: Double

    public init(id: UUID = UUID(), orderID: UUID, botID: String, symbol: String, at: Int64, quantity: Double, price: Double, commission: Double) {
        self.id = id
        self.orderID = orderID
        self.botID = botID
        self.symbol = symbol
        self.at = at
        self.quantity = quantity
        self.price = price
        self.commission = commission
    }
}

/// A bot's position in one symbol.
public struct StoredPosition: Sendable, Equatable {
    public var symbol: String
    /// Signed units: positive long, negative short.
    public var quantity: Double
    public var averagePrice: Double
    public var realizedPnL: Double
    public var updatedAt: Int64

    public init(symbol: String, quantity: Double, averagePrice: Double, realizedPnL: Double, updatedAt: Int64) {
        self.symbol = symbol
        self.quantity = quantity
        self.averagePrice = averagePrice
        self.realizedPnL = realizedPnL
        self.updatedAt = updatedAt
    }
}

/// A snapshot of a bot's state (its own serialization, typically JSON) to resume from after a
/// restart.
public struct StoredCheckpoint: Sendable, Equatable {
    public var sequence: Int64
    public var id: UUID
    public var botID: String
    public var createdAt: Int64
    public var state: String

    public init(sequence: Int64, id: UUID, botID: String, createdAt: Int64, state: String) {
        self.sequence = sequence
        self.id = id
        self.botID = botID
        self.createdAt = createdAt
        self.state = state
    }
}

/// A series kept in the database's bar archive.
public struct ArchivedSeries: Sendable, Equatable {
    public var symbol: String
    public var timeframe: String
    public var count: Int
    public var first: Int64
    public var last: Int64

    public init(symbol: String, timeframe: String, count: Int, first: Int64, last: Int64) {
        self.symbol = symbol
        self.timeframe = timeframe
        self.count = count
        self.first = first
        self.last = last
    }
}

/// Checks both backends apply before writing trading state.
enum TradingValidation {
    static func check(_ order: StoredOrder) throws {
        if order.botID.isEmpty { throw StoreError.invalid(field: "order.botID", reason: "is empty") }
        if order.symbol.isEmpty { throw StoreError.invalid(field: "order.symbol", reason: "is empty") }
        if order.type.isEmpty { throw StoreError.invalid(field: "order.type", reason: "is empty") }
        guard order.quantity.isFinite, order.quantity > 0 else { throw StoreError.invalid(field: "order.quantity", reason: "must be a positive number") }
        guard order.filledQuantity.isFinite, order.filledQuantity >= 0, order.filledQuantity <= order.quantity * (1 + 1e-9) else {
            throw StoreError.invalid(field: "order.filledQuantity", reason: "must be between 0 and the order's quantity")
        }
    }

    static func check(_ fill: StoredFill) throws {
        guard fill.quantity.isFinite, fill.quantity != 0 else { throw StoreError.invalid(field: "fill.quantity", reason: "must be a non-zero number") }
        guard fill.price.isFinite, fill.price > 0 else { throw StoreError.invalid(field: "fill.price", reason: "must be a positive number") }
        guard fill.commission.isFinite else { throw StoreError.invalid(field: "fill.commission", reason: "must be a number") }
    }

    static func check(_ entry: JournalEntry) throws {
        if entry.botID.isEmpty { throw StoreError.invalid(field: "journal.botID", reason: "is empty") }
        for (order, _) in entry.orders {
            try check(order)
            if order.botID != entry.botID { throw StoreError.invalid(field: "journal.orders", reason: "order \(order.id) is of bot '\(order.botID)'") }
        }
        for fill in entry.fills {
            try check(fill)
            if fill.botID != entry.botID { throw StoreError.invalid(field: "journal.fills", reason: "fill \(fill.id) is of bot '\(fill.botID)'") }
        }
        for p in entry.positions ?? [] { try check(p) }
        if let packed = entry.packed {
            guard packed.first >= 0, packed.firstFill >= 0 else { throw StoreError.invalid(field: "journal.packed.first", reason: "must not be negative") }
            if packed.symbol.isEmpty { throw StoreError.invalid(field: "journal.packed.symbol", reason: "is empty") }
            for (i, e) in packed.events.enumerated() { try check(e, field: "journal.packed.events[\(i)]") }
            for (i, e) in packed.open.enumerated() { try check(e, field: "journal.packed.open[\(i)]") }
        }
    }

    static func check(_ e: OrderEvent, field: String) throws {
        guard e.quantity.isFinite, e.quantity > 0 else { throw StoreError.invalid(field: field + ".quantity", reason: "must be a positive number") }
        guard e.filledQuantity.isFinite, e.filledQuantity >= 0, e.filledQuantity <= e.quantity * (1 + 1e-9) else {
            throw StoreError.invalid(field: field + ".filledQuantity", reason: "must be between 0 and the order's quantity")
        }
        if e.type.isEmpty { throw StoreError.invalid(field: field + ".type", reason: "is empty") }
        if let x = e.execution {
            guard x.quantity.isFinite, x.quantity != 0 else { throw StoreError.invalid(field: field + ".execution.quantity", reason: "must be a non-zero number") }
            guard x.price.isFinite, x.price > 0 else { throw StoreError.invalid(field: field + ".execution.price", reason: "must be a positive number") }
            guard x.commission.isFinite else { throw StoreError.invalid(field: field + ".execution.commission", reason: "must be a number") }
        }
    }

    static func check(_ position: StoredPosition) throws {
        if position.symbol.isEmpty { throw StoreError.invalid(field: "position.symbol", reason: "is empty") }
        guard position.quantity.isFinite, position.averagePrice.isFinite, position.realizedPnL.isFinite else {
            throw StoreError.invalid(field: "position \(position.symbol)", reason: "quantity, price and P&L must be numbers")
        }
    }
}
