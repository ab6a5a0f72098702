/// Exponential moving average with smoothing factor `alpha = 2 / (period + 1)`.
///
/// Seeded with the simple mean of the first `period` values (the TA-Lib convention) rather than
/// with the first value alone (pandas' `ewm(adjust: false)`): the seed removes the start-up bias,
/// so values after warm-up barely depend on where the data happens to begin. The state is two
/// numbers, so an update is O(1) with no window kept.
public struct EMA: ScalarIndicator {
    /// Number of values averaged for the seed; also sets the smoothing factor.
    public let period: Int
    /// Weight of the newest value, `2 / (period + 1)`.
    public let alpha: Double
    @usableFromInline var count = 0
    @usableFromInline var seedSum = 0.0
    @usableFromInline var _value: Double = .nan
    /// The latest average, NaN during warm-up.
    @inlinable public var value: Double { _value }

    /// Creates an EMA over `period` values; throws when `period` is not positive.
    public init(period: Int) throws(DomainError) {
        try requirePositivePeriod(period)
        self.period = period
        self.alpha = 2.0 / Double(period + 1)
    }

    /// True once `period` values have been seen (the seed is defined).
    @inlinable public var isReady: Bool { count == period }
    /// Values needed before the first output: `period`.
    @inlinable public var warmup: Int { period }

    /// Feeds the next value: accumulates the seed during warm-up, then smooths.
    @inlinable @discardableResult
    public mutating func update(_ x: Double) -> Double {
        if count == period {
            _value += alpha * (x - _value)
            return _value
        }
        count += 1
        seedSum += x
        if count == period { _value = seedSum / Double(period) }
        return _value
    }
}
