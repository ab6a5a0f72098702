public import TraderCore
public import TraderStrategies

extension Backtester {
    /// Bars per chunk when only the statistics of a run are wanted: a multiple of the metrics'
    /// 512-bar block, so the statistics are bit-identical to `run`'s.
    public static var statisticsChunk: Int { MetricsAccumulator.chunkSize }

    /// The statistics of `strategy` over `series`, as `run` computes them, without keeping the
    /// equity curve or the trade list: the run goes through `series` in chunks (ranges of it, not
    /// copies), so memory is one chunk's buffers whatever the length of the series. This is what
    /// each optimization run uses, so that N workers over a long series need N chunks, not N
    /// equity curves. `sizer` as in `run`.
    public static func statistics<S: Strategy>(
        _ strategy: S, on series: BarSeries, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil,
        profile: SeriesProfile
    ) throws(DomainError) -> PerformanceMetrics {
        let n = series.count
        guard n > 0 else { throw .invalid(field: "data", reason: "no bars to backtest (check --start/--end)") }
        var kernel = try TradingKernel(strategy: strategy, settings: settings, sizer: sizer, events: NoEventSink())
        var run = ChunkedRun(profile: profile)
        var start = 0
        while start < n {
            let end = min(n, start + statisticsChunk)
            do {
                try run.add(series, bars: start..<end, firstIndex: 0, isLast: end == n, kernel: &kernel, settings: settings,
                            firstTradingBar: max(0, strategy.warmupBars - 1))
            } catch let e as DomainError {
                throw e
            } catch {
                throw .invalid(field: "bars", reason: "\(error)")
            }
            start = end
        }
        return run.finish()
    }

    /// `statistics` for the strategy described by `spec`, specialized for its type.
    public static func statistics(
        _ spec: StrategySpec, on series: BarSeries, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil,
        profile: SeriesProfile
    ) throws -> PerformanceMetrics {
        try spec.accept(StatisticsVisitor(series: series, settings: settings, sizer: sizer, profile: profile))
    }

    struct StatisticsVisitor: StrategyVisitor {
        let series: BarSeries
        let settings: ExecutionSettings
        let sizer: (any PositionSizer)?
        let profile: SeriesProfile
        func visit<S: Strategy>(_ strategy: S) throws -> PerformanceMetrics {
            try Backtester.statistics(strategy, on: series, settings: settings, sizer: sizer, profile: profile)
        }
    }
}
