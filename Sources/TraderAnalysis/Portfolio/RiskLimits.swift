public import TraderCore

/// The risk limits of one capital tier, in percent (25 means 25 %) as they are written in the
/// profile files, so an error message quotes the number the user typed.
///
/// - `maxPositionPct`: the most one new position may cost, as a share of equity at its fill.
/// - `maxExposurePct`: the most all positions together may be worth (marked at the fill) after a
///   new entry, as a share of equity. At most 100: the portfolio never borrows, so cash stays
///   non-negative.
/// - `stopLossPct`: a protective stop this far below each entry's fill price (nil: none).
/// - `maxDailyLossPct`: when equity at a close has fallen this far below the previous day's last
///   close, no new positions are opened for the rest of that day (nil: no limit).
public struct RiskLimits: Hashable, Sendable {
    public let maxPositionPct: Double
    public let maxExposurePct: Double
    public let stopLossPct: Double?
    public let maxDailyLossPct: Double?

    /// Validates every limit; the error's field is the profile key (`max_position_pct`, ...).
    public init(maxPositionPct: Double, maxExposurePct: Double, stopLossPct: Double? = nil, maxDailyLossPct: Double? = nil) throws(DomainError) {
        guard maxPositionPct.isFinite, maxPositionPct > 0, maxPositionPct <= 100 else {
            throw .invalid(field: "max_position_pct", reason: "must be in (0, 100], got \(Self.text(maxPositionPct))")
        }
        guard maxExposurePct.isFinite, maxExposurePct > 0, maxExposurePct <= 100 else {
            throw .invalid(field: "max_exposure_pct", reason: "must be in (0, 100] (the portfolio does not borrow), got \(Self.text(maxExposurePct))")
        }
        guard maxPositionPct <= maxExposurePct else {
            throw .invalid(field: "max_position_pct", reason: "must be <= max_exposure_pct (\(Self.text(maxExposurePct))), got \(Self.text(maxPositionPct))")
        }
        if let s = stopLossPct, !(s.isFinite && s > 0 && s < 100) {
            throw .invalid(field: "stop_loss_pct", reason: "must be in (0, 100), got \(Self.text(s))")
        }
        if let d = maxDailyLossPct, !(d.isFinite && d > 0 && d <= 100) {
            throw .invalid(field: "max_daily_loss_pct", reason: "must be in (0, 100], got \(Self.text(d))")
        }
        self.maxPositionPct = maxPositionPct
        self.maxExposurePct = maxExposurePct
        self.stopLossPct = stopLossPct
        self.maxDailyLossPct = maxDailyLossPct
    }

    /// `maxPositionPct` as a fraction of equity.
    public var maxPositionFraction: Double { maxPositionPct / 100 }
    /// `maxExposurePct` as a fraction of equity.
    public var maxExposureFraction: Double { maxExposurePct / 100 }
    /// `stopLossPct` as a fraction of the entry price.
    public var stopLossFraction: Double? { stopLossPct.map { $0 / 100 } }
    /// `maxDailyLossPct` as a fraction of the previous day's equity.
    public var maxDailyLossFraction: Double? { maxDailyLossPct.map { $0 / 100 } }

    /// `25` rather than `25.0` in messages.
    static func text(_ v: Double) -> String {
        v.isFinite && v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
