/// Rolling standard deviation over the last `period` values, pandas' `rolling(n).std(ddof:)`.
///
/// Volatility filters and Bollinger bands compare this number with thresholds bar after bar for
/// years of data, so it must not drift, must not go negative, and must stay exact when a calm
/// window follows a wild one. Running sums cannot promise that: removing a large value from a sum
/// of squares leaves its rounding error behind, and a tiny variance is swamped by it. So nothing
/// is ever subtracted here. The stream is cut into blocks of `period` values; the window is always
/// the tail of the previous block plus the head of the current one:
/// - the head is a forward Welford accumulator over the current block;
/// - the tails are precomputed when a block completes, by one backward Welford sweep of it;
/// - the two are combined with Chan's pairwise formula, whose terms are all non-negative.
/// Both accumulators work on deviations from their block's first value (a shift), so a level far
/// from zero (prices of 1e9 moving by cents) costs no precision in the means.
///
/// Each value is thus added twice and never removed, so the result is as accurate as a two-pass
/// computation of the window, a constant window gives exactly 0 (as in pandas), and the variance
/// is never negative. The cost is amortized O(1): constant work per update, plus one sweep of
/// `period - 1` additions when a block completes (once every `period` updates). All storage is
/// allocated at construction; updates never allocate.
public struct RollingStd: ScalarIndicator {
    /// Number of values in the window.
    public let period: Int
    /// Delta degrees of freedom: the divisor is `period - ddof` (1 = sample std, pandas' default;
    /// 0 = population std, numpy's default).
    public let ddof: Int
    @usableFromInline var window: RingBuffer
    // Neumaier-compensated sum for the mean, the same arithmetic as `SMA`.
    @usableFromInline var sum = 0.0
    @usableFromInline var compensation = 0.0
    // Welford accumulator over the head of the current block, of `x - headShift`.
    @usableFromInline var headCount = 0
    @usableFromInline var headShift = 0.0
    @usableFromInline var headMean = 0.0
    @usableFromInline var headM2 = 0.0
    // tailMean[j], tailM2[j]: mean (of `x - tailShift`) and sum of squared deviations of offsets
    // j..<period of the previous block (valid for j in 1..<period).
    @usableFromInline var tailShift = 0.0
    @usableFromInline var tailMean: [Double]
    @usableFromInline var tailM2: [Double]
    @usableFromInline var m2 = 0.0
    @usableFromInline var _value: Double = .nan
    /// The latest standard deviation, NaN during warm-up.
    @inlinable public var value: Double { _value }
    /// Mean of the window, bit-for-bit the value of an `SMA` of the same period; NaN during warm-up.
    @inlinable public var mean: Double { window.isFull ? (sum + compensation) / Double(period) : .nan }
    /// Variance of the window with the same `ddof`, NaN during warm-up.
    @inlinable public var variance: Double { window.isFull ? m2 / Double(period - ddof) : .nan }

    /// Creates a rolling std; throws unless `period > 0` and `0 <= ddof < period`.
    public init(period: Int, ddof: Int = 1) throws(DomainError) {
        try requirePositivePeriod(period)
        guard ddof >= 0, ddof < period else {
            throw .invalid(field: "ddof", reason: "must be in 0..<period (\(period)), got \(ddof)")
        }
        self.period = period
        self.ddof = ddof
        self.window = RingBuffer(capacity: period)
        self.tailMean = [Double](repeating: 0, count: period)
        self.tailM2 = [Double](repeating: 0, count: period)
    }

    /// True once the window holds `period` values.
    @inlinable public var isReady: Bool { window.isFull }
    /// Values needed before the first output: `period`.
    @inlinable public var warmup: Int { period }

    /// Feeds the next value and returns the updated standard deviation (NaN during warm-up).
    @inlinable @discardableResult
    public mutating func update(_ x: Double) -> Double {
        add(x)
        if let old = window.push(x) { add(-old) }

        if headCount == 0 { headShift = x }
        headCount += 1
        let y = x - headShift
        let delta = y - headMean
        headMean += delta / Double(headCount)
        headM2 += delta * (y - headMean)

        if headCount == period {
            // The window is exactly the block just completed.
            m2 = headM2
            sweepCompletedBlock()
        } else if window.isFull {
            let tailCount = Double(period - headCount)
            let d = (headMean - tailMean[headCount]) + (headShift - tailShift)
            m2 = tailM2[headCount] + headM2 + d * d * (tailCount * Double(headCount) / Double(period))
        }
        _value = window.isFull ? (m2 / Double(period - ddof)).squareRoot() : .nan
        return _value
    }

    /// Precomputes the tail aggregates of the block that now fills the window (a backward Welford
    /// sweep) and starts a new head.
    @inlinable mutating func sweepCompletedBlock() {
        var mean = 0.0
        var m2 = 0.0
        var n = 0.0
        var offset = period - 1
        tailShift = headShift
        while offset >= 1 {
            let y = window[ago: period - 1 - offset] - tailShift
            n += 1
            let delta = y - mean
            mean += delta / n
            m2 += delta * (y - mean)
            tailMean[offset] = mean
            tailM2[offset] = m2
            offset -= 1
        }
        headCount = 0
        headMean = 0
        headM2 = 0
    }

    /// Neumaier's compensated addition, as in `SMA`.
    @inlinable mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
        sum = t
    }
}
