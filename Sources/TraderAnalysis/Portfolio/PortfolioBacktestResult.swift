public import TraderCore
public import TraderEngine

/// One execution of a portfolio backtest, with the account as it stood around it, so the
/// allocation rules can be checked fill by fill.
public struct PortfolioFill: Hashable, Sendable {
    public let symbol: String
    /// Index on the portfolio's timeline.
    public let barIndex: Int
    public let time: Timestamp
    public let side: OrderSide
    public let units: Double
    /// Price after spread and slippage.
    public let price: Double
    public let commission: Double
    /// Signal or stop-loss.
    public let reason: ExitReason
    /// Equity just before the fill, every holding marked at its current price (this bar's open
    /// for symbols with a bar now, else the last close).
    public let equityBefore: Double
    /// Value of all positions just after the fill, marked the same way (the new one at its fill
    /// price).
    public let exposureAfter: Double
    /// Cash just after the fill.
    public let cashAfter: Double
    /// Positions open just after the fill.
    public let openPositionsAfter: Int
    /// The tier whose rules applied.
    public let tier: CapitalTier
}

/// A closed or still-open round trip of one symbol. `trade`'s bar indices are on the portfolio's
/// timeline.
public struct PortfolioTrade: Hashable, Sendable {
    public let symbol: String
    public let trade: Trade
}

/// What one symbol added to the portfolio's result.
public struct SymbolContribution: Hashable, Sendable {
    public let symbol: String
    public let bars: Int
    /// Net profit of its closed trades (after their commissions).
    public let realizedPnL: Double
    /// Open position marked at the symbol's last close, less the entry commission paid.
    public let unrealizedPnL: Double
    /// All commissions paid on the symbol.
    public let commissions: Double
    public let closedTrades: Int
    /// Units still held at the end.
    public let openUnits: Double

    /// `realizedPnL + unrealizedPnL`; the contributions sum to final equity minus starting cash.
    public var pnl: Double { realizedPnL + unrealizedPnL }
}

/// Why a buy signal did not become a position.
public enum EntrySkipReason: String, CaseIterable, Sendable, Hashable {
    /// The current tier does not allow the strategy.
    case strategyNotAllowed = "strategy-not-allowed"
    /// The day's loss reached the tier's daily limit.
    case dailyLossLimit = "daily-loss-limit"
    /// The tier's maximum number of open positions is reached.
    case maxPositions = "max-positions"
    /// The tier's maximum of new positions this week is reached.
    case weeklyTradeLimit = "weekly-trade-limit"
    /// Another entry could make a fourth day trade in 5 business days (margin account < 25,000).
    case patternDayTrader = "pattern-day-trader"
    /// The positions already fill the tier's exposure cap.
    case exposureCap = "exposure-cap"
    /// Not enough cash, or the allowed amount buys less than one unit.
    case insufficientCash = "insufficient-cash"
}

/// A buy signal that did not become a position, and why.
public struct SkippedEntry: Hashable, Sendable {
    public let symbol: String
    public let barIndex: Int
    public let time: Timestamp
    public let reason: EntrySkipReason
    public let tier: CapitalTier
}

/// Everything a portfolio backtest produced.
public struct PortfolioBacktestResult: Sendable {
    public let symbols: [String]
    /// The strategy each symbol ran, as `name(parameters)`.
    public let strategy: String
    public let profile: PortfolioProfile
    public let settings: PortfolioSettings
    /// The aligned timeline (union of the symbols' timestamps).
    public let timestamps: [Int64]
    /// Equity at each close: cash plus every position marked at its symbol's last close.
    public let equity: [Double]
    /// Cash at each close.
    public let cash: [Double]
    /// Value of all positions at each close.
    public let exposure: [Double]
    /// Positions open at each close.
    public let openPositions: [Int]
    /// The tier whose rules applied to each bar's fills (the tier after the previous close).
    public let tiers: [CapitalTier]
    public let startTier: CapitalTier
    /// Tier changes, in order, each at the close that caused it.
    public let tierChanges: [TierChange]
    public let fills: [PortfolioFill]
    /// Closed trades, in the order they closed.
    public let trades: [PortfolioTrade]
    /// Positions still open after the last bar, marked at their symbols' last closes (not in the
    /// statistics, as in the single-symbol backtest).
    public let openTrades: [PortfolioTrade]
    public let contributions: [SymbolContribution]
    public let skippedEntries: [SkippedEntry]
    /// The standard statistics of the combined equity curve; buy and hold, beta and alpha are
    /// against an equal-weight basket of the symbols (see `PortfolioTimeline.basketSeries`).
    public let metrics: PerformanceMetrics

    public var barCount: Int { timestamps.count }
    /// The tier after the last close.
    public var finalTier: CapitalTier { tierChanges.last?.to ?? startTier }

    /// How many entries were skipped for each reason, in the order of `EntrySkipReason.allCases`.
    public var skippedCounts: [(EntrySkipReason, Int)] {
        EntrySkipReason.allCases.compactMap { r in
            let n = skippedEntries.reduce(0) { $1.reason == r ? $0 + 1 : $0 }
            return n > 0 ? (r, n) : nil
        }
    }
}
