/// The window maximum (or minimum) kept by a monotonic deque, the state behind `RollingMax` and
/// `RollingMin`.
///
/// The deque holds only values that can still become the extreme: each newer value evicts the
/// older ones it dominates, so the front is always the answer. Every value enters and leaves once,
/// which makes an update amortized O(1). Storage is a fixed ring of `period` slots allocated at
/// construction, so updates never allocate.
@usableFromInline
struct MonotonicDeque: Sendable {
    @usableFromInline var values: [Double]
    @usableFromInline var stamps: [Int]
    @usableFromInline var front = 0
    @usableFromInline var count = 0
    /// Number of values pushed so far, which is also the stamp of the next one.
    @usableFromInline var pushed = 0
    @usableFromInline let keepsMax: Bool

    @usableFromInline
    init(capacity: Int, keepsMax: Bool) {
        values = [Double](repeating: 0, count: capacity)
        stamps = [Int](repeating: 0, count: capacity)
        self.keepsMax = keepsMax
    }

    /// Pushes `x` and returns the extreme of the last `capacity` values pushed.
    @inlinable
    mutating func push(_ x: Double) -> Double {
        let capacity = values.count
        // Stamps increase by one per push, so at most one value leaves the window per push.
        if count > 0 && stamps[front] <= pushed - capacity {
            front += 1
            if front == capacity { front = 0 }
            count -= 1
        }
        while count > 0 {
            var back = front + count - 1
            if back >= capacity { back -= capacity }
            let v = values[back]
            guard keepsMax ? v <= x : v >= x else { break }
            count -= 1
        }
        var slot = front + count
        if slot >= capacity { slot -= capacity }
        values[slot] = x
        stamps[slot] = pushed
        count += 1
        pushed += 1
        return values[front]
    }
}

/// Which end of the window a `RollingExtreme` keeps.
public protocol ExtremeSide: Sendable {
    /// True for the maximum, false for the minimum.
    static var keepsMax: Bool { get }
}

/// Marks the window maximum.
public enum Highest: ExtremeSide { public static let keepsMax = true }
/// Marks the window minimum.
public enum Lowest: ExtremeSide { public static let keepsMax = false }

/// Highest value over the last `period` observations (the highest high when fed highs), pandas'
/// `rolling(n).max()`. Breakout and channel strategies need it every bar; the monotonic deque makes
/// that amortized O(1) instead of a scan of the window.
public typealias RollingMax = RollingExtreme<Highest>

/// Lowest value over the last `period` observations (the lowest low when fed lows), pandas'
/// `rolling(n).min()`: channel bottoms, stochastic ranges and trailing stops.
public typealias RollingMin = RollingExtreme<Lowest>

/// The extreme (maximum or minimum, chosen by `Side`) of the last `period` observations.
public struct RollingExtreme<Side: ExtremeSide>: ScalarIndicator {
    /// Number of values in the window.
    public let period: Int
    @usableFromInline var deque: MonotonicDeque
    @usableFromInline var _value: Double = .nan
    /// The latest window extreme, NaN during warm-up.
    @inlinable public var value: Double { _value }

    /// Creates a rolling extreme over `period` values; throws when `period` is not positive.
    public init(period: Int) throws(DomainError) {
        try requirePositivePeriod(period)
        self.period = period
        self.deque = MonotonicDeque(capacity: period, keepsMax: Side.keepsMax)
    }

    /// True once `period` values have been seen.
    @inlinable public var isReady: Bool { deque.pushed >= period }
    /// Values needed before the first output: `period`.
    @inlinable public var warmup: Int { period }

    /// Feeds the next value and returns the window extreme (NaN during warm-up).
    @inlinable @discardableResult
    public mutating func update(_ x: Double) -> Double {
        let m = deque.push(x)
        _value = deque.pushed >= period ? m : .nan
        return _value
    }
}
