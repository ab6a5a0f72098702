public import TraderCore

/// Trend following on two simple moving averages: buy when the fast average crosses above the
/// slow one, sell when it crosses below.
///
/// A cross means `fast[t-1] < slow[t-1]` and `fast[t] > slow[t]` with strict inequalities, exactly
/// as `backtesting.lib.crossover`, so runs agree trade for trade with backtesting.py.
public struct SMACrossover: Strategy {
    public let fast: Int
    public let slow: Int
    @usableFromInline var averages: MovingAveragePair
    /// How the averages compared at the bar before.
    @usableFromInline var previousOrder = MovingAveragePair.Order.unordered

    public init(fast: Int = 10, slow: Int = 30) throws(StrategyError) {
        guard fast < slow else { throw .constraint(strategy: "sma-crossover", reason: "fast (\(fast)) must be < slow (\(slow))") }
        do { averages = try MovingAveragePair(fast: fast, slow: slow) } catch { throw StrategyError(error, strategy: "sma-crossover") }
        self.fast = fast
        self.slow = slow
    }

    @inlinable public var warmupBars: Int { slow }

    @inlinable @inline(__always)
    public mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        averages.update(bar.close)
        let order = averages.order
        defer { previousOrder = order }
        // Nothing fires during warm-up (`.unordered`, as comparisons with NaN are false).
        if previousOrder == .below && order == .above { return .buy }
        if previousOrder == .above && order == .below { return .sell }
        return .hold
    }
}
