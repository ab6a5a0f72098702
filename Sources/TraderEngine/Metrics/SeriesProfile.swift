public import TraderCore

/// What the statistics need from the bars alone, computed once per series and shared by every
/// backtest over it.
///
/// An optimization runs thousands of backtests over one series. The calendar (where each day,
/// week or month ends; whether the market trades on weekends; the bar spacing) and the market's
/// log returns (for beta) are the same in every one of them, so they are worked out here once
/// instead of in every run's statistics: on daily bars that was more than half of each run.
/// The profile is immutable and `Sendable`; parallel workers share one copy.
public struct SeriesProfile: Sendable {
    /// Bars in the series.
    public let barCount: Int
    /// The bar spacing as backtesting.py reads it (see `MetricsCalculator.dataPeriod`).
    public let period: Duration64
    /// Periods per year for annualization: 252 or 365 trading days for intraday and daily bars
    /// (365 when the market trades on weekends), 52, 12 or 1 for weekly, monthly, yearly bars.
    public let annualPeriods: Double
    /// The last bar of each calendar period, in order: days for intraday and daily bars; weeks,
    /// months or years for coarser bars. Periodic returns are taken between these bars' equity.
    let periodEnds: [Int32]
    /// `log(close[i] / close[i − 1])` minus the first such return, for bar `i ≥ 1`; 0 at bar 0.
    ///
    /// The shift (the first return) keeps the covariance sums free of cancellation on strongly
    /// trending series without a division per bar (see `BetaAccumulator`).
    let marketReturns: [Double]
    /// Sum and sum of squares of `marketReturns[1...]`.
    let marketSum: Double
    let marketSumOfSquares: Double

    /// Profiles `series`; O(n), with one logarithm per bar (most of them a short polynomial).
    public init(_ series: BarSeries) {
        let n = series.count
        barCount = n
        var calendar = CalendarTracker()
        series.timestamps.withUnsafeBufferPointer { calendar.add(timestamps: $0) }
        let summary = calendar.finish()
        period = summary.period
        annualPeriods = summary.annualPeriods
        periodEnds = calendar.ends[summary.returnsPeriod.rawValue].map { Int32($0) }

        // In the chunks a run adds them (`MetricsAccumulator.chunkSize`), so the sums are added in
        // the same order as in a run without a profile.
        var market = MarketReturns()
        marketReturns = [Double](unsafeUninitializedCapacity: n) { out, initialized in
            series.close.withUnsafeBufferPointer { c in
                var start = 0
                while start < n {
                    let count = min(MetricsAccumulator.chunkSize, n - start)
                    market.add(closes: UnsafeBufferPointer(rebasing: c[start..<start + count]), into: out.baseAddress! + start)
                    start += count
                }
            }
            initialized = n
        }
        marketSum = market.sum
        marketSumOfSquares = market.sumOfSquares
    }
}

/// The market's log returns, shifted by the first one, with their running sums; bars can come
/// all at once or chunk by chunk.
struct MarketReturns {
    private(set) var shift = 0.0, sum = 0.0, sumOfSquares = 0.0
    private var previousClose = Double.nan
    private var bars = 0

    /// Writes `log(c[i] / previous close) − shift` for each close of `c` to `out` (0 for the very
    /// first bar, which has no return) and adds them to the sums.
    ///
    /// Four bars at a time in `SIMD4` (the same polynomial as `logOfRatio`, lane by lane, so each
    /// value is bit-identical to the scalar one); the sums are kept per lane within a call and
    /// added in a fixed order, so they are deterministic for a given chunking.
    mutating func add(closes c: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let n = c.count
        var i = 0
        // The first bar of the call (its previous close is from the last call) and the first two
        // bars of the run (no return; the first return fixes the shift) one at a time.
        while i < n && (i == 0 || bars < 2) {
            scalar(c[i], into: out + i)
            i += 1
        }
        guard i < n, let base = c.baseAddress else { return }
        let vectorStart = i
        var sums = SIMD4<Double>(), squares = SIMD4<Double>()
        let shift4 = SIMD4<Double>(repeating: shift)
        while i + 4 <= n {
            let now = load4(base + i), before = load4(base + i - 1)
            let (s, inRange) = atanhArgument(now, before)
            var y: SIMD4<Double>
            if inRange {
                y = logAtanhSeries(s)
            } else {
                y = SIMD4<Double>()
                for j in 0..<4 { y[j] = logOfRatio(c[i + j], c[i + j - 1]) }
            }
            y -= shift4
            UnsafeMutableRawPointer(out + i).storeBytes(of: y, as: SIMD4<Double>.self)
            sums += y
            squares += y * y
            i += 4
        }
        sum += sums[0] + sums[1] + sums[2] + sums[3]
        sumOfSquares += squares[0] + squares[1] + squares[2] + squares[3]
        previousClose = c[i - 1]
        bars += i - vectorStart
        while i < n {
            scalar(c[i], into: out + i)
            i += 1
        }
    }

    private mutating func scalar(_ close: Double, into out: UnsafeMutablePointer<Double>) {
        defer { previousClose = close; bars += 1 }
        guard bars > 0 else { out.pointee = 0; return }
        let r = logOfRatio(close, previousClose)
        if bars == 1 { shift = r }
        let y = r - shift
        out.pointee = y
        sum += y
        sumOfSquares += y * y
    }

    @inline(__always)
    private func load4(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }
}
