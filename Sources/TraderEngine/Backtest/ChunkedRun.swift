import TraderCore
import TraderStrategies

/// A backtest run a chunk of bars at a time, keeping only running statistics: memory is one
/// chunk's buffers whatever the length of the run.
///
/// Two users: the streaming backtest, whose chunks are separate series read from a file or a
/// generator, and the optimizer, whose chunks are ranges of one in-memory series shared by all
/// workers (so a worker never holds an equity curve of the whole series, and the number of
/// workers does not multiply memory by the series' length). With the series' `SeriesProfile`
/// (optimizer), market returns and period ends come from it; without (streaming), they are worked
/// out chunk by chunk (`MarketReturns`, `CalendarTracker`).
///
/// The statistics are folded in from the same parts as the in-memory run; with chunks that are
/// multiples of 512 bars (the block of `MetricsCalculator.scan`) and a profile, the additions
/// even happen in the same order, so the result is bit-identical to `Backtester.run`.
struct ChunkedRun {
    private let profile: SeriesProfile?
    private(set) var bars = 0
    private(set) var outOfMoney = false
    private(set) var lastClose = Double.nan
    private(set) var lastTime: Int64 = 0
    private var startTime: Int64 = 0
    private var firstEquity = Double.nan
    private var buyAndHoldBase = Double.nan
    private var drawdown = DrawdownAnalysis()
    private var beta = BetaAccumulator()
    private var market = MarketReturns()
    private var calendar = CalendarTracker()
    private var trades = TradeStatistics()
    private var exposure = ExposureUnion()
    /// Equity at the end of each period, by `CalendarTracker.Period` (streaming), or at the
    /// profile's period ends; and how many period ends have been turned into values.
    private var periodEndEquity: [[Double]] = [[], [], [], []]
    private var periodEndsRead = [0, 0, 0, 0]
    /// Chunk buffers, reused. Slot 0 holds the previous chunk's last bar, so the first bar of a
    /// chunk has its return like any other.
    private var equity: [Double] = []
    private var marketReturns: [Double] = []
    private var times: [Int64] = []

    init(profile: SeriesProfile? = nil) {
        self.profile = profile
    }

    /// Runs bars `range` of `series` (a streamed chunk: all of it) through `kernel` and folds them
    /// into the statistics. `series` position `i` is bar `firstIndex + i` of the run.
    mutating func add<S: Strategy>(
        _ series: BarSeries, bars range: Range<Int>, firstIndex: Int, isLast: Bool,
        kernel: inout TradingKernel<S, NoEventSink>, settings: ExecutionSettings, firstTradingBar: Int
    ) throws {
        let n = range.count, offset = bars
        precondition(n > 0 && firstIndex + range.lowerBound == offset, "chunks must follow each other")
        if offset > 0 && series.timestamps[range.lowerBound] <= lastTime {
            throw DomainError.invalid(field: "bars", reason: "chunk at bar \(offset) starts at \(Timestamp(nanos: series.timestamps[range.lowerBound])), not after the previous bar (\(Timestamp(nanos: lastTime)))")
        }
        let previousEquity = offset > 0 ? equity[equity.count - 1] : .nan
        let previousTime = offset > 0 ? times[times.count - 1] : 0
        refill(&equity, first: previousEquity, count: n)
        if !outOfMoney {
            let stoppedAt = equity.withUnsafeMutableBufferPointer { buffer in
                Backtester.runLoop(&kernel, series: series, bars: range, firstIndex: firstIndex, isLastChunk: isLast,
                                   closeAtEnd: settings.closeAtEnd, equity: UnsafeMutableBufferPointer(rebasing: buffer[1...]),
                                   progress: nil)
            }
            if stoppedAt != nil { outOfMoney = true }
        }
        for t in kernel.takeClosedTrades() {
            trades.add(t)
            exposure.add(entry: t.entryBar, exit: t.exitBar)
        }

        refill(&marketReturns, first: 0, count: n)
        refill(&times, first: previousTime, count: n)
        series.timestamps.withUnsafeBufferPointer { t in
            let chunk = UnsafeBufferPointer(rebasing: t[range])
            times.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: 1).update(from: chunk.baseAddress!, count: n) }
            if profile == nil { calendar.add(timestamps: chunk) }
        }
        marketReturns.withUnsafeMutableBufferPointer { y in
            if let profile {
                profile.marketReturns.withUnsafeBufferPointer { all in
                    y.baseAddress!.advanced(by: 1).update(from: all.baseAddress! + offset, count: n)
                }
            } else {
                series.close.withUnsafeBufferPointer { c in market.add(closes: UnsafeBufferPointer(rebasing: c[range]), into: y.baseAddress! + 1) }
            }
        }
        equity.withUnsafeBufferPointer { e in
        marketReturns.withUnsafeBufferPointer { y in
        times.withUnsafeBufferPointer { t in
            MetricsCalculator.scan(equity: e.baseAddress!, market: y.baseAddress!, times: t.baseAddress!, bars: 1..<n + 1,
                                   runStart: offset == 0 ? 1 : nil, indexOffset: offset - 1, beta: &beta, drawdown: &drawdown)
        }}}

        if offset == 0 {
            firstEquity = equity[1]
            startTime = series.timestamps[range.lowerBound]
        }
        if (offset..<offset + n).contains(firstTradingBar) { buyAndHoldBase = series.close[range.lowerBound + firstTradingBar - offset] }
        bars += n
        lastClose = series.close[range.upperBound - 1]
        lastTime = series.timestamps[range.upperBound - 1]
        collectPeriodEnds(offset: offset)
    }

    /// Sets `buffer` to `first` followed by `count` zeros, keeping its capacity.
    private func refill<T: Numeric>(_ buffer: inout [T], first: T, count: Int) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(first)
        buffer.append(contentsOf: repeatElement(0, count: count))
    }

    /// Turns the period ends reached so far (bar numbers in this chunk, or the last bar of the one
    /// before) into equity values while the chunk's equity is still at hand.
    private mutating func collectPeriodEnds(offset: Int) {
        if let profile {
            let ends = profile.periodEnds
            while periodEndsRead[0] < ends.count, Int(ends[periodEndsRead[0]]) < bars {
                periodEndEquity[0].append(equity[Int(ends[periodEndsRead[0]]) - offset + 1])
                periodEndsRead[0] += 1
            }
            return
        }
        for k in 0..<4 {
            let ends = calendar.ends[k]
            while periodEndsRead[k] < ends.count {
                periodEndEquity[k].append(equity[ends[periodEndsRead[k]] - offset + 1])
                periodEndsRead[k] += 1
            }
        }
    }

    /// The statistics of the whole run.
    mutating func finish() -> PerformanceMetrics {
        drawdown.finish(bars - 1, lastTime)
        if buyAndHoldBase.isNaN { buyAndHoldBase = lastClose }  // fewer bars than the warm-up
        let period: Duration64, annualPeriods: Double, returns: PeriodicReturns, betaValue: Double
        if let profile {
            precondition(profile.barCount == bars, "the profile must be of the bars run")
            period = profile.period
            annualPeriods = profile.annualPeriods
            returns = PeriodicReturns(periodEndEquity: periodEndEquity[0])
            betaValue = beta.beta(profile)
        } else {
            let summary = calendar.finish()
            collectPeriodEnds(offset: bars - (equity.count - 1))
            period = summary.period
            annualPeriods = summary.annualPeriods
            returns = PeriodicReturns(periodEndEquity: periodEndEquity[summary.returnsPeriod.rawValue])
            betaValue = beta.beta(returns: bars - 1, marketSum: market.sum, marketSumOfSquares: market.sumOfSquares)
        }
        return MetricsCalculator.assemble(MetricsInputs(
            barCount: bars, startNanos: startTime, endNanos: lastTime, firstEquity: firstEquity, finalEquity: equity[equity.count - 1],
            buyAndHoldBase: buyAndHoldBase, lastClose: lastClose, drawdown: drawdown, beta: betaValue,
            periodic: returns, period: period, annualPeriods: annualPeriods, trades: trades, exposedBars: exposure.total))
    }
}
