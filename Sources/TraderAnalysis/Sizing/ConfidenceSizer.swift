public import TraderCore
public import TraderEngine

/// A base fraction scaled by the strategy's confidence in its signal (`Strategy.signalConfidence`,
/// in [0, 1]): a weak ensemble vote buys less than a unanimous one. Strategies that give no
/// confidence count as fully confident, so for them this is the base fraction.
public struct ConfidenceSizer: PositionSizer {
    /// Fraction at full confidence.
    public let base: Double

    public init(base: Double) throws(DomainError) {
        try requireFraction(base, "size")
        self.base = base
    }

    public func fraction(for request: SizingRequest) -> Double {
        let c = request.confidence
        return base * (c.isNaN ? 1 : min(max(c, 0), 1))
    }

    public var summary: SizingSummary { SizingSummary(rule: "confidence", parameters: [.init("base", base)]) }
}
