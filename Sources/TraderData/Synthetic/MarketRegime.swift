/// A state of the synthetic market: how prices drift and how much they swing while it lasts.
///
/// Regimes switch by a Markov chain with persistent states (each lasts 15 to 70 bars on
/// average), so a synthetic series has trends, quiet stretches, sell-offs and crashes for
/// strategies and regime detectors to meet.
public enum MarketRegime: Int, CaseIterable, Sendable, CustomStringConvertible {
    case bullQuiet, bullVolatile, bearQuiet, bearVolatile, sideways, crisis

    /// Mean simple return per trading day.
    public var dailyDrift: Double {
        switch self {
        case .bullQuiet: 0.0007
        case .bullVolatile: 0.0006
        case .bearQuiet: -0.0004
        case .bearVolatile: -0.0009
        case .sideways: 0
        case .crisis: -0.0025
        }
    }

    /// Standard deviation of the return per trading day.
    public var dailyVolatility: Double {
        switch self {
        case .bullQuiet: 0.007
        case .bullVolatile: 0.017
        case .bearQuiet: 0.009
        case .bearVolatile: 0.022
        case .sideways: 0.006
        case .crisis: 0.040
        }
    }

    /// Probability of staying in this regime for another bar.
    public var persistence: Double {
        switch self {
        case .bullQuiet: 0.986
        case .bullVolatile: 0.97
        case .bearQuiet: 0.975
        case .bearVolatile: 0.96
        case .sideways: 0.98
        case .crisis: 0.935
        }
    }

    /// Typical volume relative to a quiet market.
    var volumeMultiplier: Double {
        switch self {
        case .bullQuiet, .sideways: 1
        case .bearQuiet: 1.2
        case .bullVolatile: 1.5
        case .bearVolatile: 1.8
        case .crisis: 3
        }
    }

    /// Relative odds of the regime that follows when this one ends (own entry unused).
    var exitWeights: [Double] {
        //               bullQ  bullV  bearQ  bearV  side  crisis
        switch self {
        case .bullQuiet: [0, 0.30, 0.15, 0.05, 0.45, 0.05]
        case .bullVolatile: [0.40, 0, 0.10, 0.20, 0.20, 0.10]
        case .bearQuiet: [0.20, 0.10, 0, 0.25, 0.40, 0.05]
        case .bearVolatile: [0.10, 0.20, 0.25, 0, 0.20, 0.25]
        case .sideways: [0.40, 0.15, 0.25, 0.10, 0, 0.10]
        case .crisis: [0.05, 0.35, 0.10, 0.40, 0.10, 0]
        }
    }

    public var description: String {
        switch self {
        case .bullQuiet: "bull-quiet"
        case .bullVolatile: "bull-volatile"
        case .bearQuiet: "bear-quiet"
        case .bearVolatile: "bear-volatile"
        case .sideways: "sideways"
        case .crisis: "crisis"
        }
    }
}
