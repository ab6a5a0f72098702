/// One OHLCV bar. A value type, handed to strategies one at a time: a strategy only ever sees
/// the bar being decided on and what it remembered of earlier ones, so lookahead is impossible by
/// construction.
public struct Bar: Hashable, Sendable {
    public var timestamp: Timestamp
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double

    @inlinable
    public init(timestamp: Timestamp, open: Double, high: Double, low: Double, close: Double, volume: Double) {
        self.timestamp = timestamp
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    /// Checks the invariants every bar must satisfy; returns the reason it fails, or nil.
    ///
    /// The one bar invariant: `BarSeries` checks it on construction and the CSV reader on every
    /// row, so every source of bars obeys the same rules. Prices are finite and positive, volume
    /// finite and not negative, and the open and close lie within [low, high] (a bar whose open
    /// is above its high cannot have traded; a broker filling at the open would fill outside the
    /// bar's range).
    @inlinable
    public static func violation(open: Double, high: Double, low: Double, close: Double, volume: Double) -> String? {
        if !(open.isFinite && high.isFinite && low.isFinite && close.isFinite) { return "price is NaN or infinite" }
        if !volume.isFinite { return "volume is NaN or infinite" }
        if open <= 0 || high <= 0 || low <= 0 || close <= 0 { return "non-positive price" }
        if high < low { return "high \(high) < low \(low)" }
        if open > high { return "open \(open) is above high \(high)" }
        if open < low { return "open \(open) is below low \(low)" }
        if close > high { return "close \(close) is above high \(high)" }
        if close < low { return "close \(close) is below low \(low)" }
        if volume < 0 { return "negative volume \(volume)" }
        return nil
    }
}
