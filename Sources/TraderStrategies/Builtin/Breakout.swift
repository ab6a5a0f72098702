public import TraderCore

/// Channel breakout: buy when the close exceeds the highest high of the previous `lookback`
/// bars, sell when it falls below their lowest low. The current bar is compared with the channel
/// of the bars before it, then added to it.
public struct Breakout: Strategy {
    public let lookback: Int
    @usableFromInline var highest: RollingMax
    @usableFromInline var lowest: RollingMin

    public init(lookback: Int = 20) throws(StrategyError) {
        do {
            highest = try RollingMax(period: lookback)
            lowest = try RollingMin(period: lookback)
        } catch { throw StrategyError(error, strategy: "breakout") }
        self.lookback = lookback
    }

    @inlinable public var warmupBars: Int { lookback + 1 }

    @inlinable @inline(__always)
    public mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        let upper = highest.value
        let lower = lowest.value
        highest.update(bar.high)
        lowest.update(bar.low)
        if bar.close > upper { return .buy }
        if bar.close < lower { return .sell }
        return .hold
    }
}
