public import TraderCore
public import TraderEngine

/// The same fraction of available equity for every entry: the kernel's default behaviour
/// (`ExecutionSettings.positionFraction`) expressed as a sizer, so that it can be combined with
/// limits and compared with the other rules on equal terms. At the default fraction (`1 − ε`) a
/// run with it is identical, trade for trade, to a run without a sizer.
public struct FixedFractionSizer: PositionSizer {
    /// Fraction of available equity per entry, in (0, 1].
    public let fraction: Double

    public init(fraction: Double) throws(DomainError) {
        try requireFraction(fraction, "size")
        self.fraction = fraction
    }

    public func fraction(for request: SizingRequest) -> Double { fraction }

    public var summary: SizingSummary { SizingSummary(rule: "fixed", parameters: [.init("fraction", fraction)]) }
}

/// Checks a fraction in (0, 1], naming the setting in the error.
func requireFraction(_ value: Double, _ field: String) throws(DomainError) {
    try SizingConfiguration.Limits.fraction.check(value, field: field)
}
