public import TraderCore
public import TraderEngine

/// How a portfolio backtest executes, apart from the profile's rules: starting cash, costs and
/// unit rounding. Fills are always at the next bar's open of the symbol (the single-symbol
/// kernel's default), so a decision at a bar uses that bar and earlier ones only.
public struct PortfolioSettings: Hashable, Sendable {
    /// Starting cash, shared by every symbol.
    public var initialCapital: Double
    /// Commission per fill, through the engine's model (`fixed + |units| × price × rate`).
    public var commission: CommissionModel
    /// Spread (paid on entry) and slippage (every fill), through the engine's model.
    public var costs: SlippageModel
    /// Round entry sizes down to whole units (shares); false allows fractional units.
    public var wholeUnits: Bool

    public init(initialCapital: Double = 10_000, commission: CommissionModel = .zero, costs: SlippageModel = .zero,
                wholeUnits: Bool = true) throws(DomainError) {
        try ExecutionSettings.Limits.capital.check(initialCapital, field: "capital")
        self.initialCapital = initialCapital
        self.commission = commission
        self.costs = costs
        self.wholeUnits = wholeUnits
    }

    /// The execution settings of each symbol's kernel: these costs and units, long only, fills at
    /// the next open, entries asking for all the cash (the account's rules then size them), no
    /// protective exits of their own (the tier's stop-loss comes from `CapitalTierRisk.stopLoss(configured:)`) and positions left open at
    /// the end.
    public func execution() throws(DomainError) -> ExecutionSettings {
        var e = ExecutionSettings()
        e.initialCapital = initialCapital
        e.commission = commission
        e.costs = costs
        e.wholeUnits = wholeUnits
        e.fill = .nextOpen
        e.direction = .longOnly
        e.positionFraction = 1
        try e.validate()
        return e
    }
}
