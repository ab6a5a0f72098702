public import TraderCore

/// Commission charged per fill: a rate on traded value, a fixed fee, or both.
///
/// `commission = fixed + |units| × price × rate`, the same function as backtesting.py's
/// `commission=(fixed, relative)`, charged on entry and on exit.
public struct CommissionModel: Hashable, Sendable, Codable {
    public var rate: Double
    public var fixed: Double

    public init(rate: Double = 0, fixed: Double = 0) throws(DomainError) {
        try ExecutionSettings.Limits.commissionRate.check(rate, field: "commission")
        try ExecutionSettings.Limits.commissionFixed.check(fixed, field: "commission-fixed")
        self.rate = rate
        self.fixed = fixed
    }

    public static let zero = try! CommissionModel()

    @inlinable public func commission(units: Double, price: Double) -> Double {
        fixed + abs(units) * price * rate
    }
}

/// Price impact of trading, as fractions of price that always work against the trader.
///
/// `spread` is the full bid-ask spread paid once per round trip, on entry (backtesting.py's
/// `spread`); `slippage` is paid on every fill, entries and exits alike.
public struct SlippageModel: Hashable, Sendable, Codable {
    public var spread: Double
    public var slippage: Double

    public init(spread: Double = 0, slippageBps: Double = 0) throws(DomainError) {
        try ExecutionSettings.Limits.spread.check(spread, field: "spread")
        try ExecutionSettings.Limits.slippageBps.check(slippageBps, field: "slippage")
        self.spread = spread
        self.slippage = slippageBps / 10_000
    }

    public static let zero = try! SlippageModel()

    /// The price an entry in direction `sign` (+1 buy, −1 sell) pays.
    @inlinable public func entryPrice(_ price: Double, sign: Double) -> Double {
        price * (1 + sign * (spread + slippage))
    }

    /// The price an exit in direction `sign` (the exit order's side) gets.
    @inlinable public func exitPrice(_ price: Double, sign: Double) -> Double {
        slippage == 0 ? price : price * (1 + sign * slippage)
    }
}
