public import TraderCore

/// When equity at a close has fallen `fraction` below the day's starting equity (the last close
/// of the previous day), no entry is allowed for the rest of that calendar day (UTC).
public struct DailyLossLimit: RiskCheck, Sendable, Hashable {
    public let fraction: Double
    var day: Int64 = .min
    var dayStartEquity = Double.nan
    var lastEquity = Double.nan
    var haltedDay: Int64 = .min

    public init(_ fraction: Double) { self.fraction = fraction }

    public var observesCloses: Bool { true }

    public mutating func observe(equity: Double, at time: Timestamp) {
        let today = time.epochDay
        if today != day {
            day = today
            dayStartEquity = lastEquity.isNaN ? equity : lastEquity
        }
        lastEquity = equity
        if equity < dayStartEquity * (1 - fraction) { haltedDay = today }
    }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        haltedDay == proposal.time.epochDay
            ? .refuse(rule: .dailyLossLimit, reason: "daily loss limit: equity fell more than \(Percent(fraction)) today") : .accept
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
        halted ? .refuse(rule: .drawdownHalt, reason: "drawdown halt: equity fell \(Percent(fraction)) from its peak") : .accept
    }
}
