public import TraderCore
public import TraderEngine

/// Caps on what any sizing rule may commit, applied after the rule: a rule estimates (Kelly from
/// a few trades, volatility targeting in a dead-calm market) and can ask for far too much; the
/// limits are the risk manager's say.
///
/// They are the engine's own position and exposure rules (`MaxPositionFraction`,
/// `MaxExposureFraction`), asked in fractions of equity before the order exists, where the broker
/// asks them in money at the fill: one definition of each cap, at both moments.
public struct SizingLimits: Hashable, Sendable {
    public let position: MaxPositionFraction
    public let exposure: MaxExposureFraction

    public init(maxPosition: Double = 1, maxExposure: Double = 1) throws(DomainError) {
        try requireFraction(maxPosition, "max-position")
        try requireFraction(maxExposure, "max-exposure")
        self.position = MaxPositionFraction(maxPosition)
        self.exposure = MaxExposureFraction(maxExposure)
    }

    /// Largest fraction of equity one position may take, in (0, 1].
    public var maxPosition: Double { position.fraction }
    /// Largest fraction of equity all open positions together may take, in (0, 1]; an entry gets
    /// at most what the others (`SizingRequest.exposure`) leave.
    public var maxExposure: Double { exposure.fraction }

    /// `fraction` within the limits: in (0, 1], or 0 (no position) when the rule asked for
    /// nothing (≤ 0 or NaN) or no room is left under the exposure cap. Entries are sized while
    /// flat, so the position's own room is the whole cap.
    public func clamp(_ fraction: Double, exposure held: Double) -> Double {
        guard fraction > 0 else { return 0 }
        let f = min(fraction, position.room(equity: 1, held: 0), exposure.room(equity: 1, exposure: max(0, held)), 1)
        return f > 0 ? f : 0
    }
}

/// A sizing rule with `SizingLimits` applied to each answer. What `SizingConfiguration` builds.
public struct LimitedSizer<Rule: PositionSizer>: PositionSizer {
    public private(set) var rule: Rule
    public let limits: SizingLimits

    public init(_ rule: Rule, limits: SizingLimits) {
        self.rule = rule
        self.limits = limits
    }

    public var observesBars: Bool { rule.observesBars }

    public mutating func observe(_ bar: Bar) { rule.observe(bar) }

    public mutating func fraction(for request: SizingRequest) -> Double {
        limits.clamp(rule.fraction(for: request), exposure: request.exposure)
    }

    public var summary: SizingSummary {
        var s = rule.summary
        s.parameters += [.init("max_position", limits.maxPosition), .init("max_exposure", limits.maxExposure)]
        return s
    }
}
