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
        let profile = profile ?? SeriesProfile(series)
        precondition(profile.barCount == n, "the profile must be of the same series")
        let ts = series.timestamps
        let close = series.close
        let period = profile.period

        // One pass over the bars in blocks: beta (vectorized, see `BetaAccumulator`) also collects
        // each block's equity range, which settles the drawdown of most blocks without a per-bar
        // pass (see `DrawdownAnalysis.add`). Separate passes over whole arrays would stream the
        // columns from memory several times. The calendar comes from the profile.
        var dd = DrawdownAnalysis()
        var beta = BetaAccumulator()
        var periodic = PeriodicReturns(returns: [])
        equity.withUnsafeBufferPointer { eq in
        profile.marketReturns.withUnsafeBufferPointer { my in
        ts.withUnsafeBufferPointer { tt in
            let e = eq.baseAddress!, y = my.baseAddress!, t = tt.baseAddress!
            let block = 512
            var start = 0
            while start < n {
                let end = min(n, start + block)
                var range = EquityRange()
                if start == 0 { range.add(e[0]) }  // the first bar has no return
                beta.add(equity: e, market: y, bars: max(start, 1)..<end, range: &range)
                dd.add(equity: e, times: t, bars: start..<end, range: range)
                start = end
            }
            dd.finish(n - 1, t[n - 1])
            periodic = PeriodicReturns(equity: e, periodEnds: profile.periodEnds)
        }}}

        // Exposure: bars from entry to exit inclusive, over all bars.
        let exposedCount = exposedBars(trades, barCount: n)

        let e0 = equity[0], eN = equity[n - 1]
        let returnPct = (eN - e0) / e0 * 100
        let ftb = min(max(firstTradingBar, 0), n - 1)
        let buyHold = (close[n - 1] - close[ftb]) / close[ftb] * 100

        // Periodic (daily) returns of the equity curve.
        let annualDays = profile.annualPeriods
        let g = periodic.geometricMean
        let annualized = pow(1 + g, annualDays) - 1
        let (variance, downside) = periodic.dispersion
        let volatility = (pow(variance + (1 + g) * (1 + g), annualDays) - pow(1 + g, 2 * annualDays)).squareRoot() * 100
        let durationNanos = ts[n - 1] - ts[0]
        let years = Double(durationNanos / Timestamp.nanosPerSecond) / 86_400 / 365.25
        let cagr = years != 0 ? (pow(eN / e0, 1 / years) - 1) * 100 : .nan
        let sharpe = annualized * 100 / (volatility == 0 ? .nan : volatility)
        let sortino = annualized / (downside * annualDays.squareRoot())
        let calmar = annualized / (dd.maxDrawdown == 0 ? .nan : dd.maxDrawdown)

        let alpha = returnPct - beta.beta(profile) * buyHold

        // Trade statistics.
        let stats = TradeStatistics(trades: trades)

        return PerformanceMetrics(
            start: Timestamp(nanos: ts[0]), end: Timestamp(nanos: ts[n - 1]), duration: Duration64(nanos: durationNanos),
            exposureTimePct: Double(exposedCount) / Double(n) * 100,
            equityFinal: eN, equityPeak: dd.peak, commissions: stats.commissions,
            returnPct: returnPct, buyAndHoldReturnPct: buyHold,
            annualizedReturnPct: annualized * 100, annualizedVolatilityPct: volatility, cagrPct: cagr,
            sharpeRatio: sharpe, sortinoRatio: sortino, calmarRatio: calmar, alphaPct: alpha, beta: beta.beta(profile),
            maxDrawdownPct: -dd.maxDrawdown * 100, avgDrawdownPct: -dd.meanEpisodeDepth * 100,
            maxDrawdownDuration: dd.maxEpisodeNanos.map { ceil(Duration64(nanos: $0), to: period) },
            avgDrawdownDuration: dd.meanEpisodeNanos.map { ceil(Duration64(nanos: $0), to: period) },
            tradeCount: trades.count, winRatePct: stats.winRate * 100,
            bestTradePct: stats.best * 100, worstTradePct: stats.worst * 100, avgTradePct: stats.geometricMean * 100,
            maxTradeDuration: stats.maxDurationNanos.map { ceil(Duration64(nanos: $0), to: period) },
            avgTradeDuration: stats.meanDurationNanos.map { ceil(Duration64(nanos: $0), to: period) },
            profitFactor: stats.profitFactor, expectancyPct: stats.meanReturn * 100, sqn: stats.sqn,
            kellyCriterion: stats.kelly, annualTradingDays: annualDays)
    }

    /// Number of bars covered by at least one trade, entry to exit inclusive: the size of the union
    /// of the trades' bar intervals, in O(t log t) instead of a pass over every bar.
    static func exposedBars(_ trades: [Trade], barCount n: Int) -> Int {
        guard !trades.isEmpty else { return 0 }
        // Trades close in order and nearly always open in order too; then the union is one pass
        // over them, without copying the intervals out (an allocation the size of the trade list).
        var sorted = true
        for i in 1..<trades.count where trades[i].entryBar < trades[i - 1].entryBar { sorted = false; break }
        let clamped = trades.lazy.map { (min($0.entryBar, n - 1), min($0.exitBar, n - 1)) }
        return sorted ? unionSize(clamped) : unionSize(clamped.sorted { $0.0 < $1.0 })
    }

    /// Size of the union of inclusive intervals given in order of their starts.
    private static func unionSize(_ intervals: some Sequence<(Int, Int)>) -> Int {
        var total = 0
        var current: (start: Int, end: Int)? = nil
        for (a, b) in intervals {
            guard let (start, end) = current else { current = (a, b); continue }
            if a > end { total += end - start + 1; current = (a, b) } else if b > end { current = (start, b) }
        }
        guard let (start, end) = current else { return 0 }
        return total + end - start + 1
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
