public import TraderCore
public import TraderEngine

/// Volatility targeting: sizes each entry so that one average true range against the position
/// costs `riskTarget` of equity. Calm markets get bigger positions, wild ones smaller, so every
/// trade carries about the same risk.
///
/// A position of fraction `f` of equity `E` at price `P` holds `f·E/P` units; one ATR against it
/// loses `f·E·ATR/P`. Setting that to `riskTarget·E` gives `f = riskTarget · P / ATR`. The ATR
/// (Wilder's, TraderCore's `ATR`) includes the decision bar and nothing later. Until it is
/// defined (the first `period` bars) risk cannot be measured and the rule takes no position.
/// A fraction above the limits (a very calm market) is clamped by them.
public struct VolatilityTargetSizer: PositionSizer {
    /// Loss from a one-ATR move, as a fraction of equity (0.01 = 1 %).
    public let riskTarget: Double
    public private(set) var atr: ATR

    public init(riskTarget: Double, atrPeriod: Int = 14) throws(DomainError) {
        try SizingConfiguration.Limits.fraction.check(riskTarget, field: "risk-target")
        do { atr = try ATR(period: atrPeriod) } catch { throw .invalid(field: "atr-period", reason: error.reason) }
        self.riskTarget = riskTarget
    }

    public var observesBars: Bool { true }

    public mutating func observe(_ bar: Bar) {
        atr.update(high: bar.high, low: bar.low, close: bar.close)
    }

    public func fraction(for request: SizingRequest) -> Double {
        let range = atr.value
        guard range.isFinite else { return 0 }  // warming up
        return riskTarget * request.price / range  // +∞ for a zero range: the limits cap it
    }

    public var summary: SizingSummary {
        SizingSummary(rule: "volatility", parameters: [.init("risk_target", riskTarget), .init("atr_period", Double(atr.period))])
    }
}
