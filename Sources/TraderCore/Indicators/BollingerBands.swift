/// Bollinger bands: the SMA of the last `period` values plus and minus `multiplier` rolling
/// standard deviations, with %B and bandwidth.
///
/// Mean-reversion and volatility-squeeze strategies read where the price sits in the band
/// (`percentB`) and how wide the band is (`bandwidth`). The middle band is exactly the value an
/// `SMA` of the same period gives (same compensated sum), and the deviation is a `RollingStd`
/// with pandas' `ddof = 1` by default, so the bands match `rolling(n).mean() ± k·rolling(n).std()`.
public struct BollingerBands: ScalarIndicator {
    /// Number of values in the window.
    public let period: Int
    /// Width of each band in standard deviations.
    public let multiplier: Double
    @usableFromInline var deviation: RollingStd
    @usableFromInline var _middle: Double = .nan
    @usableFromInline var _upper: Double = .nan
    @usableFromInline var _lower: Double = .nan
    @usableFromInline var _percentB: Double = .nan
    @usableFromInline var _bandwidth: Double = .nan
    /// The middle band, the same as `middle`; NaN during warm-up.
    @inlinable public var value: Double { _middle }
    /// The middle band: the SMA of the window; NaN during warm-up.
    @inlinable public var middle: Double { _middle }
    /// `middle + multiplier * std`; NaN during warm-up.
    @inlinable public var upper: Double { _upper }
    /// `middle - multiplier * std`; NaN during warm-up.
    @inlinable public var lower: Double { _lower }
    /// Where the latest value sits in the band, `(x - lower) / (upper - lower)`: 0 at the lower
    /// band, 1 at the upper; 0.5 when the band has zero width (a flat window). NaN during warm-up.
    @inlinable public var percentB: Double { _percentB }
    /// Band width relative to the middle, `(upper - lower) / middle`; NaN during warm-up.
    @inlinable public var bandwidth: Double { _bandwidth }
    /// Delta degrees of freedom of the standard deviation (1 = sample, as pandas).
    @inlinable public var ddof: Int { deviation.ddof }

    /// Creates Bollinger bands; throws unless `period > 0`, `0 <= ddof < period` and `multiplier`
    /// is positive and finite.
    public init(period: Int = 20, multiplier: Double = 2, ddof: Int = 1) throws(DomainError) {
        guard multiplier > 0, multiplier.isFinite else {
            throw .invalid(field: "multiplier", reason: "must be positive and finite, got \(multiplier)")
        }
        self.deviation = try RollingStd(period: period, ddof: ddof)
        self.period = period
        self.multiplier = multiplier
    }

    /// True once the window holds `period` values.
    @inlinable public var isReady: Bool { deviation.isReady }
    /// Values needed before the first output: `period`.
    @inlinable public var warmup: Int { period }

    /// Feeds the next value and returns the middle band (NaN during warm-up).
    @inlinable @discardableResult
    public mutating func update(_ x: Double) -> Double {
        let sd = deviation.update(x)
        guard deviation.isReady else { return _middle }
        let mid = deviation.mean
        let width = multiplier * sd
        _middle = mid
        _upper = mid + width
        _lower = mid - width
        let span = _upper - _lower
        _percentB = span > 0 ? (x - _lower) / span : 0.5
        _bandwidth = span / mid
        return _middle
    }
}
