public import TraderCore

/// Computes `PerformanceMetrics` from an equity curve, the closed trades and the bars, in O(n)
/// passes without per-bar allocation.
public enum MetricsCalculator {
    /// - Parameters:
    ///   - equity: equity marked at each bar's close, one value per bar.
    ///   - trades: closed trades (open positions at the end are not counted, as in backtesting.py).
    ///   - firstTradingBar: first bar at which the strategy's indicators are defined; buy and hold
    ///     is measured from its close.
    ///   - profile: the series' calendar and market returns; pass one shared profile when running
    ///     many backtests over the same bars (it is built here otherwise).
    public static func compute(equity: [Double], trades: [Trade], series: BarSeries, firstTradingBar: Int,
                               profile: SeriesProfile? = nil) -> PerformanceMetrics {
        let n = equity.count
        precondition(n == series.count && n > 0, "equity must have one value per bar")
        if let profile { precondition(profile.barCount == n, "the profile must be of the same series") }
        var metrics = MetricsAccumulator(profile: profile)
        // Trades close in order and nearly always open in order too; the exposure union takes them
        // by entry bar, so sort only when they are not.
        let inOrder = zip(trades, trades.dropFirst()).allSatisfy { $0.entryBar <= $1.entryBar }
        for t in inOrder ? trades : trades.sorted(by: { $0.entryBar < $1.entryBar }) { metrics.add(t) }
        equity.withUnsafeBufferPointer { e in
        series.timestamps.withUnsafeBufferPointer { t in
        series.close.withUnsafeBufferPointer { c in
            var start = 0
            while start < n {
                let count = min(MetricsAccumulator.chunkSize, n - start)
                metrics.add(equity: e.baseAddress! + start, times: t.baseAddress! + start, closes: c.baseAddress! + start,
                            count: count, firstTradingBar: min(max(firstTradingBar, 0), n - 1))
                start += count
            }
        }}}
        return metrics.finish()
    }

    /// One pass over bars `bars` of the buffers, in blocks: beta (vectorized, see
    /// `BetaAccumulator`) also collects each block's equity range, which settles the drawdown of
    /// most blocks without a per-bar pass (see `DrawdownAnalysis.add`). Separate passes over whole
    /// arrays would stream the columns from memory several times.
    ///
    /// Each bar's return is taken from the bar before it in the buffers, except at `runStart`, the
    /// run's first bar (when it is in `bars`), which has none. `indexOffset` maps buffer indices to
    /// bar numbers of the run. Shared by the in-memory and the streaming backtest.
    @inline(__always)
    static func scan(equity e: UnsafePointer<Double>, market y: UnsafePointer<Double>, times t: UnsafePointer<Int64>,
                     bars: Range<Int>, runStart: Int?, indexOffset: Int,
                     beta: inout BetaAccumulator, drawdown dd: inout DrawdownAnalysis) {
        let block = 512
        var start = bars.lowerBound
        while start < bars.upperBound {
            let end = min(bars.upperBound, start + block)
            var range = EquityRange()
            var returnsStart = start
            if start == runStart { range.add(e[start]); returnsStart += 1 }
            beta.add(equity: e, market: y, bars: returnsStart..<end, range: &range)
            dd.add(equity: e, times: t, bars: start..<end, indexOffset: indexOffset, range: range)
            start = end
        }
    }

    /// The statistics from their parts; shared by the in-memory and the streaming backtest.
    static func assemble(_ x: MetricsInputs) -> PerformanceMetrics {
        let n = x.barCount
        let e0 = x.firstEquity, eN = x.finalEquity
        let dd = x.drawdown, stats = x.trades, period = x.period
        let returnPct = (eN - e0) / e0 * 100
        let buyHold = (x.lastClose - x.buyAndHoldBase) / x.buyAndHoldBase * 100

        // Periodic (daily) returns of the equity curve.
        let annualDays = x.annualPeriods
        let g = x.periodic.geometricMean
        let annualized = pow(1 + g, annualDays) - 1
        let (variance, downside) = x.periodic.dispersion
        let volatility = (pow(variance + (1 + g) * (1 + g), annualDays) - pow(1 + g, 2 * annualDays)).squareRoot() * 100
        let durationNanos = x.endNanos - x.startNanos
        let years = Double(durationNanos / Timestamp.nanosPerSecond) / 86_400 / 365.25
        let cagr = years != 0 ? (pow(eN / e0, 1 / years) - 1) * 100 : .nan
        let sharpe = annualized * 100 / (volatility == 0 ? .nan : volatility)
        let sortino = annualized / (downside * annualDays.squareRoot())
        let calmar = annualized / (dd.maxDrawdown == 0 ? .nan : dd.maxDrawdown)
        let alpha = returnPct - x.beta * buyHold

        return PerformanceMetrics(
            start: Timestamp(nanos: x.startNanos), end: Timestamp(nanos: x.endNanos), duration: Duration64(nanos: durationNanos),
            exposureTimePct: Double(x.exposedBars) / Double(n) * 100,
            equityFinal: eN, equityPeak: dd.peak, commissions: stats.commissions,
            returnPct: returnPct, buyAndHoldReturnPct: buyHold,
            annualizedReturnPct: annualized * 100, annualizedVolatilityPct: volatility, cagrPct: cagr,
            sharpeRatio: sharpe, sortinoRatio: sortino, calmarRatio: calmar, alphaPct: alpha, beta: x.beta,
            maxDrawdownPct: -dd.maxDrawdown * 100, avgDrawdownPct: -dd.meanEpisodeDepth * 100,
            maxDrawdownDuration: dd.maxEpisodeNanos.map { ceil(Duration64(nanos: $0), to: period) },
            avgDrawdownDuration: dd.meanEpisodeNanos.map { ceil(Duration64(nanos: $0), to: period) },
            tradeCount: stats.count, winRatePct: stats.winRate * 100,
            bestTradePct: stats.best * 100, worstTradePct: stats.worst * 100, avgTradePct: stats.geometricMean * 100,
            maxTradeDuration: stats.maxDurationNanos.map { ceil(Duration64(nanos: $0), to: period) },
            avgTradeDuration: stats.meanDurationNanos.map { ceil(Duration64(nanos: $0), to: period) },
            profitFactor: stats.profitFactor, expectancyPct: stats.meanReturn * 100, sqn: stats.sqn,
            kellyCriterion: stats.kelly, annualTradingDays: annualDays)
    }

    /// The bar spacing as backtesting.py reads it: the median gap among the last 100 timestamps.
    public static func dataPeriod(_ ts: [Int64]) -> Duration64 {
        guard ts.count >= 2 else { return Duration64(nanos: Timestamp.nanosPerDay) }
        let tail = ts.suffix(100)
        var gaps: [Int64] = []
        gaps.reserveCapacity(tail.count)
        var prev = tail.first!
        for t in tail.dropFirst() { gaps.append(t - prev); prev = t }
        gaps.sort()
        let m = gaps.count
        let median = m % 2 == 1 ? gaps[m / 2] : (gaps[m / 2 - 1] + gaps[m / 2]) / 2
        return Duration64(nanos: median)
    }

    /// Rounds `d` up to the resolution of `period` (whole days for daily bars, hours for hourly),
    /// as pandas' `Timedelta.ceil(period.resolution_string)`.
    public static func ceil(_ d: Duration64, to period: Duration64) -> Duration64 {
        var unit: Int64 = 1
        for u in [Timestamp.nanosPerDay, 3_600_000_000_000, 60_000_000_000, Timestamp.nanosPerSecond, 1_000_000, 1_000] where period.nanos % u == 0 {
            unit = u
            break
        }
        let q = d.nanos / unit, r = d.nanos % unit
        return Duration64(nanos: (r > 0 ? q + 1 : q) * unit)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the statistics are computed from, whether the bars came as one series or in chunks.
struct MetricsInputs {
    var barCount: Int
    var startNanos: Int64
    var endNanos: Int64
    var firstEquity: Double
    var finalEquity: Double
    /// Close of the first trading bar and of the last bar (buy and hold).
    var buyAndHoldBase: Double
    var lastClose: Double
    var drawdown: DrawdownAnalysis
    var beta: Double
    var periodic: PeriodicReturns
    var period: Duration64
    var annualPeriods: Double
    var trades: TradeStatistics
    var exposedBars: Int
}
