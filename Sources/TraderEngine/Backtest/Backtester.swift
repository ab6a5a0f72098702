public import TraderCore
public import TraderStrategies

/// Runs a strategy over a bar series through the `TradingKernel` and computes the statistics.
public enum Backtester {
    /// Version of what the engine computes. Cached results are keyed by it (and by the build of
    /// the executable), so bump it with any change that alters a run's trades or statistics.
    public static let engineVersion = 2  // 2: a trade's commission is exactly the sum of its fills' commissions

    /// How often (in bars) the progress callback is called.
    public static let progressInterval = 1 << 16

    /// Runs `strategy` over `series`. Generic, so the whole bar loop is specialized for `S`.
    /// `sizer`, when given, sizes the entries (a prototype: the run uses a fresh copy). `progress`
    /// is called every `progressInterval` bars with (bars done, total). `profile` is the series'
    /// `SeriesProfile` when the caller runs many backtests over it (built otherwise).
    @inlinable
    public static func run<S: Strategy>(
        _ strategy: S, name: String, on series: BarSeries, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil,
        profile: SeriesProfile? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(DomainError) -> BacktestResult {
        var events = NoEventSink()
        return try run(strategy, name: name, on: series, settings: settings, sizer: sizer, events: &events, profile: profile,
                       progress: progress)
    }

    /// Runs `strategy` and reports every kernel event to `events`.
    @inlinable
    public static func run<S: Strategy, E: EventSink>(
        _ strategy: S, name: String, on series: BarSeries, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil,
        events: inout E, profile: SeriesProfile? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(DomainError) -> BacktestResult {
        let n = series.count
        guard n > 0 else { throw .invalid(field: "data", reason: "no bars to backtest (check --start/--end)") }
        let warmup = strategy.warmupBars
        var kernel = try TradingKernel(strategy: strategy, settings: settings, sizer: sizer, events: events)
        // The loop writes every element (zeros after running out of money), so the 8 MB per million
        // bars are not zero-filled first: that would touch every page twice.
        var outOfMoney = false
        let equity = [Double](unsafeUninitializedCapacity: n) { out, initialized in
            outOfMoney = runLoop(&kernel, series: series, endOfRun: settings.endOfRunExit, equity: out, progress: progress)
                != nil
            initialized = n
        }
        events = kernel.events
        return result(of: kernel, name: name, series: series, equity: equity, settings: settings, warmup: warmup,
                      sizer: sizer, ranOutOfMoney: outOfMoney, profile: profile)
    }

    /// The report of a finished run: `kernel` after the last bar of `series` (end-of-run exit
    /// applied), `equity` marked at each bar. Shared by the backtest and by runs fed a bar at a
    /// time (`SteppedRun`: paper sessions), so both report the same numbers from the same state.
    @inlinable
    public static func result<S: Strategy, B: PortfolioBroker, E: EventSink>(
        of kernel: TradingKernel<S, B, E>, name: String, series: BarSeries, equity: [Double],
        settings: ExecutionSettings, warmup: Int, sizer: (any PositionSizer)?, ranOutOfMoney: Bool, profile: SeriesProfile? = nil
    ) -> BacktestResult {
        let n = series.count
        let portfolio = kernel.broker.portfolio
        let last = series[n - 1]
        let metrics = MetricsCalculator.compute(equity: equity, trades: portfolio.closedTrades, series: series,
                                                firstTradingBar: max(0, warmup - 1), profile: profile)
        return BacktestResult(
            symbol: series.symbol, strategy: name, settings: settings, timeframe: series.timeframe,
            timestamps: series.timestamps, equity: equity, trades: portfolio.closedTrades,
            openTrades: portfolio.markedOpenTrades(at: last.close, bar: n - 1, time: last.timestamp),
            metrics: metrics, fills: kernel.broker.fillCount, rejectedOrders: kernel.broker.rejectedOrders,
            ranOutOfMoney: ranOutOfMoney, sizing: sizer?.summary, skippedEntries: kernel.skippedEntries)
    }

    /// The bar loop: walks the columns, feeds the kernel, writes every element of `equity`.
    /// Returns the bar at which equity reached zero, if it did (the rest of `equity` is then
    /// zero, as in backtesting.py).
    ///
    /// The run may come in chunks: `bars` is the part of `series` to run now (all of it by
    /// default; `equity` has one element per bar of it), `firstIndex` is added to bar positions to
    /// number bars in the run (orders and trades record these numbers; a streamed chunk is a
    /// series of its own), and `isLastChunk` says whether the last bar ends the run (where
    /// `endOfRun` applies). Returns the position in `series` of the bar where equity reached zero.
    ///
    /// The per-bar path is kept minimal (see "The hot path" in docs/architecture.md):
    /// - the strategy lives in a local variable for the run (`TradingKernel.withStrategy`), so its
    ///   state can stay in registers and the optimizer can hoist its copy-on-write checks out of
    ///   the loop;
    /// - the loop is compiled once per fill timing, without the setting's test on every bar, and
    ///   once more for a sizer that observes bars: without one, the loop has no sizing code;
    /// - columns are read through unsafe buffer pointers (equal lengths are checked once, so no
    ///   bounds check per column per bar);
    /// - the progress test runs once per `progressInterval` bars in an outer loop, and the
    ///   end-of-data close is handled after the loop instead of being tested on every bar.
    @inlinable @inline(__always)
    static func runLoop<S: Strategy, E: EventSink>(
        _ kernel: inout TradingKernel<S, SimulatedBroker, E>, series: BarSeries, bars: Range<Int>? = nil, firstIndex: Int = 0,
        isLastChunk: Bool = true, endOfRun: EndOfRunExit, equity: UnsafeMutableBufferPointer<Double>,
        progress: (@Sendable (Int, Int) -> Void)?
    ) -> Int? {
        let n = series.count
        let range = bars ?? 0..<n
        let first = range.lowerBound
        precondition(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= n && equity.count == range.count
                     && series.open.count == n && series.high.count == n && series.low.count == n
                     && series.close.count == n && series.volume.count == n,
                     "bar columns must have equal lengths and equity one value per bar run")
        return withColumns(of: series) { ts, o, h, l, c, v in
        kernel.withStrategy { strategy, core in
            @inline(__always) func bar(_ i: Int) -> Bar {
                Bar(timestamp: Timestamp(nanos: ts[i]), open: o[i], high: h[i], low: l[i], close: c[i], volume: v[i])
            }
            @inline(__always) func bits(_ column: UnsafeBufferPointer<Double>, _ i: Int) -> UInt64 {
                UnsafeRawPointer(column.baseAddress! + i).load(as: UInt64.self)
            }
            /// Out of money at bar `i`: close everything and stop; equity stays at zero from `i` on.
            func stop(at i: Int) -> Int {
                core.closeAll(bar(i), index: firstIndex + i)
                equity.extracting((i - first)...).initialize(repeating: 0)
                return i
            }
            let last = range.upperBound - 1
            /// All bars but the last; returns the bar at which equity reached zero, if any. Called
            /// with constants, so each fill timing gets its own copy of the loop, and a sizer that
            /// observes bars a third (with the fill timing tested per bar: the sizer's call costs
            /// more than the test).
            @inline(__always) func run(fillAtClose: Bool, observeBars: Bool) -> Int? {
                var i = first
                while i < last {
                    let chunkEnd = progress == nil ? last : min(last, (i | (progressInterval - 1)) + 1)
                    while i < chunkEnd {
                        // Touch open, high and low once per cache line (8 bars), even if the
                        // strategy ignores them: the broker reads them on each bar with a working
                        // order, one in twenty here, and if the loop skipped these columns that
                        // read would wait for DRAM every time (measured: a fifth of the loop's
                        // time). Touched in order, the columns stream into the cache ahead of use.
                        // Their bits go to a field of the kernel, so the compiler can neither drop
                        // the reads nor sink them into the rare branch. (Volume is read only if
                        // the strategy reads it.)
                        if i & 7 == 0 { core.prefetchSink ^= bits(o, i) ^ bits(h, i) ^ bits(l, i) }
                        let e = core.onBar(bar(i), index: firstIndex + i, strategy: &strategy, fillAtClose: fillAtClose,
                                           observeBars: observeBars)
                        if e <= 0 { return i }
                        equity[i - first] = e
                        i += 1
                    }
                    if let progress, i & (progressInterval - 1) == 0 { progress(i, n) }
                }
                return nil
            }
            let stopped = core.observesBars ? run(fillAtClose: core.fillAtClose, observeBars: true)
                : core.fillAtClose ? run(fillAtClose: true, observeBars: false) : run(fillAtClose: false, observeBars: false)
            if let i = stopped { return stop(at: i) }
            // The last bar: at the end of the run, the chosen exit of what is still open
            // (`EndOfRunExit`), which may mark this bar's equity again.
            var e = core.onBar(bar(last), index: firstIndex + last, strategy: &strategy, fillAtClose: core.fillAtClose,
                               observeBars: core.observesBars)
            if isLastChunk && endOfRun != .none, let marked = core.exitAtEnd(endOfRun, bar(last), index: firstIndex + last) {
                e = marked
            }
            if e <= 0 { return stop(at: last) }
            equity[last - first] = e
            if let progress, n & (progressInterval - 1) == 0 { progress(n, n) }
            return nil
        }}
    }

    /// Calls `body` with the six columns of `series` as unsafe buffer pointers, valid only inside.
    @inlinable @inline(__always)
    static func withColumns<R>(
        of series: BarSeries,
        _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
                 UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) -> R
    ) -> R {
        series.timestamps.withUnsafeBufferPointer { ts in
        series.open.withUnsafeBufferPointer { o in
        series.high.withUnsafeBufferPointer { h in
        series.low.withUnsafeBufferPointer { l in
        series.close.withUnsafeBufferPointer { c in
        series.volume.withUnsafeBufferPointer { v in
            body(ts, o, h, l, c, v)
        }}}}}}
    }

    /// Runs the strategy described by `spec`, specialized for its concrete type.
    public static func run(
        _ spec: StrategySpec, on series: BarSeries, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil,
        profile: SeriesProfile? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> BacktestResult {
        try spec.checkFits(barCount: series.count)
        return try spec.accept(RunVisitor(name: spec.description, series: series, settings: settings, sizer: sizer, profile: profile,
                                   progress: progress))
    }

    struct RunVisitor: StrategyVisitor {
        let name: String
        let series: BarSeries
        let settings: ExecutionSettings
        let sizer: (any PositionSizer)?
        let profile: SeriesProfile?
        let progress: (@Sendable (Int, Int) -> Void)?
        func visit<S: Strategy>(_ strategy: S) throws -> BacktestResult {
            try Backtester.run(strategy, name: name, on: series, settings: settings, sizer: sizer, profile: profile,
                               progress: progress)
        }
    }
}
