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
