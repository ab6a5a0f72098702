public import TraderCore
public import TraderEngine

/// The capital tiers' rules as one pre-trade check (`RiskCheck`), the account-level rules of the
/// adaptive portfolio: the tier in force is followed with hysteresis at every close, and each
/// entry is reviewed under its rules.
///
/// A tier's rules are the engine's rules (`TierRules.riskRules`: position count, weekly entries,
/// pattern-day-trader, exposure and position caps, daily loss), one implementation each, plus
/// the tier's list of allowed strategies. Every tier's rules see every close and every fill, so
/// the day's start, the week's entries and the day trades are current whichever tier takes over.
public struct CapitalTierRisk: RiskCheck, Sendable {
    public let profile: PortfolioProfile
    /// The strategy whose entries are reviewed (its name in `StrategyCatalog`).
    public let strategy: String
    /// The tier in force and its changes.
    public private(set) var tracker: TierTracker
    /// Each tier's engine rules, by `CapitalTier.rank`.
    var rules: [RiskRules]
    /// Whether each tier allows the strategy, and the refusal when it does not, by rank.
    let allowed: [Bool]
    let notAllowed: [RiskRefusal]

    public init(profile: PortfolioProfile, strategy: String, initialEquity: Double, start: Timestamp) {
        self.profile = profile
        self.strategy = strategy
        self.tracker = TierTracker(initialEquity: initialEquity, hysteresis: profile.hysteresis, start: start)
        self.rules = CapitalTier.allCases.map { profile.rules(for: $0).riskRules(accountType: profile.accountType) }
        self.allowed = CapitalTier.allCases.map { profile.rules(for: $0).allows(strategy) }
        self.notAllowed = CapitalTier.allCases.map { RiskRefusal(.tierStrategy, text: "the \($0) tier does not allow \(strategy)") }
    }

    /// The tier whose rules apply now.
    public var tier: CapitalTier { tracker.tier }

    public var isActive: Bool { true }
    public var observesCloses: Bool { true }

    /// Follows the tier (a change applies from the next fill on), then shows every tier's rules
    /// the close.
    public mutating func observe(equity: Double, at time: Timestamp) {
        tracker.update(equity: equity, at: time)
        for i in rules.indices { rules[i].observe(equity: equity, at: time) }
    }

    public mutating func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        let rank = tier.rank
        guard allowed[rank] else { return .refuse(notAllowed[rank]) }
        return rules[rank].review(proposal, account: account)
    }

    public mutating func record(_ fill: Fill, closing trades: ArraySlice<Trade>, account: RiskAccount) {
        for i in rules.indices { rules[i].record(fill, closing: trades, account: account) }
    }

    /// The tier's stop-loss, whatever the broker's: the stop of a position is the tier's at its
    /// entry and stays with it.
    public func stopLoss(configured: Double?) -> Double? { profile.rules(for: tier).risk.stopLossFraction }
}

extension TierRules {
    /// The tier's limits as the engine's risk rules, for an account of `accountType` (the
    /// pattern-day-trader rule binds margin accounts only).
    public func riskRules(accountType: AccountType) -> RiskRules {
        var r = RiskRules()
        r.maxOpenPositions = MaxOpenPositions(maxPositions)
        r.weeklyEntryLimit = maxTradesPerWeek.map(WeeklyEntryLimit.init)
        if accountType == .margin { r.patternDayTrader = PatternDayTrader(accountType: accountType) }
        r.maxExposureFraction = MaxExposureFraction(risk.maxExposureFraction)
        r.maxPositionFraction = MaxPositionFraction(risk.maxPositionFraction)
        r.dailyLossLimit = risk.maxDailyLossFraction.map(DailyLossLimit.init)
        return r
    }
}

extension EntrySkipReason {
    /// The reason a refusal by `rule` is reported under.
    init(refusedBy rule: RiskRule) {
        switch rule {
        case .tierStrategy: self = .strategyNotAllowed
        case .dailyLossLimit, .drawdownHalt: self = .dailyLossLimit
        case .maxOpenPositions: self = .maxPositions
        case .weeklyEntryLimit: self = .weeklyTradeLimit
        case .patternDayTrader: self = .patternDayTrader
        case .maxExposureFraction: self = .exposureCap
        // The position cap or the reserve leave less than one unit: the allowed amount buys nothing.
        case .maxPositionFraction, .cashReserve: self = .insufficientCash
        }
    }
}
