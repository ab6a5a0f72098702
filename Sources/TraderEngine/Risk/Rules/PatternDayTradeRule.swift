public import TraderCore

/// Whether the account may borrow. It matters here for one reason: the pattern-day-trader rule
/// applies to margin accounts only (see `PatternDayTradeRule`).
public enum AccountType: String, CaseIterable, Sendable, Codable, Hashable {
    case cash, margin
}


/// FINRA's pattern-day-trader rule as the portfolio enforces it: a margin account with less than
/// 25,000 of equity may make at most 3 day trades in any 5 rolling business days.
///
/// - A day trade is a position opened and closed on the same calendar day (UTC dates of the entry
///   and exit fills), whatever closed it (signal or stop).
/// - Business days are Monday to Friday; exchange holidays are not modelled, and a fill on a
///   Saturday or Sunday belongs to the following Monday. The window is the current business day
///   and the 4 before it.
/// - The rule binds only margin accounts below the equity line; cash accounts are not subject to
///   it (their own constraint, settlement of sale proceeds, is not modelled).
///
/// Enforcement is on entries, because exits must never be refused: an entry on day D is allowed
/// only while the day trades already made in the window ending on D, plus the positions opened on
/// D that are still open (each could still become a day trade today), are fewer than 3. Then no
/// window of 5 business days can ever hold a fourth day trade.
public enum PatternDayTradeRule {
    /// Below this equity a margin account is subject to the rule.
    public static let equityThreshold = 25_000.0
    /// Most day trades in the window.
    public static let maxDayTrades = 3
    /// Business days in the rolling window.
    public static let windowBusinessDays = 5

    /// Whether the rule binds an account of `type` with `equity`.
    public static func applies(to type: AccountType, equity: Double) -> Bool {
        type == .margin && equity < equityThreshold
    }

    /// Whether `trade` was opened and closed on the same calendar day.
    public static func isDayTrade(_ trade: Trade) -> Bool { trade.entryTime.epochDay == trade.exitTime.epochDay }

    /// Business days (Monday to Friday) since the epoch, counting `time`'s day; a weekend day
    /// counts as the following Monday.
    public static func businessDay(_ time: Timestamp) -> Int64 {
        let day = time.epochDay
        // 1970-01-05 (day 4) was a Monday; weeks are counted from it.
        let shifted = day - 4
        let week = shifted >= 0 ? shifted / 7 : (shifted - 6) / 7
        let weekday = shifted - week * 7  // 0 = Monday … 6 = Sunday
        return week * 5 + min(weekday, 5)
    }

    /// The day trades in `trades` that fall in the window of 5 business days ending on `time`'s
    /// business day (trades after it are ignored).
    public static func dayTradeCount(_ trades: [Trade], windowEndingAt time: Timestamp) -> Int {
        let end = businessDay(time)
        return trades.reduce(0) { count, t in
            guard isDayTrade(t) else { return count }
            let d = businessDay(t.exitTime)
            return d <= end && d > end - Int64(windowBusinessDays) ? count + 1 : count
        }
    }

    /// Whether an entry is allowed under the rule. `dayTradesInWindow` counts the day trades made
    /// in the window ending today; `openedTodayStillOpen` counts today's entries still open.
    public static func allowsEntry(accountType: AccountType, equity: Double, dayTradesInWindow: Int, openedTodayStillOpen: Int) -> Bool {
        !applies(to: accountType, equity: equity) || dayTradesInWindow + openedTodayStillOpen < maxDayTrades
    }
}

/// The day trades an account has made, kept by business day so the rolling count is cheap.
public struct DayTradeLedger: Sendable, Hashable {
    /// Business days of past day trades, oldest first (pruned to the window).
    private var days: [Int64] = []

    public init() {}

    /// Records a closed trade (only day trades are kept).
    public mutating func record(_ trade: Trade) {
        guard PatternDayTradeRule.isDayTrade(trade) else { return }
        days.append(PatternDayTradeRule.businessDay(trade.exitTime))
    }

    /// Day trades in the window ending on `time`'s business day.
    public mutating func count(windowEndingAt time: Timestamp) -> Int {
        let end = PatternDayTradeRule.businessDay(time)
        let first = end - Int64(PatternDayTradeRule.windowBusinessDays) + 1
        if let i = days.firstIndex(where: { $0 >= first }) { days.removeFirst(i) } else { days.removeAll() }
        return days.reduce(0) { $1 <= end ? $0 + 1 : $0 }
    }
}

/// The pattern-day-trader rule as a risk check (see `PatternDayTradeRule`): entries refused while
/// the day trades in the window plus today's entries still open have reached the limit, for a
/// margin account below the equity line at the previous close (as FINRA looks at the prior
/// day's equity).
public struct PatternDayTrader: RiskCheck, Sendable, Hashable {
    public let accountType: AccountType
    var ledger = DayTradeLedger()
    var day: Int64 = .min
    var lastEquity = Double.nan
    var previousDayEquity = Double.nan
    var days = DayRange()

    public init(accountType: AccountType) { self.accountType = accountType }

    public var observesCloses: Bool { accountType == .margin }

    public mutating func observe(equity: Double, at time: Timestamp) {
        if !days.contains(time) {
            let today = days.move(to: time)
            if today != day { day = today; previousDayEquity = lastEquity }
        }
        lastEquity = equity
    }

    public mutating func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        let equity = lastEquity.isNaN ? account.equity : lastEquity
        let made = ledger.count(windowEndingAt: proposal.time)
        return PatternDayTradeRule.allowsEntry(accountType: accountType, equity: equity, dayTradesInWindow: made,
                                               openedTodayStillOpen: account.openedTodayStillOpen)
            ? .accept
            : .refuse(RiskRefusal(.patternDayTrader, Double(made), Double(account.openedTodayStillOpen)))
    }

    public mutating func record(_ fill: Fill, closing trades: ArraySlice<Trade>, account: RiskAccount) {
        for t in trades { ledger.record(t) }
    }
}
