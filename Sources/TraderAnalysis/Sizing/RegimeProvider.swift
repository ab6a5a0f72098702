public import TraderCore

/// Tells the market regime bar by bar, for regime-adjusted sizing (and anything else that adapts
/// to the regime as a run goes). Fed every bar in order; must use nothing but the bars seen so far.
///
/// A protocol so the sizer does not care which model classifies: the threshold classifier of
/// `gpt-trader regime` (`ThresholdRegimeClassifier`) or a hidden Markov model's filter.
public protocol RegimeProvider: Sendable {
    /// Feeds the next bar; returns the regime as of its close, or nil while there is not enough
    /// history to tell.
    mutating func regime(after bar: Bar) -> Regime?
}

extension ThresholdRegimeClassifier: RegimeProvider {
    /// The classifier of `gpt-trader regime`, fed one bar at a time (O(1) per bar). Its windows
    /// count bars and its annualization assumes daily bars, as the regime command's do.
    public mutating func regime(after bar: Bar) -> Regime? { update(bar).regime }
}
