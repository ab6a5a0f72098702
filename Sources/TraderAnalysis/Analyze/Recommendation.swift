public import TraderCore

/// What to do, from strong buy to strong sell.
public enum RecommendationAction: String, Sendable, Hashable, CaseIterable {
    case strongBuy = "strong-buy"
    case buy
    case hold
    case sell
    case strongSell = "strong-sell"
}

/// One named piece of evidence behind a recommendation.
public struct RecommendationComponent: Sendable, Hashable {
    /// `trend`, `momentum`, `oscillators`, `volume`, `patterns` or `strategy`.
    public let name: String
    /// The evidence in [−1, 1]: +1 fully bullish, −1 fully bearish, 0 neutral or unavailable.
    public let value: Double
    /// Its weight; the weights sum to 1.
    public let weight: Double
    /// False when the inputs were not defined yet (too few bars); the value is then 0.
    public let available: Bool
    /// The inputs and how they were combined, in words.
    public let detail: String

    /// Creates a component (the model builds these; other slices may add their own).
    public init(name: String, value: Double, weight: Double, available: Bool, detail: String) {
        self.name = name
        self.value = value
        self.weight = weight
        self.available = available
        self.detail = detail
    }

    /// `weight · value`: the component's share of the score.
    public var contribution: Double { weight * value }
}

/// A recommendation explained by its components: `score` is exactly the sum of their
/// contributions.
public struct Recommendation: Sendable, Hashable {
    /// The action the score falls into.
    public let action: RecommendationAction
    /// Σ weight · value over the components, in [−1, 1].
    public let score: Double
    /// How much to trust the action, in [0, 1] (see `RecommendationWeights.confidence`).
    public let confidence: Double
    /// Total weight of the components that were available.
    public let coverage: Double
    /// The evidence, in a fixed order.
    public let components: [RecommendationComponent]
}

/// The weights of the components and the score bands of the actions.
public struct RecommendationWeights: Sendable, Hashable {
    /// Trend: price against its moving averages and the averages against each other.
    public var trend = 0.25
    /// Momentum: MACD histogram and RSI relative to 50.
    public var momentum = 0.20
    /// Oscillators (mean reversion): RSI, stochastic and Bollinger extremes, read contrarian.
    public var oscillators = 0.15
    /// Volume: the OBV slope.
    public var volume = 0.10
    /// Chart patterns that ended in the last `patternRecency` bars.
    public var patterns = 0.15
    /// The best-scoring strategy's current signal.
    public var strategy = 0.15
    /// A score at or above this is a buy, at or below its negative a sell.
    public var actionThreshold = 0.15
    /// A score at or above this is a strong buy, at or below its negative a strong sell.
    public var strongThreshold = 0.5
    /// Bars a pattern's end stays relevant to the recommendation.
    public var patternRecency = 20

    /// The defaults.
    public init() {}

    /// The weights in component order.
    public var all: [(name: String, weight: Double)] {
        [("trend", trend), ("momentum", momentum), ("oscillators", oscillators), ("volume", volume),
         ("patterns", patterns), ("strategy", strategy)]
    }

    /// Checks every field: weights non-negative and summing to 1, thresholds ordered.
    public func validate() throws(DomainError) {
        for (name, w) in all {
            guard w >= 0, w.isFinite else { throw .invalid(field: "weights", reason: "\(name) weight must be >= 0, got \(w)") }
        }
        let sum = all.reduce(0) { $0 + $1.weight }
        guard abs(sum - 1) <= 1e-9 else { throw .invalid(field: "weights", reason: "must sum to 1, got \(sum)") }
        guard actionThreshold > 0, strongThreshold > actionThreshold, strongThreshold <= 1 else {
            throw .invalid(field: "thresholds", reason: "need 0 < action (\(actionThreshold)) < strong (\(strongThreshold)) <= 1")
        }
        guard patternRecency > 0 else { throw .invalid(field: "pattern-recency", reason: "must be > 0, got \(patternRecency)") }
    }

    /// The action for `score`.
    public func action(for score: Double) -> RecommendationAction {
        if score >= strongThreshold { return .strongBuy }
        if score >= actionThreshold { return .buy }
        if score <= -strongThreshold { return .strongSell }
        if score <= -actionThreshold { return .sell }
        return .hold
    }

    /// The confidence in `action` given the components, in [0, 1].
    ///
    /// `coverage` C is the weight of the available components. For a buy or sell it is
    /// C · (agreement + margin) / 2, where agreement = |score| / Σ weight·|value| (1 when every
    /// component that speaks points the same way) and margin = min(1, |score| / strongThreshold).
    /// For a hold it is C · (quiet + margin) / 2, where quiet = 1 − Σ weight·|value| / C (1 when
    /// every component is neutral, low when strong components cancel out) and margin =
    /// 1 − |score| / actionThreshold (1 at a score of 0, 0 at the edge of a buy or sell).
    public func confidence(score: Double, action: RecommendationAction, components: [RecommendationComponent]) -> Double {
        let coverage = components.filter(\.available).reduce(0) { $0 + $1.weight }
        guard coverage > 0 else { return 0 }
        let spoken = components.reduce(0) { $0 + $1.weight * abs($1.value) }
        let value: Double
        if action == .hold {
            let quiet = 1 - spoken / coverage
            let margin = 1 - abs(score) / actionThreshold
            value = coverage * (quiet + margin) / 2
        } else {
            let agreement = spoken > 0 ? abs(score) / spoken : 0
            let margin = min(1, abs(score) / strongThreshold)
            value = coverage * (agreement + margin) / 2
        }
        return min(1, max(0, value))
    }
}
