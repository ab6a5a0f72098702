/// Simple moving average over the last `period` values.
///
/// A running sum with Neumaier compensation, so the rolling mean stays as exact as pandas'
/// `rolling(n).mean()` over millions of bars instead of drifting with rounding error; crossover
/// decisions on near-ties then agree with the reference implementations.
public struct SMA: ScalarIndicator {
    public let period: Int
    @usableFromInline var window: RingBuffer
    @usableFromInline var sum = 0.0
    @usableFromInline var compensation = 0.0
    @usableFromInline var _value: Double = .nan
    /// The latest average, NaN during warm-up.
    @inlinable public var value: Double { _value }

    public init(period: Int) throws(DomainError) {
        try requirePositivePeriod(period)
        self.period = period
        self.window = RingBuffer(capacity: period)
    }

    @inlinable public var isReady: Bool { window.isFull }
    @inlinable public var warmup: Int { period }

    @inline(__always) @inlinable @discardableResult
    public mutating func update(_ x: Double) -> Double {
        let old = window.pushEvicting(x)
        add(x)
        add(-old)  // adding -0 while filling changes nothing
        _value = window.isFull ? (sum + compensation) / Double(period) : .nan
        return _value
    }

    /// Neumaier's compensated addition.
    @inline(__always) @inlinable mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
        sum = t
    }
}
