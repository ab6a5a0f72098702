/// Relative strength index of a close series with Wilder's smoothing (TA-Lib's `RSI`).
///
/// The first average gain and loss are the simple means of the first `period` close-to-close
/// changes; after that each average moves as `(avg * (n - 1) + x) / n`. The result is
/// `100 - 100 / (1 + avgGain / avgLoss)`: 100 when there were no losses, 50 when the price did not
/// move at all (rather than a 0/0 NaN that would read as "not ready"). Momentum and
/// mean-reversion strategies threshold it (30/70), so it must agree with TA-Lib bar for bar.
public struct RSI: ScalarIndicator {
    /// Number of changes averaged (Wilder's `n`).
    public let period: Int
    @usableFromInline var count = 0
    @usableFromInline var previous = 0.0
    @usableFromInline var avgGain = 0.0
    @usableFromInline var avgLoss = 0.0
    @usableFromInline var _value: Double = .nan
    /// The latest RSI in 0...100, NaN during warm-up.
    @inlinable public var value: Double { _value }

    /// Creates an RSI over `period` changes; throws when `period` is not positive.
    public init(period: Int = 14) throws(DomainError) {
        try requirePositivePeriod(period)
        self.period = period
    }

    /// True once `period + 1` closes (so `period` changes) have been seen.
    @inlinable public var isReady: Bool { count > period }
    /// Values needed before the first output: `period + 1`.
    @inlinable public var warmup: Int { period + 1 }

    /// Feeds the next close and returns the updated RSI (NaN during warm-up).
    @inlinable @discardableResult
    public mutating func update(_ x: Double) -> Double {
        defer { previous = x }
        if count == 0 {
            count = 1
            return _value
        }
        let change = x - previous
        let gain = change > 0 ? change : 0
        let loss = change < 0 ? -change : 0
        let n = Double(period)
        if count > period {
            avgGain = (avgGain * (n - 1) + gain) / n
            avgLoss = (avgLoss * (n - 1) + loss) / n
        } else {
            avgGain += gain
            avgLoss += loss
            count += 1
            guard count > period else { return _value }
            avgGain /= n
            avgLoss /= n
        }
        _value = RSI.index(avgGain: avgGain, avgLoss: avgLoss)
        return _value
    }

    /// The RSI of the given averages, with the flat cases defined (100 without losses, 50 when
    /// both are 0).
    @inlinable
    public static func index(avgGain: Double, avgLoss: Double) -> Double {
        if avgLoss == 0 { return avgGain == 0 ? 50 : 100 }
        return 100 - 100 / (1 + avgGain / avgLoss)
    }
}
