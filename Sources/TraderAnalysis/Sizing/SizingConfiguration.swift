public import TraderCore
public import TraderEngine

/// A position-sizing choice as plain, validated values — what `backtest --sizing …` asks for, and
/// what the API, workflows and the live runtime will pass around. `makeSizer()` builds the rule
/// with its limits for one run.
///
/// A description rather than the sizer itself because sizers carry state (an ATR, a regime model,
/// trade statistics) and are built fresh for every run, while a configuration is Hashable and can
/// be stored, compared and reported.
public struct SizingConfiguration: Hashable, Sendable {
    /// The rules, by the names `--sizing` takes.
    public enum Rule: String, CaseIterable, Sendable {
        case fixed
        case kelly
        case fractionalKelly = "fractional-kelly"
        case confidence
        case regime
        case volatility

        /// The settings (option names without `--`) that mean something for this rule, beyond the
        /// limits that apply to all. Giving another is a mistake worth reporting.
        public var settings: [String] {
            switch self {
            case .fixed, .confidence, .regime: ["size"]
            case .kelly: ["size", "kelly-min-trades", "kelly-floor"]
            case .fractionalKelly: ["size", "kelly-fraction", "kelly-min-trades", "kelly-floor"]
            case .volatility: ["risk-target", "atr-period"]
            }
        }
    }

    public var rule: Rule
    /// The fixed fraction; the base that confidence and regime scale; Kelly's fraction until
    /// enough trades have closed.
    public var baseFraction: Double = 1 - Double.ulpOfOne
    /// Share of the Kelly fraction taken by fractional Kelly.
    public var kellyFraction: Double = 0.25
    /// Closed trades before Kelly's formula applies.
    public var minimumTrades: Int = 20
    /// Fraction Kelly takes when the formula says ≤ 0 (0: no position).
    public var kellyFloor: Double = 0
    /// Volatility targeting: loss from a one-ATR move as a fraction of equity.
    public var riskTarget: Double = 0.01
    /// Volatility targeting: ATR period in bars.
    public var atrPeriod: Int = 14
    public var maxPosition: Double = 1
    public var maxExposure: Double = 1

    public init(rule: Rule) { self.rule = rule }

    /// Checks every value by building the sizer once; the error names the setting as the CLI
    /// option (`kelly-fraction`, `max-position`, ...).
    public func validate() throws(DomainError) { _ = try makeSizer() }

    /// A fresh sizer for one run: the rule wrapped in its limits.
    public func makeSizer() throws(DomainError) -> any PositionSizer {
        let limits = try SizingLimits(maxPosition: maxPosition, maxExposure: maxExposure)
        switch rule {
        case .fixed:
            return LimitedSizer(try FixedFractionSizer(fraction: baseFraction), limits: limits)
        case .kelly, .fractionalKelly:
            let kelly = try KellySizer(multiplier: rule == .kelly ? 1 : kellyFraction, minimumTrades: minimumTrades,
                                       fallback: baseFraction, floor: kellyFloor)
            return LimitedSizer(kelly, limits: limits)
        case .confidence:
            return LimitedSizer(try ConfidenceSizer(base: baseFraction), limits: limits)
        case .regime:
            // The interim model until the threshold classifier of `gpt-trader regime` lands.
            return LimitedSizer(try RegimeSizer(base: baseFraction, provider: try ThresholdRegimeClassifier()), limits: limits)
        case .volatility:
            return LimitedSizer(try VolatilityTargetSizer(riskTarget: riskTarget, atrPeriod: atrPeriod), limits: limits)
        }
    }
}

extension SizingConfiguration {
    /// The valid range of every sizing setting, checked by the rules' initializers (so every face
    /// that builds a configuration, CLI, workflow step or API, gets the same error).
    public enum Limits {
        /// Fractions of equity: `--size`, `--kelly-fraction`, `--risk-target`, `--max-position`,
        /// `--max-exposure`.
        public static let fraction = Bounds(lower: 0, upper: 1, lowerOpen: true)
        /// `--kelly-floor`: what Kelly takes when its formula says nothing.
        public static let kellyFloor = Bounds.closed(0, 1)
        /// `--kelly-min-trades`: closed trades before the formula applies.
        public static let minimumTrades = Bounds.integers(0, 1_000_000, unit: "trades")
        /// `--atr-period`: the volatility rule's ATR window.
        public static let atrPeriod = Bounds.window()
    }
}
