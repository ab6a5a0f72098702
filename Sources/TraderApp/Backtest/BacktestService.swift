public import TraderAnalysis
public import TraderCore
public import TraderEngine
public import TraderStrategies

/// What a user asks a backtest for: data, strategy, execution settings and position sizing, all
/// validated.
public struct BacktestRequest: Sendable {
    public var source: DataSource
    public var start: Timestamp?
    public var end: Timestamp?
    public var strategy: StrategySpec
    public var settings: ExecutionSettings
    /// How entries are sized; nil: `settings.positionFraction` of equity each time.
    public var sizing: SizingConfiguration?

    public init(source: DataSource, start: Timestamp? = nil, end: Timestamp? = nil, strategy: StrategySpec, settings: ExecutionSettings,
                sizing: SizingConfiguration? = nil) {
        self.source = source
        self.start = start
        self.end = end
        self.strategy = strategy
        self.settings = settings
        self.sizing = sizing
    }

    /// Refuses a request whose windows (the strategy's, the volatility sizer's ATR) are longer
    /// than the `barCount` bars it would run on, before anything is allocated for them.
    public func checkFits(barCount: Int) throws(AppError) {
        do { try strategy.checkFits(barCount: barCount) } catch { throw .usage(error.description) }
        if let sizing, sizing.rule == .volatility, sizing.atrPeriod > barCount {
            throw .usage("--atr-period: is \(sizing.atrPeriod) bars, longer than the data (\(barCount) bars)")
        }
    }

    /// A fresh sizer for one run of this request (nil without sizing); invalid sizing values are
    /// usage errors naming the option.
    public func makeSizer() throws(AppError) -> (any PositionSizer)? {
        guard let sizing else { return nil }
        do { return try sizing.makeSizer() } catch {
            switch error { case let .invalid(field, reason): throw .usage("--\(field): \(reason)") }
        }
    }
}

/// Runs backtests for the CLI, the API and workflows: loads the data, runs the kernel, returns
/// the result. With a cache, `result(for:)` serves a repeated request (same data version, inputs
/// and engine) from it and loads bars through it; without one nothing but the data is touched.
public struct BacktestService: Sendable {
    public let data: MarketDataLocator
    public let cache: AppCache?

    public init(data: MarketDataLocator = MarketDataLocator(), cache: AppCache? = nil) {
        self.data = data
        self.cache = cache
    }

    /// The result of `request`: from the cache when it holds it, else loaded (bars through the
    /// cache too) and run. `progress` is called only when the kernel runs.
    public func result(for request: BacktestRequest, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws(AppError) -> BacktestResult {
        guard let cache else { return try run(request, bars: try loadBars(for: request), progress: progress) }
        let version = try data.dataVersion(of: request.source)
        return try await cache.backtest(request, dataVersion: version) { () async throws(AppError) -> BacktestResult in
            let bars = try await self.bars(for: request, dataVersion: version)
            return try self.run(request, bars: bars, progress: progress)
        }
    }

    /// The bars of `request`, through the cache when there is one.
    public func bars(for request: BacktestRequest) async throws(AppError) -> BarSeries {
        guard cache != nil else { return try loadBars(for: request) }
        return try await bars(for: request, dataVersion: try data.dataVersion(of: request.source))
    }

    func bars(for request: BacktestRequest, dataVersion: String) async throws(AppError) -> BarSeries {
        guard let cache else { return try loadBars(for: request) }
        let data = self.data
        return try await cache.bars(dataVersion: dataVersion, start: request.start, end: request.end) { () throws(AppError) -> BarSeries in
            try data.load(request.source, start: request.start, end: request.end)
        }
    }

    /// Loads the bars of `request` (so callers can show their size before running).
    public func loadBars(for request: BacktestRequest) throws(AppError) -> BarSeries {
        try data.load(request.source, start: request.start, end: request.end)
    }

    /// Runs `request` on already loaded `bars`.
    public func run(_ request: BacktestRequest, bars: BarSeries, progress: (@Sendable (Int, Int) -> Void)? = nil) throws(AppError) -> BacktestResult {
        try request.checkFits(barCount: bars.count)
        let sizer = try request.makeSizer()
        do {
            return try Backtester.run(request.strategy, on: bars, settings: request.settings, sizer: sizer, progress: progress)
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
