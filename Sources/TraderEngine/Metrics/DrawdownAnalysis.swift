import TraderCore

/// Drawdown of an equity curve: `1 − equity / running peak`, its maximum, and its episodes.
///
/// An episode runs from a bar at a peak (drawdown exactly 0) to the next bar back at a peak, or to
/// the last bar if equity never recovers; only episodes longer than one bar count, as in
/// backtesting.py's `compute_drawdown_duration_peaks`.
///
/// No division per bar: within an episode the peak is fixed and `1 − e / peak` falls as `e` rises
/// (correctly rounded division and subtraction are monotone), so the deepest drawdown of an
/// episode is `1 − trough / peak` with `trough` its lowest equity — bit-identical to taking the
/// maximum of the per-bar drawdowns. A bar then costs one comparison with the peak and one with
/// the trough; the division happens once per episode.
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
    /// Lowest equity since the last bar at the peak (+∞ when none).
    private var trough = Double.infinity

    init() {}

    /// A whole curve at once, bar by bar (tests and small curves); `MetricsCalculator` adds it
    /// block by block inside its single pass instead.
    init(equity: [Double], timestamps: [Int64]) {
        for i in equity.indices { step(i, equity[i], timestamps[i]) }
        if let last = equity.indices.last { finish(last, timestamps[last]) }
    }

    /// Adds bars `bars` of equity `e` at times `t`, as `step` would one by one, given the lowest
    /// and highest equity among them.
    ///
    /// Most blocks of bars lie wholly below the running peak; then the only effect of the block is
    /// a lower trough, and the block's range (collected by `BetaAccumulator.add` while it reads the
    /// same equity) settles it without a per-bar pass. Blocks that reach the peak are stepped
    /// through bar by bar.
    @inline(__always)
    mutating func add(equity e: UnsafePointer<Double>, times t: UnsafePointer<Int64>, bars: Range<Int>, range: EquityRange) {
        if range.high < peak {
            if range.low < trough { trough = range.low }
        } else {
            for i in bars { step(i, e[i], t[i]) }
        }
    }

    /// Adds bar `i` with equity `e` at time `t`. Call `finish` after the last bar.
    @inline(__always)
    mutating func step(_ i: Int, _ e: Double, _ t: Int64) {
        if e >= peak {
            atOrAbovePeak(i, e, t)
        } else {
            // A select, not a branch: new lows come at random. NaN equity never deepens a
            // drawdown, as a NaN drawdown does not.
            trough = e < trough ? e : trough
        }
    }

    /// A bar at or above the running peak.
    mutating func atOrAbovePeak(_ i: Int, _ e: Double, _ t: Int64) {
        // `1 − e / peak` is exactly 0 here unless it is NaN (0 / 0 or ∞ / ∞): such a bar neither
        // ends an episode nor deepens one.
        guard e != 0 && e.isFinite else {
            if e > peak { peak = e }
            return
        }
        if i > lastZero + 1 { closeEpisode(until: t) }  // measured against the old peak
        if e > peak { peak = e }
        lastZero = i
        lastZeroTime = t
        trough = .infinity
    }

    /// Ends the scan at bar `i` (time `t`): an episode still open counts, to the last bar.
    mutating func finish(_ i: Int, _ t: Int64) {
        let depth = currentDepth  // 0 when the last bar is at the peak
        if depth > maxDrawdown { maxDrawdown = depth }
        if i > lastZero + 1 { count(depth: depth, duration: t - lastZeroTime) }
    }

    /// Depth of the episode in progress: the largest `1 − e / peak` since the last zero, or 0.
    private var currentDepth: Double {
        let d = 1 - trough / peak
        return d > 0 ? d : 0  // also 0 when no bar deepened it (NaN or −∞)
    }

    private mutating func closeEpisode(until t: Int64) {
        let depth = currentDepth
        if depth > maxDrawdown { maxDrawdown = depth }
        count(depth: depth, duration: t - lastZeroTime)
    }

    private mutating func count(depth: Double, duration d: Int64) {
        episodes += 1
        depthSum += depth
        durationSum += d
        longest = max(longest, d)
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

/// The lowest and highest equity of a block of bars, ignoring NaN (as the drawdown does).
struct EquityRange {
    var low = Double.infinity, high = -Double.infinity

    @inline(__always)
    mutating func add(_ e: Double) {
        if e < low { low = e }
        if e > high { high = e }
    }
}

/// Beta of the strategy against the instrument: covariance of per-bar log returns of equity and
/// close over the variance of the close's (numpy's `cov`, ddof 1).
///
/// Shifted sums: no division on the loop-carried path (a running mean would serialize the bars on
/// division latency), and the shift by the first market return keeps the sums free of
/// cancellation even for strongly trending series.
///
/// `add(equity:close:bars:)` works four bars at a time in `SIMD4<Double>`: the two divisions and
/// two polynomials per bar are most of the metrics' cost, and the bars are independent. Each
/// return is bit-identical to the scalar `logOfRatio` (a group with a ratio outside the
/// polynomial's range is redone with it). The sums are kept per lane and added up at the end,
/// which only reorders the additions: beta moves in its last bits, far inside the 1e-6 the
/// statistics are held to against backtesting.py. (Extracting the lanes to add them in bar order
/// costs more than the vectorization gains.)
struct BetaAccumulator {
    private var shiftY = Double.nan
    private var count = 0
    private var sx = SIMD4<Double>(), sy = SIMD4<Double>(), sxy = SIMD4<Double>(), syy = SIMD4<Double>()

    init() {}

    /// A whole curve at once.
    init(equity: [Double], close: [Double]) {
        equity.withUnsafeBufferPointer { e in
            close.withUnsafeBufferPointer { c in
                var range = EquityRange()
                add(equity: e.baseAddress!, close: c.baseAddress!, bars: 1..<max(1, e.count), range: &range)
            }
        }
    }

    /// The equity's log return; 0 when equity did not move (also when it stays at 0).
    @inline(__always)
    static func equityReturn(_ previousE: Double, _ e: Double) -> Double {
        e == previousE ? 0 : logOfRatio(e, previousE)
    }

    /// Adds the returns into bars `bars`, each from the bar before (so `bars.lowerBound ≥ 1`), and
    /// widens `range` by those bars' equity: the drawdown needs it, and the equity is in registers
    /// here anyway (a separate pass would read it from memory again).
    @inline(__always)
    mutating func add(equity e: UnsafePointer<Double>, close c: UnsafePointer<Double>, bars: Range<Int>,
                      range: inout EquityRange) {
        guard !bars.isEmpty else { return }
        // Lanes start at ±∞ and take a value only when a comparison holds, so NaN is skipped.
        var lowest = SIMD4<Double>(repeating: .infinity), highest = SIMD4<Double>(repeating: -.infinity)
        defer {
            range.add(lowest.min())
            range.add(highest.max())
        }
        if count == 0 { shiftY = logOfRatio(c[bars.lowerBound], c[bars.lowerBound - 1]) }
        count += bars.count
        var i = bars.lowerBound
        while i + 4 <= bars.upperBound {
            let now = load4(e + i)
            lowest.replace(with: now, where: now .< lowest)
            highest.replace(with: now, where: now .> highest)
            let rx = now / load4(e + i - 1) - 1
            let ry = load4(c + i) / load4(c + i - 1) - 1
            // All eight |r| < 2⁻⁷ if their squares sum below 2⁻¹⁴ (rounding is monotone and 2⁻¹⁴ is
            // exact); NaN and ∞ fail the test. One comparison instead of eight; a group of large
            // but valid returns merely takes the scalar path.
            let squares = rx * rx + ry * ry
            if squares.sum() < 0x1p-14 {
                // Equal equity gives r = 0 and a return of exactly 0, as `equityReturn` does.
                accumulate(logOfRatioPolynomial(rx), logOfRatioPolynomial(ry))
            } else {
                var x = SIMD4<Double>(), y = SIMD4<Double>()
                for j in 0..<4 {
                    x[j] = Self.equityReturn(e[i + j - 1], e[i + j])
                    y[j] = logOfRatio(c[i + j], c[i + j - 1])
                }
                accumulate(x, y)
            }
            i += 4
        }
        // The last few bars, in lane 0.
        while i < bars.upperBound {
            range.add(e[i])
            var x = SIMD4<Double>(), y = SIMD4<Double>(repeating: shiftY)  // lanes 1–3 add 0
            x[0] = Self.equityReturn(e[i - 1], e[i])
            y[0] = logOfRatio(c[i], c[i - 1])
            accumulate(x, y)
            i += 1
        }
    }

    @inline(__always)
    private mutating func accumulate(_ x: SIMD4<Double>, _ y: SIMD4<Double>) {
        let y = y - shiftY
        sx += x
        sy += y
        sxy += x * y
        syy += y * y
    }

    @inline(__always)
    private func load4(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }

    var beta: Double {
        guard count > 1 else { return .nan }
        let n = Double(count)
        // Lanes added in a fixed order, so the result is deterministic.
        let sx = self.sx[0] + self.sx[1] + self.sx[2] + self.sx[3]
        let sy = self.sy[0] + self.sy[1] + self.sy[2] + self.sy[3]
        let sxy = self.sxy[0] + self.sxy[1] + self.sxy[2] + self.sxy[3]
        let syy = self.syy[0] + self.syy[1] + self.syy[2] + self.syy[3]
        let cov = (sxy - sx * sy / n) / (n - 1)
        let varY = (syy - sy * sy / n) / (n - 1)
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
    // Keep identical to `logOfRatioPolynomial`, operation for operation.
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    let a01 = 1 - r * 0.5
    let a23 = 1.0 / 3 - r * 0.25
    let a45 = 0.2 - r * (1.0 / 6)
    let a67 = 1.0 / 7 - r * 0.125
    let b0 = a01 + r2 * a23
    let b1 = a45 + r2 * a67
    return r * (b0 + r4 * b1 + r8 * (1.0 / 9))
}

/// `logOfRatio`'s polynomial on four lanes, the same operations in the same order, so each lane is
/// bit-identical to the scalar result (for |r| < 2⁻⁷; the caller checks the range).
@inline(__always)
func logOfRatioPolynomial(_ r: SIMD4<Double>) -> SIMD4<Double> {
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
