public import TraderCore
import TraderStrategies

/// What one capital tier allows: which strategies may open positions, how many positions may be
/// open, how often new positions may be opened, and the risk limits.
public struct TierRules: Hashable, Sendable {
    /// Strategy names from `StrategyCatalog`; a strategy outside this list opens nothing while the
    /// portfolio is in this tier (its open positions still exit normally).
    public let strategies: [String]
    /// Most positions open at once.
    public let maxPositions: Int
    /// Most new positions opened per calendar week (Monday to Sunday, UTC); nil for no limit.
    /// Exits never count and are never refused: a limit must not trap the account in a position.
    public let maxTradesPerWeek: Int?
    public let risk: RiskLimits

    /// Validates the rules; the error's field is the profile key (`strategies[1]`,
    /// `max_positions`, ...).
    public init(strategies: [String], maxPositions: Int, maxTradesPerWeek: Int?, risk: RiskLimits) throws(DomainError) {
        guard !strategies.isEmpty else { throw .invalid(field: "strategies", reason: "must name at least one strategy") }
        for (i, name) in strategies.enumerated() where !StrategyCatalog.names.contains(name) {
            throw .invalid(field: "strategies[\(i)]", reason: "unknown strategy '\(name)'; choose from \(StrategyCatalog.names.joined(separator: ", "))")
        }
        var seen = Set<String>()
        for (i, name) in strategies.enumerated() where !seen.insert(name).inserted {
            throw .invalid(field: "strategies[\(i)]", reason: "'\(name)' is listed twice")
        }
        guard maxPositions > 0 else { throw .invalid(field: "max_positions", reason: "must be > 0, got \(maxPositions)") }
        if let w = maxTradesPerWeek, w <= 0 {
            throw .invalid(field: "max_trades_per_week", reason: "must be > 0 (or null for no limit), got \(w)")
        }
        self.strategies = strategies
        self.maxPositions = maxPositions
        self.maxTradesPerWeek = maxTradesPerWeek
        self.risk = risk
    }

    /// Whether `strategy` may open positions in this tier.
    public func allows(_ strategy: String) -> Bool { strategies.contains(strategy) }
}
