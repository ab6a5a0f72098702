public import TraderCore

/// How reluctant the tier is to change: equity must clear a tier boundary by `bufferPct` percent
/// (above it to move up, below it to move down), and optionally the portfolio must have spent
/// `minDaysInTier` calendar days in its tier first.
///
/// Without a buffer, equity wobbling around 10,000 would switch between small and medium rules on
/// every bar — opening positions under one limit and being over the other — so the rules would be
/// set by noise.
public struct TierHysteresis: Hashable, Sendable {
    /// Percent beyond a boundary needed to cross it (5 means 5 %).
    public let bufferPct: Double
    /// Calendar days to stay in a tier before it may change again (0: no minimum).
    public let minDaysInTier: Int

    /// bot_v2's default: a 5 % buffer and no minimum stay.
    public static let standard = try! TierHysteresis(bufferPct: 5, minDaysInTier: 0)

    /// Validates; the error's field is the profile key.
    public init(bufferPct: Double = 5, minDaysInTier: Int = 0) throws(DomainError) {
        guard bufferPct.isFinite, bufferPct >= 0, bufferPct < 50 else {
            throw .invalid(field: "buffer_pct", reason: "must be in [0, 50), got \(RiskLimits.text(bufferPct))")
        }
        guard minDaysInTier >= 0 else { throw .invalid(field: "min_days_in_tier", reason: "must be >= 0, got \(minDaysInTier)") }
        self.bufferPct = bufferPct
        self.minDaysInTier = minDaysInTier
    }

    /// `bufferPct` as a fraction.
    public var buffer: Double { bufferPct / 100 }

    /// The tier to move to from `current` at `equity`, ignoring the minimum stay; `current` when
    /// equity is inside the buffered band.
    ///
    /// Up: the highest tier above `current` whose lower bound × (1 + buffer) is at most `equity`.
    /// Down: when `equity` is below `current`'s lower bound × (1 − buffer), the highest tier below
    /// whose own lower bound × (1 − buffer) is still at most `equity` (so a fall from medium to
    /// 2,450 stops at small: 2,450 is not below 2,500 × 0.95). With a zero buffer the result is
    /// `CapitalTier.tier(for: equity)`.
    public func target(from current: CapitalTier, equity: Double) -> CapitalTier {
        let b = buffer
        var up = current
        for t in CapitalTier.allCases where t > current && equity >= t.lowerBound * (1 + b) { up = t }
        if up != current { return up }
        guard equity < current.lowerBound * (1 - b) else { return current }
        var down = CapitalTier.micro
        for t in CapitalTier.allCases where t < current && equity >= t.lowerBound * (1 - b) { down = t }
        return down
    }
}
