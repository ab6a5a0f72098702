/// A trading strategy: fed one bar at a time, it answers with a `Signal` and may also submit
/// orders through the context.
///
/// Strategies see the current bar and nothing later; anything about the past they keep themselves,
/// in O(1) incremental indicators. The kernel is generic over the concrete strategy type, so calls
/// are specialized and inlined in the bar loop; implementations keep `onBar` free of allocation.
/// The same value runs in backtests, paper trading and live trading.
public protocol Strategy: Sendable {
    /// Bars needed before the strategy can emit a meaningful signal.
    var warmupBars: Int { get }

    /// Decides on `bar`, the newest bar; `context` carries the position and accepts orders.
    mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal

    /// How sure the strategy is of the signal its last `onBar` returned, in [0, 1].
    /// Confidence-adjusted position sizing scales entries by it; the kernel reads it only on bars
    /// with a signal. Strategies without a notion of confidence keep the default, 1.
    var signalConfidence: Double { get }
}

extension Strategy {
    /// Full confidence: the signal is all the strategy says.
    @inlinable public var signalConfidence: Double { 1 }
}

/// What a strategy may read and do while deciding on a bar.
///
/// A plain struct passed `inout`: reading the position costs nothing and order requests go to a
/// buffer whose capacity is reused bar after bar, so the bar loop does not allocate.
public struct StrategyContext: Sendable {
    /// Position of the bar being decided on, 0-based from the start of the run.
    @inlinable public var barIndex: Int { _barIndex }
    @usableFromInline var _barIndex: Int = 0
    /// Net signed units held.
    @inlinable public var position: Double { _position }
    @usableFromInline var _position: Double = 0
    /// Average entry price of the open lots, NaN when flat.
    ///
    /// Derived on demand from the cost basis, exactly as `Portfolio.averageEntryPrice`: most
    /// strategies never read it, and a division per bar in the kernel would be paid by all.
    @inlinable public var entryPrice: Double { _position == 0 ? .nan : _positionCost / _position }
    /// Σ size × entry price over the open lots.
    @usableFromInline var _positionCost: Double = 0
    /// Equity marked at this bar's close.
    @inlinable public var equity: Double { _equity }
    @usableFromInline var _equity: Double = 0
    /// Cash in the account.
    @inlinable public var cash: Double { _cash }
    @usableFromInline var _cash: Double = 0
    /// Orders the strategy submitted on this bar, executed by the broker from the next fill point.
    @inlinable public var orders: [Order] { _orders }
    @usableFromInline var _orders: [Order] = []
    /// Ids of working orders the strategy asked to cancel on this bar.
    @inlinable public var cancellations: [Int] { _cancellations }
    @usableFromInline var _cancellations: [Int] = []
    /// Working orders the strategy asked to replace on this bar: (id, new terms).
    @inlinable public var replacements: [(id: Int, order: Order)] { _replacements }
    @usableFromInline var _replacements: [(id: Int, order: Order)] = []
    /// Orders plus cancellations requested on this bar: one counter for the kernel to test per bar
    /// instead of two array counts.
    @usableFromInline var _requestCount = 0
    private var nextOrderId = 1

    public init() {
        _orders.reserveCapacity(4)
        _cancellations.reserveCapacity(4)
    }

    /// Submits an order; returns the id the broker will know it by.
    @discardableResult
    public mutating func submit(_ order: Order) -> Int {
        var o = order
        o.id = nextOrderId
        nextOrderId += 1
        _orders.append(o)
        _requestCount += 1
        return o.id
    }

    /// Asks the broker to cancel a working order.
    public mutating func cancel(orderId: Int) {
        _cancellations.append(orderId)
        _requestCount += 1
    }

    /// Asks the broker to replace a working order's terms (price, quantity, type), keeping its id
    /// and its place in the queue.
    public mutating func replace(orderId: Int, with order: Order) {
        _replacements.append((orderId, order))
        _requestCount += 1
    }

    /// Whether the strategy submitted, replaced or cancelled anything on this bar.
    @inlinable public var hasRequests: Bool { _requestCount != 0 }

    /// Updates the read-only view before a bar is handed to the strategy (called by the kernel).
    /// Takes the portfolio's raw running sums so that nothing is divided unless a strategy asks.
    @inlinable
    public mutating func prepare(barIndex: Int, portfolio: borrowing Portfolio, equity: Double) {
        _barIndex = barIndex
        _position = portfolio._position
        _positionCost = portfolio.sizeTimesEntry
        _equity = equity
        _cash = portfolio._cash
    }

    /// `prepare` for an account that is not one `Portfolio` (several instruments sharing cash):
    /// the instrument's net units and Σ size × entry price of its open lots, the account's cash
    /// and equity.
    @inlinable
    public mutating func prepare(barIndex: Int, position: Double, positionCost: Double, cash: Double, equity: Double) {
        _barIndex = barIndex
        _position = position
        _positionCost = positionCost
        _equity = equity
        _cash = cash
    }

    /// Empties the order and cancellation buffers, keeping their capacity (called by the kernel).
    @inlinable
    public mutating func clearRequests() {
        if !_orders.isEmpty { _orders.removeAll(keepingCapacity: true) }
        if !_cancellations.isEmpty { _cancellations.removeAll(keepingCapacity: true) }
        if !_replacements.isEmpty { _replacements.removeAll(keepingCapacity: true) }
        _requestCount = 0
    }
}
