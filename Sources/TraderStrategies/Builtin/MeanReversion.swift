public import TraderCore

/// Bollinger-band mean reversion: buy when the close falls below the lower band, sell when it
/// rises above the upper band.
public struct MeanReversion: Strategy {
    public let period: Int
    public let deviations: Double
    @usableFromInline var bands: BollingerBands

    public init(period: Int = 20, deviations: Double = 2) throws(StrategyError) {
        guard deviations > 0, deviations.isFinite else {
            throw .invalidParameter(strategy: "mean-reversion", name: "std", reason: "must be > 0, got \(deviations)")
        }
        do { bands = try BollingerBands(period: period, multiplier: deviations) } catch { throw StrategyError(error, strategy: "mean-reversion") }
        self.period = period
        self.deviations = deviations
    }

    @inlinable public var warmupBars: Int { period }

    @inlinable @inline(__always)
    public mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        bands.update(bar.close)
        guard bands.isReady else { return .hold }
        if bar.close < bands.lower { return .buy }
        if bar.close > bands.upper { return .sell }
        return .hold
    }
}
