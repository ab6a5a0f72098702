public import TraderCore

/// A change of capital tier, reported by `TierTracker`.
public struct TierChange: Hashable, Sendable {
    /// When the change happened: the time of the equity observation that caused it.
    public let time: Timestamp
    public let from: CapitalTier
    public let to: CapitalTier
    /// The equity that caused it.
    public let equity: Double

    public init(time: Timestamp, from: CapitalTier, to: CapitalTier, equity: Double) {
        self.time = time
        self.from = from
        self.to = to
        self.equity = equity
    }
}

/// Follows equity over time and says which tier's rules apply, with hysteresis (see
/// `TierHysteresis`), so that a portfolio hovering at a boundary keeps one set of rules.
///
/// The starting tier is the plain tier of the starting equity (no buffer: there is nothing to be
/// reluctant about yet). Each `update` may move the tier by several steps at once (a large gain
/// or loss), and reports the move as one change. With a minimum stay, a move that is due but
/// early waits: it happens at the first update on which it is still due and the stay is long
/// enough.
public struct TierTracker: Sendable {
    public let hysteresis: TierHysteresis
    /// The tier whose rules apply now.
    public private(set) var tier: CapitalTier
    /// The calendar day (days since the epoch) the current tier was entered; nil until the first
    /// update when no start time was given.
    public private(set) var enteredDay: Int64?
    /// Every change so far, in order.
    public private(set) var changes: [TierChange] = []

    public init(initialEquity: Double, hysteresis: TierHysteresis = .standard, start: Timestamp? = nil) {
        self.hysteresis = hysteresis
        self.tier = CapitalTier.tier(for: initialEquity)
        self.enteredDay = start?.epochDay
    }

    /// Feeds the equity observed at `time`; returns the change it caused, if any.
    @discardableResult
    public mutating func update(equity: Double, at time: Timestamp) -> TierChange? {
        if enteredDay == nil { enteredDay = time.epochDay }
        let target = hysteresis.target(from: tier, equity: equity)
        guard target != tier else { return nil }
        let day = time.epochDay
        if hysteresis.minDaysInTier > 0, let entered = enteredDay, day - entered < Int64(hysteresis.minDaysInTier) { return nil }
        let change = TierChange(time: time, from: tier, to: target, equity: equity)
        tier = target
        enteredDay = day
        changes.append(change)
        return change
    }
}
