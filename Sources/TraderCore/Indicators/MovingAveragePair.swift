/// A fast and a slow simple moving average of the same series, sharing one window.
///
/// Crossover strategies need both averages of the same input; keeping one ring buffer of the slow
/// length and reading the fast average's evicted value from it halves the buffer work per bar.
/// Each average uses exactly `SMA`'s compensated arithmetic, so values are bit-identical to two
/// separate `SMA`s.
public struct MovingAveragePair: Indicator {
    public let fastPeriod: Int
    public let slowPeriod: Int
    @usableFromInline var window: RingBuffer
    @usableFromInline var fastSum = 0.0, fastCompensation = 0.0
    @usableFromInline var slowSum = 0.0, slowCompensation = 0.0
    @usableFromInline var seen = 0
    @usableFromInline var _fast = Double.nan
    @usableFromInline var _slow = Double.nan

    /// Throws unless `0 < fast < slow`.
    public init(fast: Int, slow: Int) throws(DomainError) {
        try requirePositivePeriod(fast, "fast")
        guard fast < slow else { throw .invalid(field: "fast", reason: "must be < slow (\(slow)), got \(fast)") }
        fastPeriod = fast
        slowPeriod = slow
        window = RingBuffer(capacity: slow)
    }

    /// The fast average, NaN until `fastPeriod` values were seen.
    @inlinable public var fast: Double { _fast }
    /// The slow average, NaN until `slowPeriod` values were seen.
    @inlinable public var slow: Double { _slow }
    @inlinable public var isReady: Bool { seen >= slowPeriod }
    @inlinable public var warmup: Int { slowPeriod }

    /// Feeds the next value and updates both averages.
    @inline(__always) @inlinable
    public mutating func update(_ x: Double) {
        // The value leaving the fast window is `fastPeriod` pushes back, read before pushing.
        let leavingFast = seen >= fastPeriod ? window[ago: fastPeriod - 1] : 0
        let leavingSlow = window.pushEvicting(x)
        seen += 1
        Self.add(x, &fastSum, &fastCompensation)
        Self.add(-leavingFast, &fastSum, &fastCompensation)
        Self.add(x, &slowSum, &slowCompensation)
        Self.add(-leavingSlow, &slowSum, &slowCompensation)
        _fast = seen >= fastPeriod ? (fastSum + fastCompensation) / Double(fastPeriod) : .nan
        _slow = seen >= slowPeriod ? (slowSum + slowCompensation) / Double(slowPeriod) : .nan
    }

    /// Neumaier's compensated addition, as in `SMA`.
    @inline(__always) @inlinable
    static func add(_ x: Double, _ sum: inout Double, _ compensation: inout Double) {
        let t = sum + x
        if abs(sum) >= abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
        sum = t
    }
}
