import Foundation
public import TraderCore

/// A simple stand-in regime model so that `backtest --sizing regime` works before the threshold
/// classifier of `gpt-trader regime` (issue 4, item 2) exists; that classifier will replace it
/// as the provider the app builds. It follows the same idea with fewer parts:
///
/// - volatility: the root mean square of the last `volatilityBars` close-to-close log returns,
///   per calendar year (Σ r² over the years they span), so it needs no bars-per-year figure and
///   works the same on daily and intraday bars (252 daily returns span a year, weekends included);
///   volatile at 25 % and above;
/// - trend: the log change of the close over the last `trendBars` bars, annualized by the calendar
///   time they span: bull above +5 % a year, bear below −5 %, sideways between;
/// - crisis: volatility of 40 % or more together with a trend of −20 % a year or worse.
///
/// No drawdown-based stress signal and no statistical model: that is the real classifier's job.
/// O(1) per bar (running means and a ring buffer, one logarithm); nothing after the current bar
/// is used.
public struct VolatilityTrendRegimeProvider: RegimeProvider {
    public let volatilityBars: Int
    public let trendBars: Int
    var squaredReturns: SMA
    var yearsBetweenBars: SMA
    /// Log closes and times (nanoseconds) of the last `trendBars + 1` bars.
    var logCloses: RingBuffer
    var times: RingBuffer
    var previousLogClose = Double.nan
    var previousTime: Int64 = 0

    /// Years per nanosecond (a year of 365.25 days).
    static let yearsPerNano = 1 / 31_557_600e9
    // The thresholds where the per-bar test needs them: on the variance and the log trend, so a
    // bar costs one logarithm and no square root or exponential. Literals (checked by the tests
    // against 0.25², 0.4², ln 1.05, ln 0.95, ln 0.8), so they cost no lazy initialization.
    static let volatileVariance = 0.0625
    static let crisisVariance = 0.16
    static let bullLogTrend = 0.04879016416943205
    static let bearLogTrend = -0.05129329438755058
    static let crisisLogTrend = -0.2231435513142097

    public init(volatilityBars: Int = 20, trendBars: Int = 60) throws(DomainError) {
        try requirePositivePeriod(volatilityBars, "volatility-bars")
        try requirePositivePeriod(trendBars, "trend-bars")
        self.volatilityBars = volatilityBars
        self.trendBars = trendBars
        squaredReturns = try SMA(period: volatilityBars)
        yearsBetweenBars = try SMA(period: volatilityBars)
        logCloses = RingBuffer(capacity: trendBars + 1)
        times = RingBuffer(capacity: trendBars + 1)
    }

    /// Σ r² per year over the volatility window (NaN while warming up).
    @inline(__always) var variancePerYear: Double { squaredReturns.value / yearsBetweenBars.value }

    /// Log change of the close per year over the trend window (NaN while warming up).
    @inline(__always) var logTrendPerYear: Double {
        guard logCloses.isFull else { return .nan }
        let years = (times[ago: 0] - times.oldest) * Self.yearsPerNano
        return years > 0 ? (logCloses[ago: 0] - logCloses.oldest) / years : .nan
    }

    /// Annualized volatility as of the last bar (NaN while warming up).
    public var volatility: Double { variancePerYear.squareRoot() }

    /// Annualized trend as of the last bar, as a simple return (0.05 = +5 % a year; NaN while
    /// warming up).
    public var trend: Double { exp(logTrendPerYear) - 1 }

    public mutating func update(_ bar: Bar) -> Regime? {
        let t = bar.timestamp.nanos
        let logClose = log(bar.close)
        if !previousLogClose.isNaN {
            let r = logClose - previousLogClose
            squaredReturns.update(r * r)
            yearsBetweenBars.update(Double(t - previousTime) * Self.yearsPerNano)
        }
        previousLogClose = logClose
        previousTime = t
        logCloses.push(logClose)
        times.push(Double(t))
        return Self.classify(variance: variancePerYear, logTrend: logTrendPerYear)
    }

    /// The regime for an annualized volatility and trend (fractions: 0.3 = 30 %), nil if either
    /// is NaN.
    public static func classify(volatility v: Double, trend: Double) -> Regime? {
        classify(variance: v * v, logTrend: log1p(trend))
    }

    static func classify(variance: Double, logTrend: Double) -> Regime? {
        guard !variance.isNaN, !logTrend.isNaN else { return nil }
        if variance >= crisisVariance && logTrend <= crisisLogTrend { return .crisis }
        let volatile = variance >= volatileVariance
        if logTrend > bullLogTrend { return volatile ? .bullVolatile : .bullQuiet }
        if logTrend < bearLogTrend { return volatile ? .bearVolatile : .bearQuiet }
        return volatile ? .sidewaysVolatile : .sidewaysQuiet
    }
}
