public import TraderCore

/// When market orders decided on a bar are filled.
public enum FillTiming: String, Sendable, Codable, CaseIterable {
    /// At the open of the next bar (default; no lookahead).
    case nextOpen = "next-open"
    /// At the close of the bar the decision was made on (backtesting.py's `trade_on_close`).
    case close
}

/// Which positions signals may open.
public enum TradeDirection: String, Sendable, Codable, CaseIterable {
    /// Buy signals open longs; sell signals only close them.
    case longOnly = "long-only"
    /// Sell signals also open shorts; each signal reverses the position.
    case longShort = "long-short"
}

/// How the kernel executes: costs, fills, sizing and protective exits. One value describes a run
/// completely, so the same settings reproduce the same trades in backtest and paper trading.
public struct ExecutionSettings: Hashable, Sendable {
    public var initialCapital: Double = 10_000
    public var commission: CommissionModel = .zero
    public var costs: SlippageModel = .zero
    public var fill: FillTiming = .nextOpen
    public var direction: TradeDirection = .longOnly
    /// Fraction of available equity committed per entry; `1 − ε` as backtesting.py's default
    /// `buy()`, which leaves room for rounding.
    public var positionFraction: Double = 1 - Double.ulpOfOne
    /// Round entry sizes down to whole units (shares); false allows fractional units.
    public var wholeUnits: Bool = true
    /// Protective exits as fractions of the entry price (0.05 = 5 %); nil for none.
    public var stopLoss: Double? = nil
    public var takeProfit: Double? = nil
    public var trailingStop: Double? = nil
    /// What to do with a position still open after the last bar (see `EndOfRunExit`).
    public var endOfRunExit: EndOfRunExit = .none
    /// Signals before this bar are ignored: the strategy still sees those bars (its indicators
    /// warm up) but opens nothing. Walk-forward test windows use it to start trading exactly at
    /// the window's first bar with indicators already defined.
    public var tradingStartBar: Int = 0
    /// Pre-trade risk rules (none by default, as backtesting.py): the broker reviews every order
    /// that would open or add to a position with them (`RiskCheck`).
    public var risk = RiskRules()
    /// At most this fraction of a bar's volume fills per order and bar (0.1 = 10 %); the rest
    /// stays working for the next bars (partial fills, as a large order meets a thin market).
    /// nil: orders fill whole, as in backtesting.py. Protective exits and the end-of-run close
    /// are not limited.
    public var volumeLimit: Double? = nil

    public init() {}

    /// Whether a position still open after the last bar is closed (at either price). Setting it
    /// to true chooses the close at the last close, as `--close-at-end` always did; false leaves
    /// positions open.
    public var closeAtEnd: Bool {
        get { endOfRunExit != .none }
        set { endOfRunExit = newValue ? .atLastClose : .none }
    }

    /// Checks every field against `ExecutionSettings.Limits`; the error names the setting as
    /// its option (`capital`, `size`, `stop-loss`, ...).
    public func validate() throws(DomainError) {
        try Limits.capital.check(initialCapital, field: "capital")
        try Limits.commissionRate.check(commission.rate, field: "commission")
        try Limits.commissionFixed.check(commission.fixed, field: "commission-fixed")
        try Limits.spread.check(costs.spread, field: "spread")
        // Slippage is checked in basis points when its model is built (`SlippageModel.init`).
        try Limits.positionFraction.check(positionFraction, field: "size")
        for (name, value) in [("stop-loss", stopLoss), ("take-profit", takeProfit), ("trailing-stop", trailingStop)] {
            if let value { try Limits.protectiveExit.check(value, field: name) }
        }
        try Bounds.integers(0, Int.max / 2).check(tradingStartBar, field: "trading-start-bar")
        try risk.validate()
        if let volumeLimit { try Limits.volumeLimit.check(volumeLimit, field: "volume-limit") }
        if endOfRunExit == .atLastOpen && fill == .close {
            throw .invalid(field: "close-at-last-open",
                           reason: "needs fills at the next open (--fill next-open): with --fill close, orders of the last bar fill after its open")
        }
    }
}

extension ExecutionSettings {
    /// The valid range of every execution setting: the one definition the CLI options, the
    /// configuration keys (`backtest.*`, `risk.*`), workflow steps and the API check against.
    public enum Limits {
        /// Starting capital: a cent to a trillion. Beyond that, equity and unit counts leave the
        /// range where a double still counts whole units exactly (2^53).
        public static let capital = Bounds.closed(0.01, 1e12)
        /// Commission as a fraction of traded value: up to half of it.
        public static let commissionRate = Bounds.closed(0, 0.5)
        /// Fixed commission per fill, in account currency.
        public static let commissionFixed = Bounds.closed(0, 1e9)
        /// Bid-ask spread as a fraction of price; with the slippage it stays below 1, so a fill
        /// price is always positive.
        public static let spread = Bounds.closed(0, 0.5)
        /// Slippage per fill in basis points (5000 = 50 %).
        public static let slippageBps = Bounds.closed(0, 5_000, unit: "basis points")
        /// Fraction of equity per entry.
        public static let positionFraction = Bounds(lower: 0, upper: 1, lowerOpen: true)
        /// Stop-loss, take-profit and trailing stop, as fractions of the entry (or best) price.
        public static let protectiveExit = Bounds(lower: 0, upper: 1, lowerOpen: true, upperOpen: true)
        /// Fraction of a bar's volume an order may take.
        public static let volumeLimit = Bounds(lower: 0, upper: 1, lowerOpen: true)
    }
}
