public import TraderCore

/// When equity at a close has fallen `fraction` below the day's starting equity (the last close
/// of the previous day), no entry is allowed for the rest of that calendar day (UTC).
public struct DailyLossLimit: RiskCheck, Sendable, Hashable {
    public let fraction: Double
    var day: Int64 = .min
    var dayStartEquity = Double.nan
    var lastEquity = Double.nan
    var haltedDay: Int64 = .min
    /// `day` as a range of times, so a close within it needs no division.
    var days = DayRange()

    public init(_ fraction: Double) { self.fraction = fraction }

    public var observesCloses: Bool { true }

    public mutating func observe(equity: Double, at time: Timestamp) {
        if !days.contains(time) {
            day = days.move(to: time)
            dayStartEquity = lastEquity.isNaN ? equity : lastEquity
        }
        lastEquity = equity
        if equity < dayStartEquity * (1 - fraction) { haltedDay = day }
    }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        haltedDay == proposal.time.epochDay
            ? .refuse(RiskRefusal(.dailyLossLimit, fraction)) : .accept
    }
}

/// When equity at a close is `fraction` or more below its running peak, entries stop for good
/// (until the bot is reset): the drawdown halt of a trading desk.
public struct DrawdownHalt: RiskCheck, Sendable, Hashable {
    public let fraction: Double
    var peak = -Double.infinity
    public private(set) var halted = false

    public init(_ fraction: Double) { self.fraction = fraction }

    public var observesCloses: Bool { true }

    public mutating func observe(equity: Double, at time: Timestamp) {
        peak = max(peak, equity)
        if equity <= peak * (1 - fraction) { halted = true }
    }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        halted ? .refuse(RiskRefusal(.drawdownHalt, fraction)) : .accept
    }
}

/// The calendar day (UTC) of the latest close, as a range of times: rules that keep days test
/// each close against it and divide only when a new day starts.
struct DayRange: Sendable, Hashable {
    private var start = Int64.max
    private var end = Int64.min

    /// Whether `time` falls on the current day.
    func contains(_ time: Timestamp) -> Bool { time.nanos >= start && time.nanos < end }

    /// Makes `time`'s day the current one; returns it (days since the epoch).
    mutating func move(to time: Timestamp) -> Int64 {
        let day = time.epochDay
        let (s, o1) = day.multipliedReportingOverflow(by: Timestamp.nanosPerDay)
        let (e, o2) = s.addingReportingOverflow(Timestamp.nanosPerDay)
        // At the ends of the timestamp range the day is not representable: never cache it.
        if o1 || o2 { start = .max; end = .min } else { start = s; end = e }
        return day
    }
}
