#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import TraderCore

/// Classifies the market regime bar by bar with bot_v2's thresholds (`RegimeThresholds`):
/// annualized volatility of daily log returns, annualized trend, and drawdown from the rolling
/// peak.
///
/// It is incremental so that the same value can run inside the trading kernel, behind a live
/// feed, and over hundreds of symbols: each `update` is O(1) and allocation-free (one logarithm,
/// a `RollingStd` update, a ring-buffer push and a `RollingMax` update; all windows are allocated
/// at construction). It only ever sees the current close and the closes before it, so a regime
/// can never depend on a later bar: classifying a prefix of a series gives exactly the readings
/// of the full series on that prefix.
public struct ThresholdRegimeClassifier: Sendable {
    /// The windows and cuts in use.
    public let thresholds: RegimeThresholds
    let annualizeVolatility: Double
    let annualizeTrend: Double
    /// Sample std of the daily log returns (the shared TraderCore indicator: exact, no drift).
    var volatility: RollingStd
    /// The last `trendWindow` log closes; the one pushed out is the close `trendWindow` bars ago.
    var logCloses: RingBuffer
    /// Highest close of the last `peakWindow` bars (NaN until that many were seen).
    var peak: RollingMax
    /// Highest close so far, which is the rolling peak while fewer than `peakWindow` bars exist.
    var runningPeak = -Double.infinity
    var lastLogClose = Double.nan
    /// Bars seen so far.
    public private(set) var barCount = 0
    /// The reading of the latest bar (regime nil and inputs NaN before the first bar).
    public private(set) var latest = RegimeReading(regime: nil, volatility: .nan, trend: .nan, drawdown: .nan)

    /// A classifier with `thresholds`; throws naming the first invalid field.
    public init(thresholds: RegimeThresholds = RegimeThresholds()) throws(DomainError) {
        try thresholds.validate()
        self.thresholds = thresholds
        annualizeVolatility = thresholds.periodsPerYear.squareRoot()
        annualizeTrend = thresholds.periodsPerYear / Double(thresholds.trendWindow)
        volatility = try RollingStd(period: thresholds.volatilityWindow, ddof: 1)
        logCloses = RingBuffer(capacity: thresholds.trendWindow)
        peak = try RollingMax(period: thresholds.peakWindow)
    }

    /// True once the classifier gives regimes (after `thresholds.warmup` bars past the first).
    public var isReady: Bool { latest.regime != nil }

    /// Feeds the next bar's close and returns its reading. `close` must be finite and positive,
    /// as every validated `Bar` is.
    @discardableResult
    public mutating func update(close: Double) -> RegimeReading {
        precondition(close > 0 && close.isFinite, "regime classifier needs positive finite closes, got \(close)")
        let logClose = log(close)
        if barCount > 0 { volatility.update(logClose - lastLogClose) }
        lastLogClose = logClose
        barCount += 1

        var trend = Double.nan
        if let old = logCloses.push(logClose) { trend = (logClose - old) * annualizeTrend }

        if close > runningPeak { runningPeak = close }
        let rolling = peak.update(close)
        let top = rolling.isNaN ? runningPeak : rolling
        let drawdown = 1 - close / top

        let vol = volatility.value * annualizeVolatility
        latest = RegimeReading(regime: thresholds.classify(volatility: vol, trend: trend, drawdown: drawdown),
                               volatility: vol, trend: trend, drawdown: drawdown)
        return latest
    }

    /// Feeds the next bar (only its close is used).
    @discardableResult
    public mutating func update(_ bar: Bar) -> RegimeReading { update(close: bar.close) }

    /// The reading of every bar of `closes`, in order.
    public static func classify(closes: some Collection<Double>, thresholds: RegimeThresholds = RegimeThresholds()) throws(DomainError) -> [RegimeReading] {
        var classifier = try ThresholdRegimeClassifier(thresholds: thresholds)
        var out: [RegimeReading] = []
        out.reserveCapacity(closes.count)
        for c in closes { out.append(classifier.update(close: c)) }
        return out
    }

    /// Just the regimes of every bar of `closes` (nil during warm-up): the compact form for scans
    /// over many symbols, one byte per bar.
    public static func regimes(closes: some Collection<Double>, thresholds: RegimeThresholds = RegimeThresholds()) throws(DomainError) -> [Regime?] {
        var classifier = try ThresholdRegimeClassifier(thresholds: thresholds)
        var out: [Regime?] = []
        out.reserveCapacity(closes.count)
        for c in closes { out.append(classifier.update(close: c).regime) }
        return out
    }
}
