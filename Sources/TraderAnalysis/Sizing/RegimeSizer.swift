public import TraderCore
public import TraderEngine

/// A base fraction times the current regime's multiplier (`Regime.sizeMultiplier`: bull-quiet
/// 1.2 … crisis 0.2): bigger positions when the market is calm and rising, much smaller when it is
/// stressed. While the provider cannot tell the regime yet (warm-up), the base is used unscaled.
///
/// Generic over the provider, so its per-bar update is a direct call inside the sizer; the kernel
/// calls the sizer's `observe` once per bar (it `observesBars`).
public struct RegimeSizer<Provider: RegimeProvider>: PositionSizer {
    /// Fraction in a regime with multiplier 1 (sideways-quiet) and before the regime is known.
    public let base: Double
    public private(set) var provider: Provider
    /// The regime as of the last bar observed; nil until the provider can tell.
    public private(set) var regime: Regime?

    public init(base: Double, provider: Provider) throws(DomainError) {
        try requireFraction(base, "size")
        self.base = base
        self.provider = provider
    }

    public var observesBars: Bool { true }

    public mutating func observe(_ bar: Bar) {
        regime = provider.regime(after: bar)
    }

    /// `base × multiplier`; above 1 (bull-quiet on a large base) the limits clamp it.
    public func fraction(for request: SizingRequest) -> Double {
        base * (regime?.sizeMultiplier ?? 1)
    }

    public var summary: SizingSummary { SizingSummary(rule: "regime", parameters: [.init("base", base)]) }
}
