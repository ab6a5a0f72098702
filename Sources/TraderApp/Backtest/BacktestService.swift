public import TraderCore
public import TraderEngine
public import TraderStrategies

/// What a user asks a backtest for: data, strategy and execution settings, all validated.
public struct BacktestRequest: Sendable {
    public var source: DataSource
    public var start: Timestamp?
    public var end: Timestamp?
    public var strategy: StrategySpec
    public var settings: ExecutionSettings

    public init(source: DataSource, start: Timestamp? = nil, end: Timestamp? = nil, strategy: StrategySpec, settings: ExecutionSettings) {
        self.source = source
        self.start = start
        self.end = end
        self.strategy = strategy
        self.settings = settings
    }
}

/// Runs backtests for the CLI, the API and workflows: loads the data, runs the kernel, returns
/// the result. No database, cache or network is touched.
public struct BacktestService: Sendable {
    public let data: MarketDataLocator

    public init(data: MarketDataLocator = MarketDataLocator()) { self.data = data }

    /// Loads the bars of `request` (so callers can show their size before running).
    public func loadBars(for request: BacktestRequest) throws(AppError) -> BarSeries {
        try data.load(request.source, start: request.start, end: request.end)
    }

    /// Runs `request` on already loaded `bars`.
    public func run(_ request: BacktestRequest, bars: BarSeries, progress: (@Sendable (Int, Int) -> Void)? = nil) throws(AppError) -> BacktestResult {
        do {
            return try Backtester.run(request.strategy, on: bars, settings: request.settings, progress: progress)
        } catch let e as DomainError {
            throw .usage(e.description)
        } catch let e as StrategyError {
            throw .usage(e.description)
        } catch {
            throw .runtime("backtest failed: \(error)")
        }
    }

    /// Loads and runs in one call.
    public func run(_ request: BacktestRequest) throws(AppError) -> BacktestResult {
        try run(request, bars: try loadBars(for: request))
    }
}
