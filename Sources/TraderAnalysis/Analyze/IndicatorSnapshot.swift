public import TraderCore

/// The classic indicators at one bar, computed by TraderCore's incremental indicators over the
/// bars up to and including that bar.
///
/// This is the first thing `analyze` shows and what the recommendation's trend, momentum,
/// oscillator and volume components are read from. The periods are the conventional ones (SMA
/// 20/50/200, EMA 12/26, RSI 14, MACD 12/26/9, Bollinger 20/2, ATR 14, stochastic 14/3), so the
/// numbers can be checked against any charting tool. A value still in warm-up (an SMA(200) on
/// 150 bars) is NaN and its reading `unavailable`.
public struct IndicatorSnapshot: Sendable, Hashable {
    /// Bar the snapshot is taken at.
    public let index: Int
    /// Time of that bar.
    public let timestamp: Timestamp
    /// Close of that bar.
    public let close: Double
    /// Simple moving averages of the close over 20, 50 and 200 bars.
    public let sma20: Double, sma50: Double, sma200: Double
    /// Exponential moving averages of the close over 12 and 26 bars.
    public let ema12: Double, ema26: Double
    /// RSI(14) with Wilder's smoothing, 0...100.
    public let rsi14: Double
    /// MACD(12, 26, 9): the line, its signal line and the histogram (line − signal).
    public let macdLine: Double, macdSignal: Double, macdHistogram: Double
    /// Bollinger bands (20, 2): the bands, %B (0 at the lower band, 1 at the upper) and the
    /// bandwidth relative to the middle band.
    public let bollingerUpper: Double, bollingerMiddle: Double, bollingerLower: Double
    public let bollingerPercentB: Double, bollingerBandwidth: Double
    /// ATR(14) in price units and as a percentage of the close.
    public let atr14: Double, atrPercent: Double
    /// On-balance volume (its level is arbitrary; it starts at 0 on the first bar).
    public let obv: Double
    /// Least-squares slope of the OBV over the last `obvSlopeBars` bars, in volume per bar.
    public let obvSlope: Double
    /// `obvSlope` divided by the mean volume of the same bars: +1 when every bar closed up on
    /// steady volume, −1 when every bar closed down; NaN without volume.
    public let obvSlopeNormalized: Double
    /// Stochastic(14, 3): %K and %D, 0...100.
    public let stochasticK: Double, stochasticD: Double

    /// Bars the OBV slope is fitted over.
    public static let obvSlopeBars = 20

    /// The snapshot at bar `index` of `series`, from bars `0...index` only.
    public init(series: BarSeries, through index: Int) throws(DomainError) {
        guard index >= 0, index < series.count else {
            throw .invalid(field: "as-of", reason: "bar \(index) is outside the series (0..<\(series.count))")
        }
        var sma20 = try SMA(period: 20), sma50 = try SMA(period: 50), sma200 = try SMA(period: 200)
        var ema12 = try EMA(period: 12), ema26 = try EMA(period: 26)
        var rsi = try RSI(period: 14)
        var macd = try MACD(fast: 12, slow: 26, signal: 9)
        var bands = try BollingerBands(period: 20, multiplier: 2)
        var atr = try ATR(period: 14)
        var obv = OBV()
        var stochastic = try Stochastic(period: 14, smoothD: 3)
        let slopeBars = Self.obvSlopeBars
        var recentOBV = RingBuffer(capacity: slopeBars)
        var recentVolume = RingBuffer(capacity: slopeBars)
        for i in 0...index {
            let bar = series[i]
            sma20.update(bar.close)
            sma50.update(bar.close)
            sma200.update(bar.close)
            ema12.update(bar.close)
            ema26.update(bar.close)
            rsi.update(bar.close)
            macd.update(bar.close)
            bands.update(bar.close)
            atr.update(bar)
            obv.update(bar)
            stochastic.update(bar)
            recentOBV.push(obv.value)
            recentVolume.push(bar.volume)
        }
        let close = series.close[index]
        self.index = index
        timestamp = Timestamp(nanos: series.timestamps[index])
        self.close = close
        self.sma20 = sma20.value
        self.sma50 = sma50.value
        self.sma200 = sma200.value
        self.ema12 = ema12.value
        self.ema26 = ema26.value
        rsi14 = rsi.value
        macdLine = macd.value
        macdSignal = macd.signal
        macdHistogram = macd.histogram
        bollingerUpper = bands.upper
        bollingerMiddle = bands.middle
        bollingerLower = bands.lower
        bollingerPercentB = bands.percentB
        bollingerBandwidth = bands.bandwidth
        atr14 = atr.value
        atrPercent = atr.value / close * 100
        self.obv = obv.value
        (obvSlope, obvSlopeNormalized) = Self.slope(obv: recentOBV, volume: recentVolume, lastBar: index)
        stochasticK = stochastic.k
        stochasticD = stochastic.d
    }

    /// The OBV's least-squares slope over the buffered bars (NaN until the buffer is full) and
    /// that slope over their mean volume.
    private static func slope(obv: RingBuffer, volume: RingBuffer, lastBar: Int) -> (Double, Double) {
        guard obv.isFull else { return (.nan, .nan) }
        let n = obv.count
        let bars = (0..<n).map { lastBar - (n - 1) + $0 }
        let values = (0..<n).map { obv[ago: n - 1 - $0] }
        guard let line = TrendLine(bars: bars, prices: values) else { return (.nan, .nan) }
        var meanVolume = 0.0
        for ago in 0..<n { meanVolume += volume[ago: ago] }
        meanVolume /= Double(n)
        return (line.slope, meanVolume > 0 ? line.slope / meanVolume : .nan)
    }
}
