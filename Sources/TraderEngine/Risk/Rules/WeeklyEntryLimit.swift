public import TraderCore

/// At most `count` new positions opened per calendar week (Monday to Sunday, UTC): the trade
/// frequency limit of small accounts, where every round trip's costs weigh. Entries are counted
/// when they fill (an order that opens or adds to a position); exits never count and are never
/// refused.
public struct WeeklyEntryLimit: RiskCheck, Sendable, Hashable {
    public let count: Int
    var week: Int64 = .min
    var entries = 0

    public init(_ count: Int) { self.count = count }

    /// Calendar week, Monday to Sunday (UTC), as a running number (`Timestamp.epochWeek`).
    @inlinable public static func week(of time: Timestamp) -> Int64 { time.epochWeek }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        let made = Self.week(of: proposal.time) == week ? entries : 0
        return made < count ? .accept : .refuse(RiskRefusal(.weeklyEntryLimit, Double(made), Double(count)))
    }

    public mutating func record(_ fill: Fill, closing trades: ArraySlice<Trade>, account: RiskAccount) {
        // An entry leaves a position on the fill's side (a reversal is an exit and an entry).
        guard account.position * fill.side.sign > 0 else { return }
        let w = Self.week(of: fill.timestamp)
        if w != week { week = w; entries = 0 }
        entries += 1
    }
}
