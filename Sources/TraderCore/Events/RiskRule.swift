/// Which pre-trade rule decided: carried by every refusal, so a report can count refusals by
/// rule (the portfolio's skipped entries) without reading the message, which is for people.
///
/// The rules themselves live in TraderEngine (`RiskCheck`, `RiskRules`); the names are here
/// because events (`TradingEvent.riskRefused`) carry them.
public enum RiskRule: String, CaseIterable, Sendable, Hashable, Codable {
    case dailyLossLimit = "daily-loss-limit"
    case drawdownHalt = "drawdown-halt"
    case patternDayTrader = "pattern-day-trader"
    case maxOpenPositions = "max-positions"
    case maxPositionFraction = "position-limit"
    case maxExposureFraction = "exposure-limit"
    case cashReserve = "cash-reserve"
    case weeklyEntryLimit = "weekly-entry-limit"
    /// The capital tier in force does not allow the strategy to open positions.
    case tierStrategy = "tier-strategy"
}

/// A refusal by a pre-trade rule: which rule, and the figures its message is made of. The
/// message (`reason`, TraderEngine) is formatted when it is read, not when the rule refuses, so a
/// run in which a rule refuses signal after signal pays for no text nobody prints.
public struct RiskRefusal: Sendable, Hashable {
    public let rule: RiskRule
    /// The rule's figures, in the order its message uses them (a fraction; or a count and a limit).
    public let first: Double
    public let second: Double
    /// The whole message, for a refusal whose text is fixed when the rule is built (a capital
    /// tier's list of strategies).
    public let text: String?

    public init(_ rule: RiskRule, _ first: Double = 0, _ second: Double = 0) {
        self.rule = rule
        self.first = first
        self.second = second
        self.text = nil
    }

    public init(_ rule: RiskRule, text: String) {
        self.rule = rule
        self.first = 0
        self.second = 0
        self.text = text
    }
}
