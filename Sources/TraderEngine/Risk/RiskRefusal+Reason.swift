public import TraderCore

extension RiskRefusal {
    /// Why the order was refused, in one line: what reports, logs and the API print.
    public var reason: String {
        if let text { return text }
        switch rule {
        case .dailyLossLimit: return "daily loss limit: equity fell more than \(Percent(first)) today"
        case .drawdownHalt: return "drawdown halt: equity fell \(Percent(first)) from its peak"
        case .patternDayTrader:
            return "pattern-day-trader rule: \(Int(first)) day trades in 5 business days and \(Int(second)) opened today, equity below \(Int(PatternDayTradeRule.equityThreshold))"
        case .maxOpenPositions: return "\(Int(first)) positions open, at most \(Int(second))"
        case .maxPositionFraction: return "position at \(limit)"
        case .maxExposureFraction, .cashReserve: return limit
        case .weeklyEntryLimit: return "\(Int(first)) positions opened this week, at most \(Int(second))"
        case .tierStrategy: return "the capital tier does not allow the strategy"
        }
    }

    /// The limit of a size rule in words ("20 % of equity per position"); what its cuts say too.
    public var limit: String {
        switch rule {
        case .maxPositionFraction: "\(Percent(first)) of equity per position"
        case .maxExposureFraction: "total exposure at most \(Percent(first)) of equity"
        case .cashReserve: "\(Percent(first)) of equity kept in cash"
        default: reason
        }
    }
}
