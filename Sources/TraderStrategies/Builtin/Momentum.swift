public import TraderCore

/// Rate-of-change momentum: buy while the close is more than `threshold` above the close
/// `lookback` bars ago, sell while it is more than `threshold` below it.
public struct Momentum: Strategy {
    public let lookback: Int
    public let threshold: Double
    @usableFromInline var closes: RingBuffer

    public init(lookback: Int = 20, threshold: Double = 0.02) throws(StrategyError) {
        guard lookback > 0 else { throw .invalidParameter(strategy: "momentum", name: "lookback", reason: "must be > 0, got \(lookback)") }
        guard threshold >= 0, threshold.isFinite else { throw .invalidParameter(strategy: "momentum", name: "threshold", reason: "must be >= 0, got \(threshold)") }
        self.lookback = lookback
        self.threshold = threshold
        closes = RingBuffer(capacity: lookback + 1)
    }

    @inlinable public var warmupBars: Int { lookback + 1 }

    @inlinable @inline(__always)
    public mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        closes.push(bar.close)
        guard closes.isFull else { return .hold }
        let change = bar.close / closes.oldest - 1
        if change > threshold { return .buy }
        if change < -threshold { return .sell }
        return .hold
    }
}
