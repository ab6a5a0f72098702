public import TraderCore

/// An order accepted by the simulated broker and not yet filled, with what the broker tracks
/// about it.
public struct WorkingOrder: Sendable {
    public var order: Order
    /// Why the order exists, reported on the fill (signal entries and exits, user orders).
    public var reason: ExitReason
    /// Calendar day of submission, for day orders.
    public var submittedDay: Int64
    /// Whether this order opens a position from a signal (then protective exits are attached).
    public var isSignalEntry: Bool

    public init(order: Order, reason: ExitReason, submittedDay: Int64, isSignalEntry: Bool) {
        self.order = order
        self.reason = reason
        self.submittedDay = submittedDay
        self.isSignalEntry = isSignalEntry
    }
}

/// The price range of a bar an order is matched against.
public struct PriceWindow: Sendable {
    public var open: Double
    public var high: Double
    public var low: Double
    /// The bar's volume, for `ExecutionSettings.volumeLimit` (infinite: not limited).
    public var volume: Double
    @inlinable public init(open: Double, high: Double, low: Double, volume: Double = .infinity) {
        self.open = open
        self.high = high
        self.low = low
        self.volume = volume
    }

    /// A single price (fills at a close).
    @inlinable public init(price: Double) { self.init(open: price, high: price, low: price) }
}

extension WorkingOrder {
    /// The raw fill price if the order executes within `window`, or nil. Updates trigger state
    /// (stop-limit) and trailing anchors as a side effect.
    ///
    /// Conventions, as in backtesting.py: a gap through a limit fills at the better open; a gap
    /// through a stop fills at the worse open; a stop-limit whose limit could have been touched
    /// before its stop in the same bar waits for the next bar; trailing stops are checked against
    /// the level before this bar's extreme is added (pessimistic).
    @inlinable
    mutating func matchPrice(in w: PriceWindow, positionSign: Double) -> Double? {
        let isBuy = order.side == .buy
        switch order.type {
        case .market:
            return w.open
        case let .limit(price), let .takeProfit(price):
            if isBuy { return w.low <= price ? min(w.open, price) : nil }
            return w.high >= price ? max(w.open, price) : nil
        case let .stop(price):
            if isBuy { return w.high >= price ? max(w.open, price) : nil }
            return w.low <= price ? min(w.open, price) : nil
        case let .stopLimit(stop, limit):
            if !order.triggered {
                let hit = isBuy ? w.high >= stop : w.low <= stop
                guard hit else { return nil }
                order.triggered = true
                let limitBeforeStop = isBuy ? limit <= stop : limit >= stop
                let limitHit = isBuy ? w.low <= limit : w.high >= limit
                if !limitHit || limitBeforeStop { return nil }
                return isBuy ? min(max(w.open, stop), limit) : max(min(w.open, stop), limit)
            }
            if isBuy { return w.low <= limit ? min(w.open, limit) : nil }
            return w.high >= limit ? max(w.open, limit) : nil
        case let .trailingStop(offset):
            // A sell trailing stop protects a long: the anchor is the highest price seen.
            let sign: Double = isBuy ? -1 : 1
            if order.trailAnchor.isNaN { order.trailAnchor = w.open }
            let level = offset.stopLevel(best: order.trailAnchor, sign: sign)
            let hit = isBuy ? w.high >= level : w.low <= level
            if hit { return isBuy ? max(w.open, level) : min(w.open, level) }
            order.trailAnchor = isBuy ? min(order.trailAnchor, w.low) : max(order.trailAnchor, w.high)
            return nil
        }
    }
}
