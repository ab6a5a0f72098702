/// Stochastic oscillator: `%K`, where the close sits in the high-low range of the last `period`
/// bars (0 at the lowest low, 100 at the highest high), and `%D`, the SMA of `%K` over `smoothD`.
///
/// Oscillator strategies trade `%K` crossing `%D` in the 20/80 zones. A flat range (highest high
/// equal to lowest low) gives `%K = 50`, the middle, instead of a 0/0 NaN that would read as "not
/// ready". The range comes from `RollingMax`/`RollingMin`, so each bar costs amortized O(1). As in
/// TA-Lib, both outputs appear together once `%D` is defined (after `period + smoothD - 1` bars).
public struct Stochastic: BarIndicator {
    /// Number of bars in the high-low range.
    public let period: Int
    /// Number of `%K` values averaged into `%D`.
    public let smoothD: Int
    @usableFromInline var highest: RollingMax
    @usableFromInline var lowest: RollingMin
    @usableFromInline var smoothing: SMA
    @usableFromInline var _k: Double = .nan
    @usableFromInline var _d: Double = .nan
    /// The latest `%K` in 0...100 (for closes inside the range), NaN during warm-up.
    @inlinable public var k: Double { _k }
    /// The latest `%D`, the SMA of `%K`; NaN during warm-up.
    @inlinable public var d: Double { _d }

    /// Creates a stochastic oscillator; throws when `period` or `smoothD` is not positive.
    public init(period: Int = 14, smoothD: Int = 3) throws(DomainError) {
        try requirePositivePeriod(period)
        try requirePositivePeriod(smoothD, "smoothD")
        self.period = period
        self.smoothD = smoothD
        self.highest = try RollingMax(period: period)
        self.lowest = try RollingMin(period: period)
        self.smoothing = try SMA(period: smoothD)
    }

    /// True once `%D` is defined.
    @inlinable public var isReady: Bool { smoothing.isReady }
    /// Bars needed before the first output: `period + smoothD - 1`.
    @inlinable public var warmup: Int { period + smoothD - 1 }

    /// Feeds the next bar.
    @inlinable
    public mutating func update(_ bar: Bar) {
        update(high: bar.high, low: bar.low, close: bar.close)
    }

    /// Feeds the next bar from columns (no `Bar` needed on the columnar hot path).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) {
        let hh = highest.update(high)
        let ll = lowest.update(low)
        guard highest.isReady else { return }
        let range = hh - ll
        let k = range > 0 ? 100 * (close - ll) / range : 50
        let d = smoothing.update(k)
        guard smoothing.isReady else { return }
        _k = k
        _d = d
    }
}
