/// A fast and a slow simple moving average of the same series, sharing one window.
///
/// Crossover strategies need both averages of the same input; keeping one ring buffer of the slow
/// length and reading the fast average's evicted value from it halves the buffer work per bar.
/// Each average uses exactly `SMA`'s compensated arithmetic, so values are bit-identical to two
/// separate `SMA`s.
///
/// This is the innermost code of the SMA-crossover backtest, so `update` is written for the
/// instruction count (see "The hot path" in docs/architecture.md):
/// - the window starts zero-filled, and a slot not written yet reads as 0 — exactly the value `SMA`
///   subtracts while its window fills — so both evicted values are read without warm-up branches;
/// - the fast average's evicted slot is tracked as a second index instead of being recomputed from
///   the head with a modulo;
/// - the window is a plain `Array` used through plain subscripts, so a copied pair (the optimizer
///   copies strategy prototypes across tasks) never shares mutable state with the original. Its
///   copy-on-write uniqueness check is a runtime call; in the backtest loop, where the strategy is
///   a local variable (`TradingKernel.withStrategy`), the optimizer proves the buffer stays unique
///   and hoists that check out of the loop. Measured against the alternatives: a
///   `withUnsafeMutableBufferPointer` per bar keeps the call on every bar, and a window stored
///   inline in the struct forces the whole strategy into memory; both were slower.
public struct MovingAveragePair: Indicator {
    public let fastPeriod: Int
    public let slowPeriod: Int
    /// The last `slowPeriod` values; slot `head` holds the oldest (the one leaving the slow window).
    @usableFromInline var window: [Double]
    /// Slot the next value is written to.
    @usableFromInline var head = 0
    /// Slot of the value leaving the fast window: `head − fastPeriod` modulo `slowPeriod`.
    @usableFromInline var fastTail: Int
    /// The periods as `Double`, converted once instead of per bar (same values, so the quotients
    /// are unchanged; still a true division, as pandas does, not a multiplication by 1/n).
    @usableFromInline let fastDivisor: Double, slowDivisor: Double
    @usableFromInline var fastSum = 0.0, fastCompensation = 0.0
    @usableFromInline var slowSum = 0.0, slowCompensation = 0.0
    /// Values seen, counted up to `slowPeriod` only (no more is needed, and it keeps the steady
    /// state to one comparison).
    @usableFromInline var seen = 0
    /// How the averages compare after the last update (see `order`).
    @usableFromInline var _order = Order.unordered

    /// How the fast average compares with the slow one.
    @frozen public enum Order: Int8, Sendable {
        case below = -1
        /// Equal, or not both averages defined yet (warm-up, or a NaN among the last values).
        case unordered = 0
        case above = 1
    }

    /// Throws unless `0 < fast < slow`.
    public init(fast: Int, slow: Int) throws(DomainError) {
        try requirePositivePeriod(fast, "fast")
        guard fast < slow else { throw .invalid(field: "fast", reason: "must be < slow (\(slow)), got \(fast)") }
        fastPeriod = fast
        slowPeriod = slow
        window = [Double](repeating: 0, count: slow)
        fastTail = slow - fast
        fastDivisor = Double(fast)
        slowDivisor = Double(slow)
    }

    /// The fast average, NaN until `fastPeriod` values were seen.
    @inlinable public var fast: Double { seen >= fastPeriod ? (fastSum + fastCompensation) / fastDivisor : .nan }
    /// The slow average, NaN until `slowPeriod` values were seen.
    @inlinable public var slow: Double { seen >= slowPeriod ? (slowSum + slowCompensation) / slowDivisor : .nan }
    /// How `fast` compares with `slow`, exactly as comparing the two values would (`.unordered`
    /// where both `<` and `>` are false), but without dividing on almost every bar.
    @inlinable public var order: Order { _order }
    @inlinable public var isReady: Bool { seen >= slowPeriod }
    @inlinable public var warmup: Int { slowPeriod }

    /// Feeds the next value and updates both averages.
    @inline(__always) @inlinable
    public mutating func update(_ x: Double) {
        let h = head, t = fastTail
        // Slot `t` is never slot `h` (0 < fast < slow), so both reads see values before this push.
        // While the window fills, the slots read have never been written and hold 0.
        let leavingFast = window[t], leavingSlow = window[h]
        window[h] = x
        head = h &+ 1 == slowPeriod ? 0 : h &+ 1  // both below `slowPeriod`: no overflow
        fastTail = t &+ 1 == slowPeriod ? 0 : t &+ 1
        Self.add(x, &fastSum, &fastCompensation)
        Self.add(-leavingFast, &fastSum, &fastCompensation)  // adding -0 while filling changes nothing
        Self.add(x, &slowSum, &slowCompensation)
        Self.add(-leavingSlow, &slowSum, &slowCompensation)
        // Warm-up behind one well-predicted branch: `seen` stops at `slowPeriod`, so the steady
        // state pays a single comparison instead of a counter and selects.
        if seen < slowPeriod {
            seen += 1
            if seen < slowPeriod { _order = .unordered; return }
        }
        _order = Self.order(fastSum + fastCompensation, fastDivisor, slowSum + slowCompensation, slowDivisor)
    }

    /// The order of `a / p` and `b / q` as rounded quotients, from `a·q − b·p` when that settles it.
    ///
    /// Rounding is monotone, so the quotients keep the order of the exact values unless those are
    /// within about an ulp of each other. When the computed `a·q − b·p` exceeds 2⁻⁴⁸ of
    /// `|a·q| + |b·p|`, its sign is the exact one (three roundings of at most 2⁻⁵³ each cannot
    /// flip it) and the exact quotients differ by over 2⁻⁴⁹ relative, so their roundings are
    /// strictly ordered the same way. Otherwise (near-ties, NaN, overflow: the comparison is then
    /// false) the quotients are computed and compared. The division took the longest latency of
    /// the backtest's bar loop, and the crossover's branch waited on it.
    @inline(__always) @inlinable
    static func order(_ a: Double, _ p: Double, _ b: Double, _ q: Double) -> Order {
        let aq = a * q, bp = b * p
        let d = aq - bp
        if abs(d) > 0x1p-48 * (abs(aq) + abs(bp)) { return d > 0 ? .above : .below }
        let f = a / p, s = b / q
        return f > s ? .above : f < s ? .below : .unordered
    }

    /// Compensated addition with the same result as `SMA`'s Neumaier step, bit for bit.
    ///
    /// Neumaier adds the rounding error of `sum + x`, computed by Fast2Sum on whichever operand is
    /// larger in magnitude; Fast2Sum is exact there, so that term *is* the exact error. Knuth's
    /// TwoSum below computes the same exact error without the comparison: six additions and no
    /// branch or select, which is fewer instructions and keeps the sums' dependency chains short.
    /// (Exactness holds for finite sums, which running sums of prices are.)
    @inline(__always) @inlinable
    static func add(_ x: Double, _ sum: inout Double, _ compensation: inout Double) {
        let t = sum + x
        let xPart = t - sum
        let sumPart = t - xPart
        compensation += (sum - sumPart) + (x - xPart)
        sum = t
    }
}
