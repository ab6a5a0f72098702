public import TraderCore

/// Everything a backtest produced: what was run, the statistics, the equity curve and the trades.
public struct BacktestResult: Sendable {
    public let symbol: String
    public let strategy: String
    public let settings: ExecutionSettings
    public let timeframe: Timeframe
    /// Bar timestamps: the input series' column, shared (not copied; for bars from the store,
    /// the mapped file's pages).
    public let timestamps: BarColumn<Int64>
    /// Equity marked at each bar's close.
    public let equity: [Double]
    /// Closed trades, in the order they closed.
    public let trades: [Trade]
    /// Positions still open after the last bar, marked at its close (not in the statistics).
    public let openTrades: [Trade]
    public let metrics: PerformanceMetrics
    public let fills: Int
    public let rejectedOrders: Int
    /// True when equity reached zero and the run stopped early, as backtesting.py does.
    public let ranOutOfMoney: Bool
    /// The sizer that sized the entries; nil when they used `settings.positionFraction`.
    public let sizing: SizingSummary?
    /// Signal entries the sizer declined (it gave a fraction ≤ 0).
    public let skippedEntries: Int

    public init(symbol: String, strategy: String, settings: ExecutionSettings, timeframe: Timeframe, timestamps: BarColumn<Int64>, equity: [Double], trades: [Trade], openTrades: [Trade], metrics: PerformanceMetrics, fills: Int, rejectedOrders: Int, ranOutOfMoney: Bool,
                sizing: SizingSummary? = nil, skippedEntries: Int = 0) {
        self.symbol = symbol
        self.strategy = strategy
        self.settings = settings
        self.timeframe = timeframe
        self.timestamps = timestamps
        self.equity = equity
        self.trades = trades
        self.openTrades = openTrades
        self.metrics = metrics
        self.fills = fills
        self.rejectedOrders = rejectedOrders
        self.ranOutOfMoney = ranOutOfMoney
        self.sizing = sizing
        self.skippedEntries = skippedEntries
    }

    public var barCount: Int { equity.count }
}
