/// What happens to a position still open after the last bar of a run.
///
/// Left open (the default, as backtesting.py's default), a position is marked in the equity
/// curve but is not a trade, so it counts in the return and drawdown and not in the trade
/// statistics. The two exits close it so that it counts everywhere. They are two conventions,
/// named after the price they use, and their results differ whenever a position is open at the
/// end: by the position times the last bar's open-to-close move, and by the commission on it.
public enum EndOfRunExit: String, Sendable, Codable, CaseIterable {
    /// Leave it open: marked at the last close, not counted as a trade.
    case none
    /// Close it at the last bar's close, after the strategy has decided on that bar
    /// (`--close-at-last-close`, also spelled `--close-at-end`). Orders still waiting are
    /// dropped. Walk-forward test windows use it unless told otherwise.
    case atLastClose = "last-close"
    /// Close it at the last bar's open, in one more broker pass over the last bar: backtesting.py's
    /// `finalize_trades=True` (`--close-at-last-open`). As there, the closes come first, then the
    /// orders the strategy placed on the last bar are matched in the same pass (a position they
    /// open stays open), and the last bar's equity is marked again after the pass. Needs fills at
    /// the next open: with fills at the close an entry of the last bar fills after that bar's open.
    case atLastOpen = "last-open"

    /// The option that selects this exit, for messages (nil for `none`).
    public var option: String? {
        switch self {
        case .none: nil
        case .atLastClose: "close-at-last-close"
        case .atLastOpen: "close-at-last-open"
        }
    }
}
