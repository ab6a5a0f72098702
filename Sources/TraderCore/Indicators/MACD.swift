/// Moving average convergence/divergence: the MACD line `EMA(fast) - EMA(slow)`, its signal line
/// (an EMA of the MACD line) and their difference, the histogram.
///
/// Both price EMAs are `EMA`s fed from the first value (each seeded with its own SMA). The signal
/// EMA is fed only once the MACD line is defined, so its seed is the mean of the first `signal`
/// MACD values. As in TA-Lib, all three outputs appear together once the signal line is defined
/// (after `slow + signal - 1` values), so a crossover check never sees half an answer.
public struct MACD: ScalarIndicator {
    /// Period of the fast price EMA.
    public let fast: Int
    /// Period of the slow price EMA.
    public let slow: Int
    /// Period of the signal EMA over the MACD line.
    public let signalPeriod: Int
    @usableFromInline var fastEMA: EMA
    @usableFromInline var slowEMA: EMA
    @usableFromInline var signalEMA: EMA
    @usableFromInline var _value: Double = .nan
    @usableFromInline var _signal: Double = .nan
    @usableFromInline var _histogram: Double = .nan
    /// The latest MACD line, `EMA(fast) - EMA(slow)`; NaN during warm-up.
    @inlinable public var value: Double { _value }
    /// The latest signal line, an EMA of the MACD line; NaN during warm-up.
    @inlinable public var signal: Double { _signal }
    /// The latest histogram, `value - signal`; NaN during warm-up.
    @inlinable public var histogram: Double { _histogram }

    /// Creates a MACD; throws unless all periods are positive and `fast < slow`.
    public init(fast: Int = 12, slow: Int = 26, signal: Int = 9) throws(DomainError) {
        try requirePositivePeriod(fast, "fast")
        try requirePositivePeriod(slow, "slow")
        try requirePositivePeriod(signal, "signal")
        guard fast < slow else {
            throw .invalid(field: "fast", reason: "must be < slow (\(slow)), got \(fast)")
        }
        self.fast = fast
        self.slow = slow
        self.signalPeriod = signal
        self.fastEMA = try EMA(period: fast)
        self.slowEMA = try EMA(period: slow)
        self.signalEMA = try EMA(period: signal)
    }

    /// True once the signal line is defined.
    @inlinable public var isReady: Bool { signalEMA.isReady }
    /// Values needed before the first output: `slow + signal - 1`.
    @inlinable public var warmup: Int { slow + signalPeriod - 1 }

    /// Feeds the next close and returns the MACD line (NaN during warm-up).
    @inlinable @discardableResult
    public mutating func update(_ x: Double) -> Double {
        let f = fastEMA.update(x)
        let s = slowEMA.update(x)
        guard slowEMA.isReady else { return _value }
        let line = f - s
        let sig = signalEMA.update(line)
        guard signalEMA.isReady else { return _value }
        _value = line
        _signal = sig
        _histogram = line - sig
        return _value
    }
}
