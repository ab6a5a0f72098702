/// The seven market regimes of bot_v2: trend (bull, bear, sideways) × volatility (quiet,
/// volatile), plus crisis. Shared by regime detection, regime-adjusted position sizing, the
/// strategy selector's features and the adaptive portfolio.
public enum Regime: String, CaseIterable, Sendable, Codable, Hashable {
    case bullQuiet = "bull-quiet"
    case bullVolatile = "bull-volatile"
    case bearQuiet = "bear-quiet"
    case bearVolatile = "bear-volatile"
    case sidewaysQuiet = "sideways-quiet"
    case sidewaysVolatile = "sideways-volatile"
    case crisis

    /// Position-size multiplier for regime-adjusted sizing (bot_v2's table).
    public var sizeMultiplier: Double {
        switch self {
        case .bullQuiet: 1.2
        case .bullVolatile: 0.9
        case .bearQuiet: 0.6
        case .bearVolatile: 0.4
        case .sidewaysQuiet: 1.0
        case .sidewaysVolatile: 0.7
        case .crisis: 0.2
        }
    }
}
