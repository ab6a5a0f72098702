public import TraderCore

/// The features the strategy selector learns from, one vector per bar, computed from that bar and
/// the bars before it only (so a vector never sees the future): returns over 5, 21 and 63 bars,
/// 21-bar volatility of log returns (annualized), 63-bar trend strength, RSI(14), the volume
/// ratio (5-bar over 63-bar average volume) and the market regime (one-hot over the seven
/// `Regime`s; all zero while the regime is unknown).
///
/// Indicators are TraderCore's incremental ones (`RollingStd`, `RSI`, `SMA`), fed bar by bar.
public struct SelectionFeatures: Sendable {
    public static let names: [String] = ["return_5", "return_21", "return_63", "volatility_21", "trend_63", "rsi_14", "volume_ratio"]
        + Regime.allCases.map { "regime_\($0.rawValue)" }
    /// Bars before the first complete vector.
    public static let warmup = 63

    /// Per bar: the feature vector, or nil while the windows are not full.
    public let rows: [[Double]?]

    /// - Parameters:
    ///   - regimes: the regime at each bar (nil where unknown), as classified from bars up to it.
    ///   - periodsPerYear: for annualizing volatility (252 for daily bars).
    public init(series: BarSeries, regimes: [Regime?], periodsPerYear: Double = 252) throws(DomainError) {
        let n = series.count
        guard regimes.count == n else { throw .invalid(field: "regimes", reason: "one per bar needed, got \(regimes.count) for \(n) bars") }
        var volatility = try RollingStd(period: 21)
        var rsi = try RSI(period: 14)
        var shortVolume = try SMA(period: 5), longVolume = try SMA(period: 63)
        let close = series.close
        var rows: [[Double]?] = []
        rows.reserveCapacity(n)
        for i in 0..<n {
            let logReturn = i > 0 ? log(close[i] / close[i - 1]) : 0
            let vol = i > 0 ? volatility.update(logReturn) : .nan
            let strength = rsi.update(close[i])
            let v5 = shortVolume.update(series.volume[i]), v63 = longVolume.update(series.volume[i])
            guard i >= Self.warmup else { rows.append(nil); continue }
            var row = [
                close[i] / close[i - 5] - 1,
                close[i] / close[i - 21] - 1,
                close[i] / close[i - 63] - 1,
                vol * periodsPerYear.squareRoot(),
                Self.trendStrength(close, endingAt: i, window: 63),
                strength,
                v63 > 0 ? v5 / v63 : 1,
            ]
            for r in Regime.allCases { row.append(regimes[i] == r ? 1 : 0) }
            rows.append(row)
        }
        self.rows = rows
    }

    /// Signed R² of a least-squares line through the log closes of the `window` bars ending at
    /// `end`: +1 a perfect uptrend, −1 a perfect downtrend, 0 no trend.
    static func trendStrength(_ close: BarColumn<Double>, endingAt end: Int, window: Int) -> Double {
        let start = end - window + 1
        let m = Double(window)
        let tMean = (m - 1) / 2
        var yMean = 0.0
        for i in start...end { yMean += log(close[i]) }
        yMean /= m
        var sty = 0.0, stt = 0.0, syy = 0.0
        for i in start...end {
            let t = Double(i - start) - tMean, y = log(close[i]) - yMean
            sty += t * y
            stt += t * t
            syy += y * y
        }
        guard syy > 0 else { return 0 }
        let r2 = sty * sty / (stt * syy)
        return sty >= 0 ? r2 : -r2
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
