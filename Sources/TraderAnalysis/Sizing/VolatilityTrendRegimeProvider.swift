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
/// O(1) per bar (running means and a ring buffer); nothing after the current bar is used.
public struct VolatilityTrendRegimeProvider: RegimeProvider {
    public let volatilityBars: Int
    public let trendBars: Int
    var squaredReturns: SMA
    var yearsBetweenBars: SMA
    var closes: RingBuffer
    var times: RingBuffer
    var previousClose = Double.nan
    var previousTime: Int64 = 0

    static let nanosPerYear = 365.25 * Double(Timestamp.nanosPerDay)

    public init(volatilityBars: Int = 20, trendBars: Int = 60) throws(DomainError) {
        try requirePositivePeriod(volatilityBars, "volatility-bars")
        try requirePositivePeriod(trendBars, "trend-bars")
        self.volatilityBars = volatilityBars
        self.trendBars = trendBars
        squaredReturns = try SMA(period: volatilityBars)
        yearsBetweenBars = try SMA(period: volatilityBars)
        closes = RingBuffer(capacity: trendBars + 1)
        times = RingBuffer(capacity: trendBars + 1)
    }

    /// Annualized volatility as of the last bar (NaN while warming up).
    public var volatility: Double {
        let perYear = squaredReturns.value / yearsBetweenBars.value
        return perYear.isNaN ? .nan : perYear.squareRoot()
    }

    /// Annualized trend as of the last bar, as a simple return (0.05 = +5 % a year; NaN while
    /// warming up).
    public var trend: Double {
        guard closes.isFull else { return .nan }
        let years = (times[ago: 0] - times.oldest) / Self.nanosPerYear
        guard years > 0 else { return .nan }
        return exp(log(closes[ago: 0] / closes.oldest) / years) - 1
    }

    public mutating func update(_ bar: Bar) -> Regime? {
        let t = bar.timestamp.nanos
        if previousClose.isFinite {
            let r = log(bar.close / previousClose)
            squaredReturns.update(r * r)
            yearsBetweenBars.update(Double(t - previousTime) / Self.nanosPerYear)
        }
        previousClose = bar.close
        previousTime = t
        closes.push(bar.close)
        times.push(Double(t))
        return Self.classify(volatility: volatility, trend: trend)
    }

    /// The regime for an annualized volatility and trend (fractions), nil if either is NaN.
    public static func classify(volatility v: Double, trend: Double) -> Regime? {
        guard !v.isNaN, !trend.isNaN else { return nil }
        if v >= 0.40 && trend <= -0.20 { return .crisis }
        let volatile = v >= 0.25
        if trend > 0.05 { return volatile ? .bullVolatile : .bullQuiet }
        if trend < -0.05 { return volatile ? .bearVolatile : .bearQuiet }
        return volatile ? .sidewaysVolatile : .sidewaysQuiet
    }
}
