import TraderCore

/// Folds a run into its statistics a chunk of bars at a time: the one path by which every
/// backtest's statistics are computed — the in-memory run (`MetricsCalculator.compute`, chunks of
/// its equity curve), the optimizer (`Backtester.statistics`) and the streaming backtest
/// (`Backtester.runStreaming`). Memory is one chunk of market returns whatever the run's length.
///
/// With the series' `SeriesProfile` (the optimizer, which runs many backtests over one series),
/// market returns and period ends are read from it; without, they are worked out chunk by chunk
/// (`MarketReturns`, `CalendarTracker`). Either way the statistics are the same up to the order of
/// additions; for one chunking they are deterministic, and chunks that are multiples of 512 bars
/// (the block of `MetricsCalculator.scan`) give bit-identical results with and without a profile
/// when the profile was built with the same chunking.
struct MetricsAccumulator {
    /// Bars per chunk for runs over an in-memory series: a multiple of `scan`'s 512-bar block.
    /// The profile's market sums are built in chunks of this size too, so that runs with and
    /// without a profile add in the same order and agree bit for bit.
    static let chunkSize = 1 << 15

    private let profile: SeriesProfile?
    private(set) var bars = 0
    private var startTime: Int64 = 0
    private(set) var lastTime: Int64 = 0
    private(set) var lastClose = Double.nan
    private var firstEquity = Double.nan
    private(set) var lastEquity = Double.nan
    private var buyAndHoldBase = Double.nan
    private var drawdown = DrawdownAnalysis()
    private var beta = BetaAccumulator()
    private var market = MarketReturns()
    private var calendar = CalendarTracker()
    private var trades = TradeStatistics()
    private var exposure = ExposureUnion()
    /// Equity at the end of each period, by `CalendarTracker.Period` (without a profile) or at the
    /// profile's period ends (index 0); and how many period ends have been turned into values.
    private var periodEndEquity: [[Double]] = [[], [], [], []]
    private var periodEndsRead = [0, 0, 0, 0]
    /// With a profile: equity at its period ends, filled in place, and how many are filled.
    private var profileEndEquity: [Double] = []
    private var profileEndsRead = 0
    /// Market returns of the current chunk (without a profile), reused.
    private var marketBuffer: [Double] = []

    init(profile: SeriesProfile? = nil) {
        self.profile = profile
        if let profile { profileEndEquity = [Double](repeating: 0, count: profile.periodEnds.count) }
    }

    /// Adds `count` bars: equity `e`, timestamps `t` and closes `c`, each pointing at the chunk's
    /// first bar. Unless this is the run's first chunk, `e[-1]` must be the previous bar's equity
    /// (the chunk's first return needs it).
    mutating func add(equity e: UnsafePointer<Double>, times t: UnsafePointer<Int64>, closes c: UnsafePointer<Double>,
                      count n: Int, firstTradingBar: Int) {
        guard n > 0 else { return }
        let offset = bars
        let times = UnsafeBufferPointer(start: t, count: n)
        if profile == nil { calendar.add(timestamps: times) }
        let scanChunk = { (y: UnsafePointer<Double>, beta: inout BetaAccumulator, drawdown: inout DrawdownAnalysis) in
            MetricsCalculator.scan(equity: e, market: y, times: t, bars: 0..<n, runStart: offset == 0 ? 0 : nil,
                                   indexOffset: offset, beta: &beta, drawdown: &drawdown)
        }
        if let profile {
            profile.marketReturns.withUnsafeBufferPointer { scanChunk($0.baseAddress! + offset, &beta, &drawdown) }
        } else {
            if marketBuffer.count < n { marketBuffer = [Double](repeating: 0, count: n) }
            marketBuffer.withUnsafeMutableBufferPointer { y in
                market.add(closes: UnsafeBufferPointer(start: c, count: n), into: y.baseAddress!)
                scanChunk(UnsafePointer(y.baseAddress!), &beta, &drawdown)
            }
        }
        if offset == 0 {
            firstEquity = e[0]
            startTime = t[0]
        }
        if (offset..<offset + n).contains(firstTradingBar) { buyAndHoldBase = c[firstTradingBar - offset] }
        bars += n
        lastTime = t[n - 1]
        lastClose = c[n - 1]
        lastEquity = e[n - 1]
        collectPeriodEnds(equity: e, offset: offset)
    }

    /// Adds a closed trade (in the order trades close).
    mutating func add(_ trade: Trade) {
        trades.add(trade)
        exposure.add(entry: trade.entryBar, exit: trade.exitBar)
    }

    /// Turns the period ends reached so far (bars of this chunk, or the last bar of the one before
    /// at `e[-1]`) into equity values while the chunk's equity is at hand.
    private mutating func collectPeriodEnds(equity e: UnsafePointer<Double>, offset: Int) {
        if let profile {
            // Once per period per run: kept to plain loads and stores into a preallocated array.
            let limit = bars
            var read = profileEndsRead
            profile.periodEnds.withUnsafeBufferPointer { ends in
                profileEndEquity.withUnsafeMutableBufferPointer { out in
                    while read < ends.count, Int(ends[read]) < limit {
                        out[read] = e[Int(ends[read]) - offset]
                        read += 1
                    }
                }
            }
            profileEndsRead = read
            return
        }
        for k in 0..<4 {
            let ends = calendar.ends[k]
            while periodEndsRead[k] < ends.count {
                periodEndEquity[k].append(e[ends[periodEndsRead[k]] - offset])
                periodEndsRead[k] += 1
            }
        }
    }

    /// The statistics of the whole run.
    mutating func finish() -> PerformanceMetrics {
        precondition(bars > 0, "no bars")
        drawdown.finish(bars - 1, lastTime)
        if buyAndHoldBase.isNaN { buyAndHoldBase = lastClose }  // fewer bars than the warm-up
        let period: Duration64, annualPeriods: Double, returns: PeriodicReturns, betaValue: Double
        if let profile {
            precondition(profile.barCount == bars, "the profile must be of the bars run")
            period = profile.period
            annualPeriods = profile.annualPeriods
            returns = PeriodicReturns(periodEndEquity: profileEndEquity)
            betaValue = beta.beta(profile)
        } else {
            let summary = calendar.finish()
            // The calendar closes every period at the last bar.
            for k in 0..<4 where periodEndsRead[k] < calendar.ends[k].count { periodEndEquity[k].append(lastEquity) }
            period = summary.period
            annualPeriods = summary.annualPeriods
            returns = PeriodicReturns(periodEndEquity: periodEndEquity[summary.returnsPeriod.rawValue])
            betaValue = beta.beta(returns: bars - 1, marketSum: market.sum, marketSumOfSquares: market.sumOfSquares)
        }
        return MetricsCalculator.assemble(MetricsInputs(
            barCount: bars, startNanos: startTime, endNanos: lastTime, firstEquity: firstEquity, finalEquity: lastEquity,
            buyAndHoldBase: buyAndHoldBase, lastClose: lastClose, drawdown: drawdown, beta: betaValue,
            periodic: returns, period: period, annualPeriods: annualPeriods, trades: trades, exposedBars: exposure.total))
    }
}
