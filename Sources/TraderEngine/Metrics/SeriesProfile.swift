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
    /// `log(close[i] / close[i − 1]) − marketShift` for bar `i ≥ 1`; 0 at bar 0.
    ///
    /// The shift (the first return) keeps the covariance sums free of cancellation on strongly
    /// trending series without a division per bar (see `BetaAccumulator`).
    let marketReturns: [Double]
    let marketShift: Double
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

        var market = MarketReturns()
        marketReturns = [Double](unsafeUninitializedCapacity: n) { out, initialized in
            series.close.withUnsafeBufferPointer { market.add(closes: $0, into: out.baseAddress!) }
            initialized = n
        }
        marketShift = market.shift
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
    mutating func add(closes c: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        for i in 0..<c.count {
            defer { previousClose = c[i]; bars += 1 }
            guard bars > 0 else { out[i] = 0; continue }
            let r = logOfRatio(c[i], previousClose)
            if bars == 1 { shift = r }
            let y = r - shift
            out[i] = y
            sum += y
            sumOfSquares += y * y
        }
    }
}
