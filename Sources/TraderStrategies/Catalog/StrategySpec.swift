public import TraderCore

/// A fully specified, validated strategy configuration: a name and every parameter's value.
///
/// Specs are plain values (hashable, sendable), so they travel through optimizers, caches, the
/// store and the API; `accept(_:)` turns one into its concrete strategy type for the kernel.
public struct StrategySpec: Hashable, Sendable, CustomStringConvertible {
    /// A member of an ensemble.
    public struct Member: Hashable, Sendable {
        public let spec: StrategySpec
        public let weight: Double
    }

    public let name: String
    /// Every parameter with its value: user overrides over defaults.
    public let parameters: [String: Double]
    /// Ensemble members; empty for other strategies.
    public let members: [Member]

    /// Validates `overrides` against the descriptor of `name` and fills in defaults.
    /// For the ensemble, `members` gives names and weights (bot_v2's default when nil).
    public init(name: String, overrides: [String: Double] = [:], members: [(name: String, weight: Double)]? = nil) throws(StrategyError) {
        let descriptor = try StrategyCatalog.descriptor(named: name)
        var values: [String: Double] = [:]
        for p in descriptor.parameters { values[p.name] = p.defaultValue }
        for (key, value) in overrides {
            guard let p = descriptor.parameter(named: key) else {
                throw .unknownParameter(strategy: name, name: key, known: descriptor.parameters.map(\.name))
            }
            try p.validate(value, strategy: name)
            values[key] = value
        }
        self.name = name
        self.parameters = values
        if name == "ensemble" {
            let chosen = members ?? StrategyCatalog.defaultEnsemble
            guard !chosen.isEmpty else { throw .constraint(strategy: name, reason: "needs at least one member") }
            var built: [Member] = []
            for m in chosen {
                guard m.name != "ensemble" else { throw .constraint(strategy: name, reason: "an ensemble cannot contain an ensemble") }
                guard m.weight > 0, m.weight.isFinite else {
                    throw .invalidParameter(strategy: name, name: "weights", reason: "weight of \(m.name) must be > 0, got \(m.weight)")
                }
                built.append(Member(spec: try StrategySpec(name: m.name), weight: m.weight))
            }
            self.members = built
        } else {
            guard members == nil || members!.isEmpty else {
                throw .constraint(strategy: name, reason: "only the ensemble takes members")
            }
            self.members = []
        }
        _ = try makeStrategy()  // checks cross-parameter constraints such as fast < slow
    }

    /// The longest window of bars among the parameters (and the ensemble members' parameters):
    /// the strategy cannot say anything on fewer bars.
    public var longestWindow: (name: String, bars: Int)? {
        var best: (name: String, bars: Int)?
        let descriptor = try? StrategyCatalog.descriptor(named: name)
        for p in descriptor?.parameters ?? [] where p.isWindow {
            let bars = Int(self[p.name])
            if bars > best?.bars ?? 0 { best = (p.name, bars) }
        }
        for m in members {
            if let w = m.spec.longestWindow, w.bars > best?.bars ?? 0 { best = ("\(m.spec.name).\(w.name)", w.bars) }
        }
        return best
    }

    /// Refuses a strategy whose windows are longer than the `barCount` bars it would run on,
    /// before anything is allocated for them (a window is a buffer of that many values).
    public func checkFits(barCount: Int) throws(StrategyError) {
        guard let window = longestWindow, window.bars > barCount else { return }
        throw .invalidParameter(strategy: name, name: window.name,
                                reason: "is \(window.bars) bars, longer than the data (\(barCount) bars)")
    }

    /// The value of parameter `name` (present for every parameter of the strategy).
    public subscript(name: String) -> Double { parameters[name] ?? .nan }

    @usableFromInline func int(_ key: String) -> Int { Int(parameters[key] ?? 0) }

    /// Builds the strategy as an existential (for ensembles and dynamic use).
    public func makeStrategy() throws(StrategyError) -> any Strategy {
        switch name {
        case "sma-crossover": return try SMACrossover(fast: int("fast"), slow: int("slow"))
        case "momentum": return try Momentum(lookback: int("lookback"), threshold: self["threshold"])
        case "mean-reversion": return try MeanReversion(period: int("period"), deviations: self["std"])
        case "volatility": return try VolatilityFilter(period: int("period"), threshold: self["threshold"])
        case "breakout": return try Breakout(lookback: int("lookback"))
        case "scalp": return try Scalp(bps: self["bps"])
        case "ensemble": return try makeEnsemble()
        default: throw .unknownStrategy(name, known: StrategyCatalog.names)
        }
    }

    @usableFromInline func makeEnsemble() throws(StrategyError) -> Ensemble {
        var built: [Ensemble.Member] = []
        for m in members { built.append(.init(name: m.spec.name, weight: m.weight, strategy: try m.spec.makeStrategy())) }
        return try Ensemble(members: built, threshold: self["threshold"])
    }

    /// Hands the concrete strategy to `visitor`. Inlined into the caller, so a generic kernel
    /// behind the visitor is specialized for each concrete strategy type.
    @inlinable
    public func accept<V: StrategyVisitor>(_ visitor: V) throws -> V.Output {
        switch name {
        case "sma-crossover": return try visitor.visit(SMACrossover(fast: int("fast"), slow: int("slow")))
        case "momentum": return try visitor.visit(Momentum(lookback: int("lookback"), threshold: self["threshold"]))
        case "mean-reversion": return try visitor.visit(MeanReversion(period: int("period"), deviations: self["std"]))
        case "volatility": return try visitor.visit(VolatilityFilter(period: int("period"), threshold: self["threshold"]))
        case "breakout": return try visitor.visit(Breakout(lookback: int("lookback")))
        case "scalp": return try visitor.visit(Scalp(bps: self["bps"]))
        default: return try visitor.visit(makeEnsemble())
        }
    }

    /// `sma-crossover(fast=10, slow=30)`.
    public var description: String {
        let descriptor = try? StrategyCatalog.descriptor(named: name)
        var parts = (descriptor?.parameters ?? []).map { "\($0.name)=\($0.format(self[$0.name]))" }
        if !members.isEmpty { parts.append("members=" + members.map { "\($0.spec.name):\($0.weight)" }.joined(separator: "+")) }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }
}

/// Receives a concrete strategy from `StrategySpec.accept(_:)`: the way to run generic,
/// specialized code (the kernel) on a strategy chosen at run time.
public protocol StrategyVisitor {
    associatedtype Output
    func visit<S: Strategy>(_ strategy: S) throws -> Output
}
