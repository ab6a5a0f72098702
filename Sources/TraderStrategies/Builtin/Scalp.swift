public import TraderCore

/// Short-horizon scalping on bar-to-bar moves: buy when the close rises more than `bps` basis
/// points over the previous close, sell when it falls more than that.
public struct Scalp: Strategy {
    public let bps: Double
    @usableFromInline let threshold: Double
    @usableFromInline var previousClose = Double.nan

    public init(bps: Double = 5) throws(StrategyError) {
        guard bps > 0, bps.isFinite else { throw .invalidParameter(strategy: "scalp", name: "bps", reason: "must be > 0, got \(bps)") }
        self.bps = bps
        self.threshold = bps / 10_000
    }

    @inlinable public var warmupBars: Int { 2 }

    @inlinable @inline(__always)
    public mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        defer { previousClose = bar.close }
        let change = bar.close / previousClose - 1
        if change > threshold { return .buy }
        if change < -threshold { return .sell }
        return .hold
    }
}
