import TraderCore
import TraderStrategies

/// A backtest run a chunk of bars at a time, keeping only running statistics
/// (`MetricsAccumulator`): memory is one chunk's equity whatever the length of the run.
///
/// Two users: the streaming backtest, whose chunks are separate series read from a file or a
/// generator, and the optimizer, whose chunks are ranges of one in-memory series shared by all
/// workers (so a worker never holds an equity curve of the whole series, and the number of
/// workers does not multiply memory by the series' length).
struct ChunkedRun {
    private var metrics: MetricsAccumulator
    private(set) var outOfMoney = false
    /// The current chunk's equity after slot 0, which holds the previous chunk's last bar (so the
    /// first bar of a chunk has its return like any other). Reused.
    private var equity: [Double] = []

    init(profile: SeriesProfile? = nil) {
        metrics = MetricsAccumulator(profile: profile)
    }

    var bars: Int { metrics.bars }
    var lastClose: Double { metrics.lastClose }
    var lastTime: Int64 { metrics.lastTime }

    /// Runs bars `range` of `series` (a streamed chunk: all of it) through `kernel` and folds them
    /// into the statistics. `series` position `i` is bar `firstIndex + i` of the run.
    mutating func add<S: Strategy>(
        _ series: BarSeries, bars range: Range<Int>, firstIndex: Int, isLast: Bool,
        kernel: inout TradingKernel<S, SimulatedBroker, NoEventSink>, settings: ExecutionSettings, firstTradingBar: Int
    ) throws {
        let n = range.count, offset = metrics.bars
        precondition(n > 0 && firstIndex + range.lowerBound == offset, "chunks must follow each other")
        if offset > 0 && series.timestamps[range.lowerBound] <= metrics.lastTime {
            throw DomainError.invalid(field: "bars", reason: "chunk at bar \(offset) starts at \(Timestamp(nanos: series.timestamps[range.lowerBound])), not after the previous bar (\(Timestamp(nanos: metrics.lastTime)))")
        }
        let previous = metrics.lastEquity
        equity.removeAll(keepingCapacity: true)
        equity.append(previous)
        equity.append(contentsOf: repeatElement(0, count: n))
        if !outOfMoney {
            let stoppedAt = equity.withUnsafeMutableBufferPointer { buffer in
                Backtester.runLoop(&kernel, series: series, bars: range, firstIndex: firstIndex, isLastChunk: isLast,
                                   endOfRun: settings.endOfRunExit, equity: UnsafeMutableBufferPointer(rebasing: buffer[1...]),
                                   progress: nil)
            }
            if stoppedAt != nil { outOfMoney = true }
        }
        for t in kernel.takeClosedTrades() { metrics.add(t) }
        equity.withUnsafeBufferPointer { e in
        series.timestamps.withUnsafeBufferPointer { t in
        series.close.withUnsafeBufferPointer { c in
            metrics.add(equity: e.baseAddress! + 1, times: t.baseAddress! + range.lowerBound, closes: c.baseAddress! + range.lowerBound,
                        count: n, firstTradingBar: firstTradingBar)
        }}}
    }

    /// The statistics of the whole run.
    mutating func finish() -> PerformanceMetrics { metrics.finish() }
}
