public import TraderCore

/// Win rate and average win and loss of the trades closed so far, kept incrementally (O(1) per
/// trade) for rules that learn from the run's own results, such as Kelly.
///
/// Wins and losses are measured by each trade's return (`Trade.returnPct`, net of commission), not
/// its profit in money: a return does not depend on the size of the position, so the statistics
/// do not feed back on the sizing that produced them. A break-even trade counts as a non-win, as
/// in the report's win rate, and as no loss.
public struct ClosedTradeStatistics: Hashable, Sendable {
    /// Trades counted.
    public private(set) var count = 0
    /// Trades with a positive return.
    public private(set) var wins = 0
    /// Trades with a negative return.
    public private(set) var losses = 0
    /// Sum of the winning trades' returns (positive).
    public private(set) var winReturnSum = 0.0
    /// Sum of the losing trades' returns, as a positive magnitude.
    public private(set) var lossReturnSum = 0.0

    public init() {}

    /// Counts `trade`.
    public mutating func add(_ trade: Trade) { add(returnPct: trade.returnPct) }

    /// Counts a trade with return `r` (0.05 = +5 %).
    public mutating func add(returnPct r: Double) {
        count += 1
        if r > 0 {
            wins += 1
            winReturnSum += r
        } else if r < 0 {
            losses += 1
            lossReturnSum -= r
        }
    }

    /// Share of trades that won, in [0, 1]; NaN before the first trade.
    public var winRate: Double { count == 0 ? .nan : Double(wins) / Double(count) }
    /// Mean return of the winning trades; 0 when none won.
    public var averageWin: Double { wins == 0 ? 0 : winReturnSum / Double(wins) }
    /// Mean loss of the losing trades, as a positive magnitude; 0 when none lost.
    public var averageLoss: Double { losses == 0 ? 0 : lossReturnSum / Double(losses) }
    /// Average win over average loss (Kelly's `b`): +∞ when nothing lost, 0 when nothing won.
    public var payoffRatio: Double {
        if averageLoss == 0 { return averageWin > 0 ? .infinity : 0 }
        return averageWin / averageLoss
    }
}
