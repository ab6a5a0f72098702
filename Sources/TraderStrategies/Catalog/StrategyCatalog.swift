import TraderCore

/// What a built-in strategy is called, what it does and which parameters it takes.
public struct StrategyDescriptor: Sendable {
    public let name: String
    public let summary: String
    public let parameters: [StrategyParameter]
    /// Rules across parameters, in words (checked when the strategy is built).
    public let constraints: [String]
    /// Whether it follows trends (buys strength, sells weakness) rather than fading moves: the
    /// ensemble weights favour trend followers when the regime has a direction.
    public let followsTrend: Bool

    public init(name: String, summary: String, parameters: [StrategyParameter], constraints: [String], followsTrend: Bool) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.constraints = constraints
        self.followsTrend = followsTrend
    }

    public func parameter(named name: String) -> StrategyParameter? { parameters.first { $0.name == name } }
}

/// The built-in strategies with the bot_v2 defaults: the single list the CLI, the API and the
/// optimizers read.
public enum StrategyCatalog {
    public static let all: [StrategyDescriptor] = [
        StrategyDescriptor(
            name: "sma-crossover", summary: "Buy when the fast SMA crosses above the slow SMA, sell on the cross below.",
            parameters: [
                .window("fast", default: 10, min: 1, "fast moving-average period (bars)"),
                .window("slow", default: 30, min: 2, "slow moving-average period (bars)"),
            ], constraints: ["fast < slow"], followsTrend: true),
        StrategyDescriptor(
            name: "momentum", summary: "Buy while the rate of change over the lookback exceeds the threshold, sell below its negative.",
            parameters: [
                .window("lookback", default: 20, min: 1, "bars to measure the rate of change over"),
                .real("threshold", default: 0.02, min: 0, max: 10, "rate of change that triggers (0.02 = 2 %)"),
            ], constraints: [], followsTrend: true),
        StrategyDescriptor(
            name: "mean-reversion", summary: "Buy below the lower Bollinger band, sell above the upper band.",
            parameters: [
                .window("period", default: 20, min: 2, "Bollinger band period (bars)"),
                .real("std", default: 2, min: 0.01, max: 10, "band width in standard deviations"),
            ], constraints: [], followsTrend: false),
        StrategyDescriptor(
            name: "volatility", summary: "Buy above the moving average while return volatility is below the threshold; sell otherwise.",
            parameters: [
                .window("period", default: 20, min: 2, "window for volatility and the moving average (bars)"),
                .real("threshold", default: 0.02, min: 0.0001, max: 10, "per-bar return volatility limit (0.02 = 2 %)"),
            ], constraints: [], followsTrend: false),
        StrategyDescriptor(
            name: "breakout", summary: "Buy when the close breaks the previous lookback's highest high, sell below its lowest low.",
            parameters: [.window("lookback", default: 20, min: 1, "channel length (bars)")], constraints: [], followsTrend: true),
        StrategyDescriptor(
            name: "scalp", summary: "Buy on a bar-to-bar rise of more than bps basis points, sell on a fall of more than that.",
            parameters: [.real("bps", default: 5, min: 0.01, max: 10_000, "move that triggers, in basis points")],
            constraints: [], followsTrend: false),
        StrategyDescriptor(
            name: "ensemble", summary: "Weighted vote of member strategies (default momentum 0.4, mean-reversion 0.3, sma-crossover 0.3).",
            parameters: [.real("threshold", default: 0.5, min: 0.01, max: 1, "weighted score needed to buy (or sell at minus it)")],
            constraints: ["members and weights: --members a,b,c --weights 0.4,0.3,0.3 (members use their defaults)"], followsTrend: false),
    ]

    /// Default ensemble membership, after bot_v2.
    public static let defaultEnsemble: [(name: String, weight: Double)] = [
        ("momentum", 0.4), ("mean-reversion", 0.3), ("sma-crossover", 0.3),
    ]

    public static var names: [String] { all.map(\.name) }

    /// The strategies that follow trends (`StrategyDescriptor.followsTrend`).
    public static var trendFollowers: Set<String> { Set(all.filter(\.followsTrend).map(\.name)) }

    public static func descriptor(named name: String) throws(StrategyError) -> StrategyDescriptor {
        guard let d = all.first(where: { $0.name == name }) else { throw .unknownStrategy(name, known: names) }
        return d
    }
}
