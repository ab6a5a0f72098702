public import TraderCore

/// A weighted vote of member strategies: each member's signal (+1, 0, −1) is weighted, the sum is
/// divided by the total weight, and the ensemble buys when the score reaches `threshold` and
/// sells when it reaches `−threshold`.
///
/// Members are heterogeneous, so they are held as existentials; the dynamic call per member and
/// bar is the price of mixing strategy types at run time.
public struct Ensemble: Strategy {
    /// A member strategy with its weight and the name it was configured by.
    public struct Member: Sendable {
        public var name: String
        public var weight: Double
        public var strategy: any Strategy
        public init(name: String, weight: Double, strategy: any Strategy) {
            self.name = name
            self.weight = weight
            self.strategy = strategy
        }
    }

    public private(set) var members: [Member]
    public let threshold: Double
    let totalWeight: Double
    /// The last combined score in [−1, 1], for reports and the live monitor.
    public private(set) var score = 0.0

    /// The share of the weight behind the last signal, net of the weight against it: `|score|`.
    /// At a signal it is at least `threshold`; a unanimous vote gives 1.
    public var signalConfidence: Double { abs(score) }

    public init(members: [Member], threshold: Double = 0.5) throws(StrategyError) {
        guard !members.isEmpty else { throw .constraint(strategy: "ensemble", reason: "needs at least one member") }
        for m in members where !(m.weight > 0 && m.weight.isFinite) {
            throw .invalidParameter(strategy: "ensemble", name: "weights", reason: "weight of \(m.name) must be > 0, got \(m.weight)")
        }
        guard threshold > 0, threshold <= 1 else {
            throw .invalidParameter(strategy: "ensemble", name: "threshold", reason: "must be in (0, 1], got \(threshold)")
        }
        self.members = members
        self.threshold = threshold
        self.totalWeight = members.reduce(0) { $0 + $1.weight }
    }

    public var warmupBars: Int { members.map(\.strategy.warmupBars).max() ?? 0 }

    public mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        var sum = 0.0
        for i in members.indices {
            let vote = members[i].strategy.onBar(bar, context: &context)
            sum += members[i].weight * Double(vote.rawValue)
        }
        score = sum / totalWeight
        if score >= threshold { return .buy }
        if score <= -threshold { return .sell }
        return .hold
    }
}
