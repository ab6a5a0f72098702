public import TraderCore

/// Everything a sizing rule may use to size one signal entry, as known when the entry is decided
/// (at the decision bar's close): nothing from later bars.
public struct SizingRequest: Sendable {
    /// The bar the signal was decided on (0-based from the start of the run).
    public var barIndex: Int
    public var time: Timestamp
    public var side: OrderSide
    /// The decision bar's close: the latest price known. The entry fills later (next open) or at
    /// this close, depending on `ExecutionSettings.fill`.
    public var price: Double
    /// Equity marked at that close.
    public var equity: Double
    /// Fraction of equity committed to positions that stay open after this signal's exits. The
    /// kernel trades one instrument and enters only from flat (a reversal exits first), so it
    /// passes 0 today; a caller allocating across positions passes what the others hold.
    public var exposure: Double
    /// The strategy's confidence in the signal, in [0, 1] (`Strategy.signalConfidence`; 1 for
    /// strategies that have no notion of it).
    public var confidence: Double
    /// Trades closed before this decision (in a reversal, the position being exited is not
    /// among them yet: its exit has not filled).
    public var trades: ClosedTradeStatistics

    public init(barIndex: Int, time: Timestamp, side: OrderSide, price: Double, equity: Double, exposure: Double = 0,
                confidence: Double = 1, trades: ClosedTradeStatistics = ClosedTradeStatistics()) {
        self.barIndex = barIndex
        self.time = time
        self.side = side
        self.price = price
        self.equity = equity
        self.exposure = exposure
        self.confidence = confidence
        self.trades = trades
    }
}
