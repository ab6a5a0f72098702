public import TraderCore

/// Intraday bars folded into one bar per calendar day (UTC), because regimes are defined on
/// daily returns: the volatility bands and trend cuts are annualized from daily log returns, and
/// an hourly series classified bar by bar would mix intraday noise into them.
public enum DailyBars {
    /// `series` with one bar per UTC calendar day — first open, highest high, lowest low, last
    /// close, summed volume, stamped at the day's midnight — or `series` itself when its bars are
    /// already a day or longer.
    public static func resample(_ series: BarSeries) -> BarSeries {
        guard series.timeframe.seconds < 86_400, !series.isEmpty else { return series }
        var timestamps: [Int64] = [], open: [Double] = [], high: [Double] = [], low: [Double] = []
        var close: [Double] = [], volume: [Double] = []
        var day = Int64.min
        for i in 0..<series.count {
            let d = Timestamp(nanos: series.timestamps[i]).epochDay
            if d != day {
                day = d
                timestamps.append(d * Timestamp.nanosPerDay)
                open.append(series.open[i])
                high.append(series.high[i])
                low.append(series.low[i])
                close.append(series.close[i])
                volume.append(series.volume[i])
            } else {
                let last = timestamps.count - 1
                high[last] = Swift.max(high[last], series.high[i])
                low[last] = Swift.min(low[last], series.low[i])
                close[last] = series.close[i]
                volume[last] += series.volume[i]
            }
        }
        return BarSeries(unchecked: series.symbol, timeframe: .day1, timestamps: timestamps,
                         open: open, high: high, low: low, close: close, volume: volume)
    }
}
