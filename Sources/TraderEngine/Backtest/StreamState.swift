import TraderCore
import TraderStrategies

/// What a streaming backtest carries from one chunk to the next: the statistics' running parts
/// and the few values at the chunk boundary. Its size does not grow with the bars (the calendar
/// keeps one entry per day, the trades are folded in as they close).
struct StreamState {
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
    /// Equity at the end of each period, by `CalendarTracker.Period`, and how many of the
    /// calendar's period ends have been turned into values.
    private var periodEndEquity: [[Double]] = [[], [], [], []]
    private var periodEndsRead = [0, 0, 0, 0]
    /// Chunk buffers, reused. Slot 0 holds the previous chunk's last bar, so the first bar of a
    /// chunk has its return like any other.
    private var equity: [Double] = []
    private var marketReturns: [Double] = []
    private var times: [Int64] = []

    mutating func add<S: Strategy>(
        _ chunk: BarSeries, isLast: Bool, kernel: inout TradingKernel<S, NoEventSink>, settings: ExecutionSettings,
        firstTradingBar: Int
    ) throws {
        let n = chunk.count, offset = bars
        if offset > 0 && chunk.timestamps[0] <= lastTime {
            throw DomainError.invalid(field: "bars", reason: "chunk at bar \(offset) starts at \(Timestamp(nanos: chunk.timestamps[0])), not after the previous bar (\(Timestamp(nanos: lastTime)))")
        }
        let previousEquity = offset > 0 ? equity[equity.count - 1] : .nan
        let previousTime = offset > 0 ? times[times.count - 1] : 0
        equity.removeAll(keepingCapacity: true)
        equity.append(previousEquity)
        equity.append(contentsOf: repeatElement(0, count: n))
        if !outOfMoney {
            let stoppedAt = equity.withUnsafeMutableBufferPointer { buffer in
                Backtester.runLoop(&kernel, series: chunk, firstIndex: offset, isLastChunk: isLast, closeAtEnd: settings.closeAtEnd,
                                   equity: UnsafeMutableBufferPointer(rebasing: buffer[1...]), progress: nil)
            }
            if stoppedAt != nil { outOfMoney = true }
        }
        for t in kernel.takeClosedTrades() {
            trades.add(t)
            exposure.add(entry: t.entryBar, exit: t.exitBar)
        }

        marketReturns.removeAll(keepingCapacity: true)
        marketReturns.append(contentsOf: repeatElement(0, count: n + 1))
        times.removeAll(keepingCapacity: true)
        times.append(previousTime)
        times.append(contentsOf: repeatElement(0, count: n))
        chunk.close.withUnsafeBufferPointer { c in
            marketReturns.withUnsafeMutableBufferPointer { market.add(closes: c, into: $0.baseAddress! + 1) }
        }
        chunk.timestamps.withUnsafeBufferPointer { t in
            times.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: 1).update(from: t.baseAddress!, count: n) }
            calendar.add(timestamps: t)
        }
        equity.withUnsafeBufferPointer { e in
        marketReturns.withUnsafeBufferPointer { y in
        times.withUnsafeBufferPointer { t in
            MetricsCalculator.scan(equity: e.baseAddress!, market: y.baseAddress!, times: t.baseAddress!, bars: 1..<n + 1,
                                   runStart: offset == 0 ? 1 : nil, indexOffset: offset - 1, beta: &beta, drawdown: &drawdown)
        }}}

        if offset == 0 {
            firstEquity = equity[1]
            startTime = chunk.timestamps[0]
        }
        if (offset..<offset + n).contains(firstTradingBar) { buyAndHoldBase = chunk.close[firstTradingBar - offset] }
        bars += n
        lastClose = chunk.close[n - 1]
        lastTime = chunk.timestamps[n - 1]
        collectPeriodEnds(offset: offset)
    }

    /// Turns the calendar's new period ends (bar numbers in this chunk or the last bar of the one
    /// before) into equity values while the chunk's equity is still at hand.
    private mutating func collectPeriodEnds(offset: Int) {
        for k in 0..<4 {
            let ends = calendar.ends[k]
            while periodEndsRead[k] < ends.count {
                periodEndEquity[k].append(equity[ends[periodEndsRead[k]] - offset + 1])
                periodEndsRead[k] += 1
            }
        }
    }

    /// The statistics of the whole stream.
    mutating func finish() -> PerformanceMetrics {
        let last = bars - 1
        drawdown.finish(last, lastTime)
        let summary = calendar.finish()
        collectPeriodEnds(offset: bars - (equity.count - 1))
        if buyAndHoldBase.isNaN { buyAndHoldBase = lastClose }  // fewer bars than the warm-up
        return MetricsCalculator.assemble(MetricsInputs(
            barCount: bars, startNanos: startTime, endNanos: lastTime, firstEquity: firstEquity, finalEquity: equity[equity.count - 1],
            buyAndHoldBase: buyAndHoldBase, lastClose: lastClose, drawdown: drawdown,
            beta: beta.beta(returns: bars - 1, marketSum: market.sum, marketSumOfSquares: market.sumOfSquares),
            periodic: PeriodicReturns(periodEndEquity: periodEndEquity[summary.returnsPeriod.rawValue]),
            period: summary.period, annualPeriods: summary.annualPeriods, trades: trades, exposedBars: exposure.total))
    }
}
