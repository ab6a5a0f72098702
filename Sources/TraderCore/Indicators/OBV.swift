/// On-balance volume: a running total that adds the bar's volume on an up close, subtracts it on
/// a down close and leaves it unchanged on an unchanged close.
///
/// Volume-confirmation rules compare its trend with the price's. It starts at 0 on the first bar
/// (pandas-ta's convention), so only its changes carry meaning, never its level.
public struct OBV: BarIndicator {
    @usableFromInline var started = false
    @usableFromInline var previousClose = 0.0
    @usableFromInline var _value: Double = .nan
    /// The latest on-balance volume, NaN before the first bar.
    @inlinable public var value: Double { _value }

    /// Creates an OBV; it has no parameters.
    public init() {}

    /// True once the first bar has been seen.
    @inlinable public var isReady: Bool { started }
    /// Bars needed before the first output: 1.
    @inlinable public var warmup: Int { 1 }

    /// Feeds the next bar.
    @inlinable
    public mutating func update(_ bar: Bar) {
        update(close: bar.close, volume: bar.volume)
    }

    /// Feeds the next bar from columns; returns the updated OBV.
    @inlinable @discardableResult
    public mutating func update(close: Double, volume: Double) -> Double {
        if !started {
            started = true
            _value = 0
        } else if close > previousClose {
            _value += volume
        } else if close < previousClose {
            _value -= volume
        }
        previousClose = close
        return _value
    }
}
