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
        let ts = series.timestamps
        barCount = n
        period = MetricsCalculator.dataPeriod(ts)
        let frequencyDays = period.nanos / Timestamp.nanosPerDay
        annualPeriods = switch frequencyDays {
        case 7: 52
        case 31: 12
        case 365: 1
        default: series.tradesOnWeekends ? 365 : 252
        }
        periodEnds = Self.periodEnds(ts, frequencyDays: frequencyDays)

        var returns = [Double](repeating: 0, count: n)
        var shift = 0.0, sum = 0.0, squares = 0.0
        series.close.withUnsafeBufferPointer { c in
            guard n > 1 else { return }
            shift = logOfRatio(c[1], c[0])
            for i in 1..<n {
                let y = logOfRatio(c[i], c[i - 1]) - shift
                returns[i] = y
                sum += y
                squares += y * y
            }
        }
        marketReturns = returns
        marketShift = shift
        marketSum = sum
        marketSumOfSquares = squares
    }

    /// The last bar of each period: a calendar day (UTC) unless the spacing is weekly (weeks
    /// ending Sunday), monthly or yearly, as backtesting.py resamples the equity.
    static func periodEnds(_ ts: [Int64], frequencyDays: Int64) -> [Int32] {
        var ends: [Int32] = []
        guard !ts.isEmpty else { return ends }
        func key(_ t: Int64) -> Int64 {
            let day = Timestamp(nanos: t).epochDay
            switch frequencyDays {
            case 7: return Int64((Double(day + 3) / 7).rounded(.down))
            case 31: let c = Timestamp.civilFromDays(day); return Int64(c.year * 12 + c.month)
            case 365: return Int64(Timestamp.civilFromDays(day).year)
            default: return day
            }
        }
        let calendarDays = frequencyDays != 7 && frequencyDays != 31 && frequencyDays != 365
        var currentKey = key(ts[0])
        // For days, the next midnight: the key is recomputed only when a bar passes it.
        var periodEnd = calendarDays ? (currentKey + 1) * Timestamp.nanosPerDay : Int64.min
        for i in 1..<ts.count {
            let t = ts[i]
            if calendarDays && t < periodEnd { continue }
            let k = key(t)
            if k != currentKey {
                ends.append(Int32(i - 1))
                currentKey = k
                if calendarDays { periodEnd = (k + 1) * Timestamp.nanosPerDay }
            }
        }
        ends.append(Int32(ts.count - 1))
        return ends
    }
}
