/// What a broker (or the runtime) reports about an order.
public enum OrderReport: Hashable, Sendable {
    /// Sent to the broker.
    case submitted
    /// The broker acknowledged the order under its own id.
    case accepted(brokerOrderID: String)
    /// A stop order's level traded.
    case triggered
    /// An execution: `quantity` units (positive) at `price`, under the broker's execution id,
    /// which makes a report delivered twice recognisable.
    case fill(executionID: String, quantity: Double, price: Double, commission: Double)
    case cancelled(reason: String)
    case rejected(reason: String)
    case expired
}

/// Why a report cannot apply to an order.
public enum OrderTransitionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The report would move the order backwards or out of a terminal state.
    case illegal(from: OrderStatus, to: OrderStatus)
    /// Fills would exceed the order's quantity.
    case overfill(ordered: Double, filled: Double)
    /// A fill of zero, negative or non-finite quantity, or at a non-finite or non-positive price.
    case invalidFill(String)

    public var description: String {
        switch self {
        case let .illegal(from, to): "an order that is \(from.rawValue) cannot become \(to.rawValue)"
        case let .overfill(ordered, filled): "fills of \(filled) units exceed the order's \(ordered)"
        case let .invalidFill(why): "invalid fill: \(why)"
        }
    }
}

/// One order's state as reports arrive: status, filled quantity, average price, the broker's id.
///
/// Venues deliver reports late, twice or out of order (a fill before the acknowledgement, the
/// same execution on the WebSocket and on reconciliation). `apply` therefore:
/// - ignores a report it has seen (an execution id already counted, the current status again);
/// - ignores a report that arrives after one that implies it (`accepted` after a fill);
/// - refuses what no order can do (`OrderStatus.canMove(to:)`, fills beyond the quantity).
public struct OrderLifecycle: Hashable, Sendable {
    public private(set) var quantity: Double
    public private(set) var status: OrderStatus = .new
    public private(set) var filledQuantity = 0.0
    /// Average price of the fills, by quantity (nil before the first fill).
    public private(set) var averageFillPrice: Double?
    public private(set) var commission = 0.0
    public private(set) var brokerOrderID: String?
    /// Why the order ended, for cancelled and rejected orders.
    public private(set) var reason: String?
    /// Execution ids counted so far.
    public private(set) var executions: Set<String> = []

    /// A new order for `quantity` units (positive).
    public init(quantity: Double) {
        precondition(quantity > 0 && quantity.isFinite, "an order's quantity is positive")
        self.quantity = quantity
    }

    /// Quantity not filled yet.
    public var remaining: Double { max(0, quantity - filledQuantity) }

    /// Changes the quantity of a working order (a replace at the venue): at least what has
    /// filled, and only while the order can still fill.
    public mutating func resize(to quantity: Double) throws(OrderTransitionError) {
        guard quantity > 0 && quantity.isFinite else { throw .invalidFill("quantity \(quantity)") }
        guard !status.isTerminal else { throw .illegal(from: status, to: status) }
        guard quantity >= filledQuantity * (1 - 1e-9) else { throw .overfill(ordered: quantity, filled: filledQuantity) }
        self.quantity = quantity
        if filledQuantity > 0 && filledQuantity >= quantity * (1 - 1e-9) { status = .filled }
    }

    /// Applies `report`. Returns whether anything changed (false for duplicates and for reports
    /// that an earlier one already implied); throws for reports no order may receive.
    @discardableResult
    public mutating func apply(_ report: OrderReport) throws(OrderTransitionError) -> Bool {
        switch report {
        case .submitted:
            // Any later state implies the order was sent.
            guard status == .new else { return false }
            return try move(to: .submitted)
        case let .accepted(id):
            let known = brokerOrderID == id
            brokerOrderID = brokerOrderID ?? id
            // Accepted after a fill or a trigger: the fill said more; keep the id only.
            if [.partiallyFilled, .triggered, .filled].contains(status) { return !known }
            return try move(to: .accepted) || !known
        case .triggered:
            if status == .partiallyFilled || status == .filled { return false }
            return try move(to: .triggered)
        case let .fill(execution, units, price, fee):
            guard units > 0 && units.isFinite else { throw .invalidFill("quantity \(units)") }
            guard price > 0 && price.isFinite else { throw .invalidFill("price \(price)") }
            guard fee.isFinite else { throw .invalidFill("commission \(fee)") }
            if executions.contains(execution) { return false }
            let total = filledQuantity + units
            // Tolerance for venues reporting decimal quantities that do not add up exactly.
            guard total <= quantity * (1 + 1e-9) else { throw .overfill(ordered: quantity, filled: total) }
            let next: OrderStatus = total >= quantity * (1 - 1e-9) ? .filled : .partiallyFilled
            guard (status == .partiallyFilled && next == .partiallyFilled) || status.canMove(to: next) else {
                throw .illegal(from: status, to: next)
            }
            averageFillPrice = ((averageFillPrice ?? 0) * filledQuantity + price * units) / total
            filledQuantity = total
            commission += fee
            executions.insert(execution)
            status = next
            return true
        case let .cancelled(why):
            if try move(to: .cancelled) { reason = why; return true }
            return false
        case let .rejected(why):
            if try move(to: .rejected) { reason = why; return true }
            return false
        case .expired:
            return try move(to: .expired)
        }
    }

    /// Moves to `next`; false when already there (a duplicate report).
    private mutating func move(to next: OrderStatus) throws(OrderTransitionError) -> Bool {
        if status == next { return false }
        guard status.canMove(to: next) else { throw .illegal(from: status, to: next) }
        status = next
        return true
    }
}
