public import TraderCore
public import TraderStrategies

/// Runs a strategy over a bar series through the `TradingKernel` and computes the statistics.
public enum Backtester {
    /// How often (in bars) the progress callback is called.
    public static let progressInterval = 1 << 16

    /// Runs `strategy` over `series`. Generic, so the whole bar loop is specialized for `S`.
    /// `progress` is called every `progressInterval` bars with (bars done, total).
    @inlinable
    public static func run<S: Strategy>(
        _ strategy: S, name: String, on series: BarSeries, settings: ExecutionSettings,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(DomainError) -> BacktestResult {
        var events = NoEventSink()
        return try run(strategy, name: name, on: series, settings: settings, events: &events, progress: progress)
    }

    /// Runs `strategy` and reports every kernel event to `events`.
    @inlinable
    public static func run<S: Strategy, E: EventSink>(
        _ strategy: S, name: String, on series: BarSeries, settings: ExecutionSettings, events: inout E,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(DomainError) -> BacktestResult {
        let n = series.count
        guard n > 0 else { throw .invalid(field: "data", reason: "no bars to backtest (check --start/--end)") }
        let warmup = strategy.warmupBars
        var kernel = try TradingKernel(strategy: strategy, settings: settings, events: events)
        var equity = [Double](repeating: 0, count: n)
        let outOfMoney = equity.withUnsafeMutableBufferPointer { out in
            runLoop(&kernel, series: series, closeAtEnd: settings.closeAtEnd, equity: out, progress: progress)
        }
        events = kernel.events
        let portfolio = kernel.broker.portfolio
        let last = series[n - 1]
        let metrics = MetricsCalculator.compute(equity: equity, trades: portfolio.closedTrades, series: series,
                                                firstTradingBar: max(0, warmup - 1))
        return BacktestResult(
            symbol: series.symbol, strategy: name, settings: settings, timeframe: series.timeframe,
            timestamps: series.timestamps, equity: equity, trades: portfolio.closedTrades,
            openTrades: portfolio.markedOpenTrades(at: last.close, bar: n - 1, time: last.timestamp),
            metrics: metrics, fills: kernel.broker.fillCount, rejectedOrders: kernel.broker.rejectedOrders,
            ranOutOfMoney: outOfMoney)
    }

    /// The bar loop: walks the columns, feeds the kernel, writes equity. Returns whether equity
    /// reached zero (the rest of `equity` is then zero, as in backtesting.py).
    @inlinable @inline(__always)
    static func runLoop<S: Strategy, E: EventSink>(
        _ kernel: inout TradingKernel<S, E>, series: BarSeries, closeAtEnd: Bool,
        equity: UnsafeMutableBufferPointer<Double>, progress: (@Sendable (Int, Int) -> Void)?
    ) -> Bool {
        let n = series.count
        let ts = series.timestamps, o = series.open, h = series.high, l = series.low, c = series.close, v = series.volume
        var i = 0
        while i < n {
            let bar = Bar(timestamp: Timestamp(nanos: ts[i]), open: o[i], high: h[i], low: l[i], close: c[i], volume: v[i])
            var e = kernel.onBar(bar, index: i)
            if i == n - 1 && closeAtEnd && kernel.broker.position != 0 {
                kernel.closeAll(bar, index: i)
                e = kernel.broker.portfolio.equity(at: c[i])
            }
            if e <= 0 {
                // Out of money: close everything and stop; equity stays at zero.
                kernel.closeAll(bar, index: i)
                return true
            }
            equity[i] = e
            i += 1
            if let progress, i & (progressInterval - 1) == 0 { progress(i, n) }
        }
        return false
    }

    /// Runs the strategy described by `spec`, specialized for its concrete type.
    public static func run(
        _ spec: StrategySpec, on series: BarSeries, settings: ExecutionSettings,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> BacktestResult {
        try spec.accept(RunVisitor(name: spec.description, series: series, settings: settings, progress: progress))
    }

    struct RunVisitor: StrategyVisitor {
        let name: String
        let series: BarSeries
        let settings: ExecutionSettings
        let progress: (@Sendable (Int, Int) -> Void)?
        func visit<S: Strategy>(_ strategy: S) throws -> BacktestResult {
            try Backtester.run(strategy, name: name, on: series, settings: settings, progress: progress)
        }
    }
}
