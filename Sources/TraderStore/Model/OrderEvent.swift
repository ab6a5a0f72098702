public import TraderCore

/// One step in the life of a session's order: accepted, replaced, (partly) filled, cancelled or
/// rejected, with the order's state after it and, for a fill, the execution.
///
/// What a session journals. A paper session's events are kept packed (`JournalChunks`): a
/// replay makes tens of thousands of orders a second, and a row per order, state and fill costs
/// SQLite more than the whole session. The records the store serves (`StoredOrder`,
/// `OrderStateChange`, `StoredFill`) are derived from events here, for packed and row-form
/// journals alike, so both read the same.
public struct OrderEvent: Sendable, Equatable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        case accepted = 0, replaced, partiallyFilled, filled, cancelled, rejected
    }

    /// An execution: signed units (positive bought), at a price, with its commission.
    public struct Execution: Sendable, Equatable {
        public var at: Int64
        public var quantity: Double
        public var price: Double
        public var commission: Double

        public init(at: Int64, quantity: Double, price: Double, commission: Double) {
            self.at = at
            self.quantity = quantity
            self.price = price
            self.commission = commission
        }
    }

    public var kind: Kind
    /// The kernel's order number: the record's id, fill ids and broker id derive from it
    /// (`OrderIdentity`).
    public var number: Int
    public var side: OrderSide
    /// `OrderType.name`.
    public var type: String
    public var quantity: Double
    public var limitPrice: Double?
    public var stopPrice: Double?
    public var filledQuantity: Double
    public var averageFillPrice: Double?
    /// Nanoseconds since 1970.
    public var createdAt: Int64
    /// When the order reached this state (its `updatedAt`).
    public var at: Int64
    /// Why: the fill's reason (`ExitReason`), the cancel or reject reason; empty otherwise.
    public var reason: String
    /// The execution of a `partiallyFilled` or `filled` event.
    public var execution: Execution?

    public init(kind: Kind, number: Int, side: OrderSide, type: String, quantity: Double, limitPrice: Double? = nil,
                stopPrice: Double? = nil, filledQuantity: Double = 0, averageFillPrice: Double? = nil, createdAt: Int64, at: Int64,
                reason: String = "", execution: Execution? = nil) {
        self.kind = kind
        self.number = number
        self.side = side
        self.type = type
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.stopPrice = stopPrice
        self.filledQuantity = filledQuantity
        self.averageFillPrice = averageFillPrice
        self.createdAt = createdAt
        self.at = at
        self.reason = reason
        self.execution = execution
    }

    public var status: OrderStatus {
        switch kind {
        case .accepted, .replaced: .accepted
        case .partiallyFilled: .partiallyFilled
        case .filled: .filled
        case .cancelled: .cancelled
        case .rejected: .rejected
        }
    }

    /// The state change's text, as `orderHistory` shows it.
    public var detail: String {
        switch kind {
        case .accepted: "accepted by the paper broker"
        case .replaced: "replaced"
        case .partiallyFilled: "partially filled (\(reason))"
        case .filled: "filled (\(reason))"
        case .cancelled, .rejected: reason
        }
    }

    /// The order's record after this event, in the session `identity` of `botID`.
    public func order(_ identity: OrderIdentity, symbol: String) -> StoredOrder {
        StoredOrder(id: identity.order(number), botID: identity.bot, symbol: symbol, side: side, type: type, quantity: quantity,
                    limitPrice: limitPrice, stopPrice: stopPrice, status: status, filledQuantity: filledQuantity,
                    averageFillPrice: averageFillPrice, brokerOrderID: identity.paperBrokerID(number), createdAt: createdAt, updatedAt: at)
    }

    public var stateChange: OrderStateChange {
        OrderStateChange(at: at, status: status, filledQuantity: filledQuantity, detail: detail)
    }

    /// The fill records of `events`' executions, numbered on from `firstFill` (the session's
    /// number of the first of them): how every journal, packed or not, numbers its fills.
    public static func fills(_ events: some Sequence<OrderEvent>, _ identity: OrderIdentity, symbol: String, firstFill: Int) -> [StoredFill] {
        var fills: [StoredFill] = []
        for e in events {
            guard let fill = e.fill(identity, symbol: symbol, sequence: firstFill + fills.count) else { continue }
            fills.append(fill)
        }
        return fills
    }

    /// The execution as a fill record: the session's fill number `sequence`.
    public func fill(_ identity: OrderIdentity, symbol: String, sequence: Int) -> StoredFill? {
        execution.map {
            StoredFill(id: identity.fill(sequence), orderID: identity.order(number), botID: identity.bot, symbol: symbol, at: $0.at,
                       quantity: $0.quantity, price: $0.price, commission: $0.commission)
        }
    }
}

/// A session's events since its journal last wrote, packed in one chunk by the store, with the
/// orders still open after them (kept as rows too, so open orders are one indexed query).
public struct PackedOrderEvents: Sendable {
    public var session: Int64
    public var symbol: String
    /// The session's number of `events[0]` (events are numbered from 0 in each session), and
    /// the fill number of the first execution among them.
    public var first: Int
    public var firstFill: Int
    public var events: [OrderEvent]
    /// The newest state of the orders opened or changed since the last write that are still open.
    public var open: [OrderEvent]
    /// Orders of the session written as open rows before that are not open any more (their
    /// rows go; the chunks keep them).
    public var closed: [Int]

    public init(session: Int64, symbol: String, first: Int, firstFill: Int, events: [OrderEvent], open: [OrderEvent] = [], closed: [Int] = []) {
        self.session = session
        self.symbol = symbol
        self.first = first
        self.firstFill = firstFill
        self.events = events
        self.open = open
        self.closed = closed
    }
}

/// Where a session's packed journal stands in the store: what a resumed session skips while it
/// re-derives its history, and which of its orders have open rows.
public struct JournalPosition: Sendable, Equatable {
    /// Events stored (the session's next event number) and executions among them.
    public var events: Int
    public var fills: Int
    /// Kernel numbers of the session's orders stored as open rows.
    public var openOrders: [Int]

    public init(events: Int, fills: Int, openOrders: [Int]) {
        self.events = events
        self.fills = fills
        self.openOrders = openOrders
    }
}

/// Every order and fill of one session of a bot, packed or not.
public struct SessionRecords: Sendable, Equatable {
    /// Newest state of each order, oldest first (by creation, then id).
    public var orders: [StoredOrder]
    /// Oldest first.
    public var fills: [StoredFill]

    public init(orders: [StoredOrder], fills: [StoredFill]) {
        self.orders = orders
        self.fills = fills
    }
}
