public import TraderCore

/// The risk rules of an account, each optional, applied in a fixed order: refusals first (halts,
/// the position count, the weekly entries, the day-trade rule), then the size limits (exposure,
/// position, cash reserve), each on what the previous one left. One implementation per rule (`Rules/`); this type only composes them, so that backtests,
/// the portfolio backtest, workflows and bots configure the same rules the same way.
///
/// A value: its rules carry their state (the day's equity, the peak, the day trades), which
/// starts empty, so equal configurations are equal values.
public struct RiskRules: RiskCheck, Sendable, Hashable {
    /// Refuses entries for the rest of a day whose equity fell this far (fraction of the day's
    /// starting equity).
    public var dailyLossLimit: DailyLossLimit?
    /// Refuses every entry once equity is this far below its peak.
    public var drawdownHalt: DrawdownHalt?
    /// The pattern-day-trader rule of margin accounts below 25,000.
    public var patternDayTrader: PatternDayTrader?
    /// Most instruments held at once.
    public var maxOpenPositions: MaxOpenPositions?
    /// Largest share of equity in one position.
    public var maxPositionFraction: MaxPositionFraction?
    /// Largest share of equity in all positions together.
    public var maxExposureFraction: MaxExposureFraction?
    /// Share of equity kept in cash.
    public var cashReserve: CashReserve?
    /// Most new positions opened per calendar week.
    public var weeklyEntryLimit: WeeklyEntryLimit?

    /// No rules.
    public init() {}

    /// The paper-trading defaults of bot_v2: at most 20 % of equity per position and 10
    /// positions, a 5 % daily loss limit, a 15 % drawdown halt, a 10 % cash reserve.
    public static var paperTradingDefaults: RiskRules {
        var r = RiskRules()
        r.maxPositionFraction = MaxPositionFraction(0.2)
        r.maxOpenPositions = MaxOpenPositions(10)
        r.dailyLossLimit = DailyLossLimit(0.05)
        r.drawdownHalt = DrawdownHalt(0.15)
        r.cashReserve = CashReserve(0.1)
        return r
    }

    /// Whether no rule is set: brokers then skip the review altogether.
    public var isEmpty: Bool {
        dailyLossLimit == nil && drawdownHalt == nil && patternDayTrader == nil && maxOpenPositions == nil
            && maxPositionFraction == nil && maxExposureFraction == nil && cashReserve == nil && weeklyEntryLimit == nil
    }

    public var isActive: Bool { !isEmpty }

    public var observesCloses: Bool {
        dailyLossLimit != nil || drawdownHalt != nil || patternDayTrader?.observesCloses == true
    }

    public mutating func observe(equity: Double, at time: Timestamp) {
        dailyLossLimit?.observe(equity: equity, at: time)
        drawdownHalt?.observe(equity: equity, at: time)
        patternDayTrader?.observe(equity: equity, at: time)
    }

    public mutating func record(_ fill: Fill, closing trades: ArraySlice<Trade>, account: RiskAccount) {
        patternDayTrader?.record(fill, closing: trades, account: account)
        weeklyEntryLimit?.record(fill, closing: trades, account: account)
    }

    /// Each rule in turn on what the previous ones left; the first refusal ends the review. A
    /// resize names every rule that cut.
    public mutating func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        var review = RiskReview(proposal)
        if dailyLossLimit != nil { review.ask(&dailyLossLimit!, account) }
        if drawdownHalt != nil { review.ask(&drawdownHalt!, account) }
        if maxOpenPositions != nil { review.ask(&maxOpenPositions!, account) }
        if weeklyEntryLimit != nil { review.ask(&weeklyEntryLimit!, account) }
        if patternDayTrader != nil { review.ask(&patternDayTrader!, account) }
        if maxExposureFraction != nil { review.ask(&maxExposureFraction!, account) }
        if maxPositionFraction != nil { review.ask(&maxPositionFraction!, account) }
        if cashReserve != nil { review.ask(&cashReserve!, account) }
        return review.decision
    }
}

extension RiskRules {
    /// The valid range of each rule's setting: the one definition the CLI options, the
    /// configuration keys and bot files check against.
    public enum Limits {
        /// Daily loss limit, drawdown halt: a fraction of equity in (0, 1).
        public static let lossFraction = Bounds(lower: 0, upper: 1, lowerOpen: true, upperOpen: true)
        /// Largest position, largest exposure: a fraction of equity in (0, 1].
        public static let equityFraction = Bounds(lower: 0, upper: 1, lowerOpen: true)
        /// Cash reserve: a fraction of equity in [0, 1).
        public static let reserveFraction = Bounds(lower: 0, upper: 1, upperOpen: true)
        /// Open positions at once.
        public static let positions = Bounds.integers(1, 10_000, unit: "positions")
        /// New positions per calendar week.
        public static let weeklyEntries = Bounds.integers(1, 100_000, unit: "entries")
    }

    /// Checks every rule's setting; the error names it as its option.
    public func validate() throws(DomainError) {
        if let r = dailyLossLimit { try Limits.lossFraction.check(r.fraction, field: "daily-loss-limit") }
        if let r = drawdownHalt { try Limits.lossFraction.check(r.fraction, field: "drawdown-halt") }
        if let r = maxOpenPositions { try Limits.positions.check(r.count, field: "max-positions") }
        if let r = maxPositionFraction { try Limits.equityFraction.check(r.fraction, field: "position-limit") }
        if let r = maxExposureFraction { try Limits.equityFraction.check(r.fraction, field: "exposure-limit") }
        if let r = cashReserve { try Limits.reserveFraction.check(r.fraction, field: "cash-reserve") }
        if let r = weeklyEntryLimit { try Limits.weeklyEntries.check(r.count, field: "max-entries-per-week") }
    }

    /// Every setting in one line, `-` for a rule not set: what reports print and cache keys use.
    public var summary: String {
        func f(_ x: Double?) -> String { x.map { "\($0)" } ?? "-" }
        return ["daily_loss=\(f(dailyLossLimit?.fraction))", "drawdown_halt=\(f(drawdownHalt?.fraction))",
                "pdt=\(patternDayTrader?.accountType.rawValue ?? "-")", "max_positions=\(maxOpenPositions.map { "\($0.count)" } ?? "-")",
                "max_position=\(f(maxPositionFraction?.fraction))", "max_exposure=\(f(maxExposureFraction?.fraction))",
                "cash_reserve=\(f(cashReserve?.fraction))",
                "weekly_entries=\(weeklyEntryLimit.map { "\($0.count)" } ?? "-")"].joined(separator: " ")
    }
}

extension RiskRules: Codable {
    enum CodingKeys: String, CodingKey {
        case dailyLossLimit = "daily_loss_limit", drawdownHalt = "drawdown_halt", patternDayTrader = "pattern_day_trader"
        case maxOpenPositions = "max_positions", maxPositionFraction = "max_position_fraction"
        case maxExposureFraction = "max_exposure_fraction", cashReserve = "cash_reserve"
        case weeklyEntryLimit = "max_entries_per_week"
    }

    /// The settings only (a rule's running state is not kept): each key optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        dailyLossLimit = try c.decodeIfPresent(Double.self, forKey: .dailyLossLimit).map(DailyLossLimit.init)
        drawdownHalt = try c.decodeIfPresent(Double.self, forKey: .drawdownHalt).map(DrawdownHalt.init)
        patternDayTrader = try c.decodeIfPresent(AccountType.self, forKey: .patternDayTrader).map(PatternDayTrader.init)
        maxOpenPositions = try c.decodeIfPresent(Int.self, forKey: .maxOpenPositions).map(MaxOpenPositions.init)
        maxPositionFraction = try c.decodeIfPresent(Double.self, forKey: .maxPositionFraction).map(MaxPositionFraction.init)
        maxExposureFraction = try c.decodeIfPresent(Double.self, forKey: .maxExposureFraction).map(MaxExposureFraction.init)
        cashReserve = try c.decodeIfPresent(Double.self, forKey: .cashReserve).map(CashReserve.init)
        weeklyEntryLimit = try c.decodeIfPresent(Int.self, forKey: .weeklyEntryLimit).map(WeeklyEntryLimit.init)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(dailyLossLimit?.fraction, forKey: .dailyLossLimit)
        try c.encodeIfPresent(drawdownHalt?.fraction, forKey: .drawdownHalt)
        try c.encodeIfPresent(patternDayTrader?.accountType, forKey: .patternDayTrader)
        try c.encodeIfPresent(maxOpenPositions?.count, forKey: .maxOpenPositions)
        try c.encodeIfPresent(maxPositionFraction?.fraction, forKey: .maxPositionFraction)
        try c.encodeIfPresent(maxExposureFraction?.fraction, forKey: .maxExposureFraction)
        try c.encodeIfPresent(cashReserve?.fraction, forKey: .cashReserve)
        try c.encodeIfPresent(weeklyEntryLimit?.count, forKey: .weeklyEntryLimit)
    }
}
