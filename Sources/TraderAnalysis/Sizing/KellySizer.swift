public import TraderCore
public import TraderEngine

/// Kelly sizing from the run's own closed trades: `f = p − (1 − p) / b`, with `p` the win rate and
/// `b` the average win over the average loss (both as trade returns), scaled by `multiplier`
/// (1 = full Kelly; fractional Kelly, 0.25 by default, gives up a little growth for much smaller
/// drawdowns, and forgives the estimation error of `p` and `b`).
///
/// Why the safeguards:
/// - `p` and `b` estimated from a handful of trades are noise, so until `minimumTrades` have
///   closed the rule uses `fallback`, a plain fraction;
/// - the formula goes negative when the edge is negative; a fraction cannot, so then the rule
///   answers `floor` — 0 (the default) takes no position, a small value keeps the strategy in the
///   market with a token size (so its statistics can recover).
public struct KellySizer: PositionSizer {
    /// The share of the Kelly fraction taken: 1 full Kelly, 0.25 quarter Kelly.
    public let multiplier: Double
    /// Closed trades needed before the formula is trusted.
    public let minimumTrades: Int
    /// Fraction used until `minimumTrades` trades have closed.
    public let fallback: Double
    /// Fraction used when the formula gives ≤ 0 (0: no position).
    public let floor: Double

    public init(multiplier: Double = 1, minimumTrades: Int = 20, fallback: Double, floor: Double = 0) throws(DomainError) {
        try requireFraction(multiplier, "kelly-fraction")
        try SizingConfiguration.Limits.minimumTrades.check(minimumTrades, field: "kelly-min-trades")
        try requireFraction(fallback, "size")
        try SizingConfiguration.Limits.kellyFloor.check(floor, field: "kelly-floor")
        self.multiplier = multiplier
        self.minimumTrades = minimumTrades
        self.fallback = fallback
        self.floor = floor
    }

    /// Kelly's fraction for win probability `p` and payoff ratio `b` (average win / average
    /// loss): `p − (1 − p) / b`. `b = +∞` (no losses) gives `p`; `b = 0` with any loss gives −∞.
    /// May be negative: the bet has a negative edge.
    public static func kellyFraction(winRate p: Double, payoffRatio b: Double) -> Double {
        let q = 1 - p
        return q == 0 ? p : p - q / b
    }

    public func fraction(for request: SizingRequest) -> Double {
        let trades = request.trades
        guard trades.count >= max(1, minimumTrades) else { return fallback }
        let f = Self.kellyFraction(winRate: trades.winRate, payoffRatio: trades.payoffRatio)
        return f > 0 ? multiplier * f : floor
    }

    public var summary: SizingSummary {
        SizingSummary(rule: multiplier == 1 ? "kelly" : "fractional-kelly", parameters: [
            .init("kelly_fraction", multiplier), .init("min_trades", Double(minimumTrades)), .init("fallback", fallback),
            .init("floor", floor),
        ])
    }
}
