/// Average true range with Wilder's smoothing, the volatility yardstick for stops and position
/// sizing.
///
/// The true range of the first bar is `high - low` (no previous close yet); later it is
/// `max(high - low, |high - prevClose|, |low - prevClose|)`, so overnight gaps count. The first
/// ATR is the mean of the first `period` true ranges; after that `(atr * (n - 1) + tr) / n`.
public struct ATR: BarIndicator {
    /// Number of true ranges averaged (Wilder's `n`).
    public let period: Int
    @usableFromInline var count = 0
    @usableFromInline var previousClose = 0.0
    @usableFromInline var seedSum = 0.0
    @usableFromInline var _trueRange: Double = .nan
    @usableFromInline var _value: Double = .nan
    /// The latest ATR, NaN during warm-up.
    @inlinable public var value: Double { _value }
    /// The latest bar's true range, NaN before the first bar.
    @inlinable public var trueRange: Double { _trueRange }

    /// Creates an ATR over `period` bars; throws when `period` is not positive.
    public init(period: Int = 14) throws(DomainError) {
        try requirePositivePeriod(period)
        self.period = period
    }

    /// True once `period` bars have been seen.
    @inlinable public var isReady: Bool { count == period }
    /// Bars needed before the first output: `period`.
    @inlinable public var warmup: Int { period }

    /// Feeds the next bar.
    @inlinable
    public mutating func update(_ bar: Bar) {
        update(high: bar.high, low: bar.low, close: bar.close)
    }

    /// Feeds the next bar from columns (no `Bar` needed on the columnar hot path); returns the
    /// updated ATR (NaN during warm-up).
    @inlinable @discardableResult
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        var tr = high - low
        if count > 0 {
            tr = max(tr, abs(high - previousClose), abs(low - previousClose))
        }
        previousClose = close
        _trueRange = tr
        let n = Double(period)
        if count == period {
            _value = (_value * (n - 1) + tr) / n
            return _value
        }
        count += 1
        seedSum += tr
        if count == period { _value = seedSum / n }
        return _value
    }
}
