public import TraderCore

/// Trend following only in calm markets: buy when the standard deviation of bar returns over
/// `period` bars is below `threshold` and the close is above its moving average; sell when
/// volatility rises above the threshold or the close drops below the average.
public struct VolatilityFilter: Strategy {
    public let period: Int
    public let threshold: Double
    @usableFromInline var returnStd: RollingStd
    @usableFromInline var average: SMA
    @usableFromInline var previousClose = Double.nan

    public init(period: Int = 20, threshold: Double = 0.02) throws(StrategyError) {
        guard period > 1 else { throw .invalidParameter(strategy: "volatility", name: "period", reason: "must be > 1, got \(period)") }
        guard threshold > 0, threshold.isFinite else { throw .invalidParameter(strategy: "volatility", name: "threshold", reason: "must be > 0, got \(threshold)") }
        do {
            returnStd = try RollingStd(period: period)
            average = try SMA(period: period)
        } catch { throw StrategyError(error, strategy: "volatility") }
        self.period = period
        self.threshold = threshold
    }

    @inlinable public var warmupBars: Int { period + 1 }

    @inlinable @inline(__always)
    public mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        let mean = average.update(bar.close)
        defer { previousClose = bar.close }
        guard previousClose.isFinite else { return .hold }
        let vol = returnStd.update(bar.close / previousClose - 1)
        guard returnStd.isReady else { return .hold }
        if vol > threshold || bar.close < mean { return .sell }
        if vol < threshold && bar.close > mean { return .buy }
        return .hold
    }
}
