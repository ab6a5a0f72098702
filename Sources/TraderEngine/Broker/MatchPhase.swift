public import TraderCore

/// Which of a bar's matches `Broker.process` does. A kernel does them all at once; an account
/// shared by several kernels does them in phases across its instruments, so that at one open every
/// exit frees its cash and position slot before any entry is sized, and intrabar protective exits
/// come after the fills at the open, as they do in time.
public enum MatchPhase: Sendable, Hashable {
    /// Everything, in order: working orders, then protective exits.
    case all
    /// Working orders that reduce or close the position.
    case exits
    /// Working orders that open or add to a position.
    case entries
    /// Stop-loss, take-profit and trailing stop of the open position.
    case protectiveExits
}

extension Order {
    /// Whether the order only reduces `position` (a close, a reduce-only order, or a trade
    /// against the position's side).
    @inlinable
    func reduces(_ position: Double) -> Bool {
        if reduceOnly { return true }
        if case .entirePosition = quantity { return true }
        return position != 0 && (position > 0) != (side == .buy)
    }
}
