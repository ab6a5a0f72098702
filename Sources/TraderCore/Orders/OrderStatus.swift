/// Where an order is in its life, from creation to one of the four terminal states.
///
/// The raw values are the words venues and the store use (Alpaca's, with `new` meaning created
/// here and not yet sent). Which state may follow which is `canMove(to:)`; `OrderLifecycle`
/// applies venue reports under those rules.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    /// Created by the runtime, not yet sent (its client order id is fixed already).
    case new
    /// Sent to the broker, not yet acknowledged.
    case submitted
    /// Acknowledged by the broker and working.
    case accepted
    /// A stop whose level traded: now working as a market or limit order.
    case triggered
    /// Part of the quantity filled, the rest working.
    case partiallyFilled = "partially_filled"
    case filled
    case cancelled
    case rejected
    case expired

    /// Filled, cancelled, rejected and expired orders change no more.
    @inlinable public var isTerminal: Bool {
        switch self {
        case .filled, .cancelled, .rejected, .expired: true
        default: false
        }
    }

    /// Whether an order in this state may move to `next`.
    ///
    /// Forward only, and lenient where venues legitimately skip steps: a fill or a reject may
    /// arrive before the acknowledgement (so `submitted` may go anywhere but `new`), an
    /// unacknowledged order may be cancelled, and a working order may still be rejected (Alpaca
    /// rejects accepted orders). Terminal states lead nowhere. Repeating the current state is not
    /// a move (`OrderLifecycle` treats a repeat as a duplicate report) except `partiallyFilled`,
    /// which repeats with every partial fill.
    public func canMove(to next: OrderStatus) -> Bool {
        switch (self, next) {
        case (.new, .submitted), (.new, .rejected), (.new, .cancelled):
            true
        case (.submitted, let n):
            n != .new && n != .submitted
        case (.accepted, let n):
            [.triggered, .partiallyFilled, .filled, .cancelled, .rejected, .expired].contains(n)
        case (.triggered, let n):
            [.partiallyFilled, .filled, .cancelled, .rejected, .expired].contains(n)
        case (.partiallyFilled, let n):
            [.partiallyFilled, .filled, .cancelled, .expired].contains(n)
        default:
            false
        }
    }
}
