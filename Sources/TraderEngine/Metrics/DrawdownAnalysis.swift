import TraderCore

/// Drawdown of an equity curve: `1 − equity / running peak`, its maximum, and its episodes.
///
/// An episode runs from a bar at a peak (drawdown exactly 0) to the next bar back at a peak, or to
/// the last bar if equity never recovers; only episodes longer than one bar count, as in
/// backtesting.py's `compute_drawdown_duration_peaks`.
struct DrawdownAnalysis {
    var peak = -Double.infinity
    var maxDrawdown = 0.0
    var episodes = 0
    var depthSum = 0.0
    var durationSum: Int64 = 0
    var longest: Int64 = 0
    // Running state of the scan.
    private var lastZero = 0
    private var lastZeroTime: Int64 = 0
    private var episodeDepth = 0.0

    init() {}

    /// A whole curve at once (tests and small curves); `MetricsCalculator` steps it inside its
    /// single fused pass instead.
    init(equity: [Double], timestamps: [Int64]) {
        for i in equity.indices { step(i, equity[i], timestamps[i], isLast: i == equity.count - 1) }
    }

    /// Adds bar `i` with equity `e` at time `t`.
    @inline(__always)
    mutating func step(_ i: Int, _ e: Double, _ t: Int64, isLast: Bool) {
        if e > peak { peak = e }
        let dd = 1 - e / peak
        if dd > maxDrawdown { maxDrawdown = dd }
        if dd > episodeDepth { episodeDepth = dd }
        let isZero = dd == 0
        if isZero || isLast {
            if i > lastZero + 1 {
                let d = t - lastZeroTime
                episodes += 1
                depthSum += episodeDepth
                durationSum += d
                longest = max(longest, d)
            }
            if isZero { lastZero = i; lastZeroTime = t; episodeDepth = 0 }
        }
    }

    var meanEpisodeDepth: Double { episodes == 0 ? .nan : depthSum / Double(episodes) }
    var maxEpisodeNanos: Int64? { episodes == 0 ? nil : longest }
    var meanEpisodeNanos: Int64? { episodes == 0 ? nil : Int64(Double(durationSum) / Double(episodes)) }
}

/// Equity returns between calendar periods (days for intraday and daily bars; weeks, months or
/// years for coarser bars): the last equity of each period with bars, then percentage changes.
struct PeriodicReturns {
    var returns: [Double] = []

    init(returns: [Double]) { self.returns = returns }

    init(equity: [Double], timestamps: [Int64], frequencyDays: Int64) {
        var lastKey = Int64.min
        var lastValue = Double.nan
        var previousPeriodValue = Double.nan
        func key(_ t: Int64) -> Int64 {
            let day = Timestamp(nanos: t).epochDay
            switch frequencyDays {
            case 7: return Int64((Double(day + 3) / 7).rounded(.down))  // weeks ending Sunday
            case 31, 365:
                let c = Timestamp.civilFromDays(day)
                return frequencyDays == 31 ? Int64(c.year * 12 + c.month) : Int64(c.year)
            default: return day
            }
        }
        var periodEnd = Int64.min  // for daily periods: the next midnight, so keys change rarely
        for i in 0..<equity.count {
            let t = timestamps[i]
            let k: Int64
            if frequencyDays == 7 || frequencyDays == 31 || frequencyDays == 365 {
                k = key(t)
            } else if t >= periodEnd {
                k = Timestamp(nanos: t).epochDay
                periodEnd = (k + 1) * Timestamp.nanosPerDay
            } else {
                k = lastKey
            }
            if k != lastKey {
                if lastKey != Int64.min {
                    if previousPeriodValue.isFinite { returns.append(lastValue / previousPeriodValue - 1) }
                    previousPeriodValue = lastValue
                }
                lastKey = k
            }
            lastValue = equity[i]
        }
        if lastKey != Int64.min, previousPeriodValue.isFinite { returns.append(lastValue / previousPeriodValue - 1) }
    }

    /// `exp(mean(log(1 + r))) − 1`, 0 if any period lost everything, NaN with no returns.
    var geometricMean: Double {
        guard !returns.isEmpty else { return .nan }
        var s = 0.0
        for r in returns {
            let x = (r.isNaN ? 0 : r) + 1
            if x <= 0 { return 0 }
            s += log(x)
        }
        return exp(s / Double(returns.count)) - 1
    }

    /// Sample variance (ddof 1), two-pass.
    var sampleVariance: Double {
        guard returns.count > 1 else { return .nan }
        var mean = 0.0
        for r in returns { mean += r }
        mean /= Double(returns.count)
        var ss = 0.0
        for r in returns { ss += (r - mean) * (r - mean) }
        return ss / Double(returns.count - 1)
    }

    /// `sqrt(mean(min(r, 0)²))` over all periods.
    var downsideDeviation: Double {
        guard !returns.isEmpty else { return .nan }
        var ss = 0.0
        for r in returns where r < 0 { ss += r * r }
        return (ss / Double(returns.count)).squareRoot()
    }
}

/// Beta of the strategy against the instrument: covariance of per-bar log returns of equity and
/// close over the variance of the close's (numpy's `cov`, ddof 1).
///
/// Shifted sums, one step per bar: no division on the loop-carried path (a running mean would
/// serialize the bars on division latency), and the shift by the first market return keeps the
/// sums free of cancellation even for strongly trending series.
struct BetaAccumulator {
    private var shiftY = Double.nan
    private var count = 0.0, sx = 0.0, sy = 0.0, sxy = 0.0, syy = 0.0

    init() {}

    /// A whole curve at once.
    init(equity: [Double], close: [Double]) {
        for i in 1..<max(1, equity.count) { step(equity[i - 1], equity[i], close[i - 1], close[i]) }
    }

    /// Adds the returns from bar i−1 to bar i.
    @inline(__always)
    mutating func step(_ previousE: Double, _ e: Double, _ previousC: Double, _ c: Double) {
        let x = e == previousE ? 0 : logOfRatio(e, previousE)
        var y = logOfRatio(c, previousC)
        if count == 0 { shiftY = y }
        y -= shiftY
        count += 1
        sx += x
        sy += y
        sxy += x * y
        syy += y * y
    }

    var beta: Double {
        guard count > 1 else { return .nan }
        let cov = (sxy - sx * sy / count) / (count - 1)
        let varY = (syy - sy * sy / count) / (count - 1)
        return cov / varY
    }
}

/// `log(a / b)`, evaluated for ratios near 1 (almost every bar-to-bar return) with the Taylor series
/// of `log1p` to 9 terms instead of a libm call: for |a/b − 1| < 2⁻⁷ the truncation error is
/// below 1e-19 relative, far under the rounding of `a / b` itself, and it is several times faster.
@inline(__always)
func logOfRatio(_ a: Double, _ b: Double) -> Double {
    let q = a / b
    let r = q - 1
    guard abs(r) < 0.0078125 else { return log(q) }
    // r × (1 − r/2 + r²/3 − … + r⁸/9), evaluated with Estrin's scheme: the same polynomial as
    // Horner's rule but a dependency chain of 5 operations instead of 16.
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    let a01 = 1 - r * 0.5
    let a23 = 1.0 / 3 - r * 0.25
    let a45 = 0.2 - r * (1.0 / 6)
    let a67 = 1.0 / 7 - r * 0.125
    let b0 = a01 + r2 * a23
    let b1 = a45 + r2 * a67
    return r * (b0 + r4 * b1 + r8 * (1.0 / 9))
}

/// Statistics over closed trades.
struct TradeStatistics {
    var commissions = 0.0
    var winRate = Double.nan
    var best = Double.nan
    var worst = Double.nan
    var geometricMean = Double.nan
    var meanReturn = Double.nan
    var profitFactor = Double.nan
    var sqn = Double.nan
    var kelly = Double.nan
    var maxDurationNanos: Int64?
    var meanDurationNanos: Int64?

    init(trades: [Trade]) {
        let n = trades.count
        for t in trades { commissions += t.commission }
        guard n > 0 else { return }
        var wins = 0, sumPnL = 0.0, sumRet = 0.0, gains = 0.0, losses = 0.0
        var winPnL = 0.0, winCount = 0, lossPnL = 0.0, lossCount = 0
        var logSum = 0.0, wipedOut = false
        var longest: Int64 = 0, durationSum: Int64 = 0
        best = -.infinity
        worst = .infinity
        for t in trades {
            if t.pnl > 0 { wins += 1; winPnL += t.pnl; winCount += 1 }
            if t.pnl < 0 { lossPnL += t.pnl; lossCount += 1 }
            sumPnL += t.pnl
            let r = t.returnPct
            sumRet += r
            if r > 0 { gains += r }
            if r < 0 { losses += r }
            best = max(best, r)
            worst = min(worst, r)
            if r + 1 <= 0 { wipedOut = true } else { logSum += log(r + 1) }
            let d = t.exitTime.nanos - t.entryTime.nanos
            longest = max(longest, d)
            durationSum += d
        }
        winRate = Double(wins) / Double(n)
        geometricMean = wipedOut ? 0 : exp(logSum / Double(n)) - 1
        meanReturn = sumRet / Double(n)
        profitFactor = gains / (losses == 0 ? .nan : abs(losses))
        let meanPnL = sumPnL / Double(n)
        if n > 1 {
            var ss = 0.0
            for t in trades { ss += (t.pnl - meanPnL) * (t.pnl - meanPnL) }
            let sd = (ss / Double(n - 1)).squareRoot()
            sqn = Double(n).squareRoot() * meanPnL / (sd == 0 ? .nan : sd)
        }
        let avgWin = winCount > 0 ? winPnL / Double(winCount) : .nan
        let avgLoss = lossCount > 0 ? lossPnL / Double(lossCount) : .nan
        kelly = winRate - (1 - winRate) / (avgWin / -avgLoss)
        maxDurationNanos = longest
        meanDurationNanos = Int64(Double(durationSum) / Double(n))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
