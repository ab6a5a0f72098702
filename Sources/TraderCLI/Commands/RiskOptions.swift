import ArgumentParser
import TraderEngine

/// Pre-trade risk rules (`RiskRules`, applied by the broker to every order that would open or add
/// to a position): none by default, as backtesting.py; `--risk-defaults` for bot_v2's
/// paper-trading set, and one option per rule, which overrides the defaults.
struct RiskOptions: ParsableArguments {
    @Flag(name: .customLong("risk-defaults"),
          help: "Apply the paper-trading risk rules: 20 % of equity per position, 10 positions, 5 % daily loss limit, 15 % drawdown halt, 10 % cash reserve.")
    var defaults = false
    @Option(name: .customLong("daily-loss-limit"), parsing: .unconditional,
            help: "No new entries for the rest of a day whose equity fell this fraction below its start (0.05 = 5 %).", transform: NumberArgument.real)
    var dailyLossLimit: Double?
    @Option(name: .customLong("drawdown-halt"), parsing: .unconditional,
            help: "No new entries once equity is this fraction below its peak.", transform: NumberArgument.real)
    var drawdownHalt: Double?
    @Option(name: .customLong("position-limit"), parsing: .unconditional,
            help: "Largest fraction of equity in one position; larger entries are cut.", transform: NumberArgument.real)
    var positionLimit: Double?
    @Option(name: .customLong("exposure-limit"), parsing: .unconditional,
            help: "Largest fraction of equity in all positions together.", transform: NumberArgument.real)
    var exposureLimit: Double?
    @Option(name: .customLong("cash-reserve"), parsing: .unconditional,
            help: "Fraction of equity kept in cash, never used for entries.", transform: NumberArgument.real)
    var cashReserve: Double?
    @Option(name: .customLong("max-positions"), parsing: .unconditional,
            help: "Most instruments held at once.", transform: NumberArgument.whole)
    var maxPositions: Int?
    @Option(name: .customLong("max-entries-per-week"), parsing: .unconditional,
            help: "Most new positions opened per calendar week (Monday to Sunday, UTC).", transform: NumberArgument.whole)
    var maxEntriesPerWeek: Int?
    @Flag(name: .customLong("margin-account"),
          help: "A margin account: the pattern-day-trader rule applies below 25,000 of equity.")
    var marginAccount = false

    /// The rules asked for; errors name the option.
    func rules() throws -> RiskRules {
        var r = defaults ? RiskRules.paperTradingDefaults : RiskRules()
        if let dailyLossLimit { r.dailyLossLimit = DailyLossLimit(dailyLossLimit) }
        if let drawdownHalt { r.drawdownHalt = DrawdownHalt(drawdownHalt) }
        if let positionLimit { r.maxPositionFraction = MaxPositionFraction(positionLimit) }
        if let exposureLimit { r.maxExposureFraction = MaxExposureFraction(exposureLimit) }
        if let cashReserve { r.cashReserve = CashReserve(cashReserve) }
        if let maxPositions { r.maxOpenPositions = MaxOpenPositions(maxPositions) }
        if let maxEntriesPerWeek { r.weeklyEntryLimit = WeeklyEntryLimit(maxEntriesPerWeek) }
        if marginAccount { r.patternDayTrader = PatternDayTrader(accountType: .margin) }
        do { try r.validate() } catch { throw ValidationError("--\(error.field): \(error.reason)") }
        return r
    }
}
