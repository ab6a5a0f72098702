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
public struct ExecutionSettings: Hashable, Sendable, Codable {
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
    /// Close positions still open on the last bar at its close, so they count in the statistics.
    public var closeAtEnd: Bool = false
    /// Signals before this bar are ignored: the strategy still sees those bars (its indicators
    /// warm up) but opens nothing. Walk-forward test windows use it to start trading exactly at
    /// the window's first bar with indicators already defined.
    public var tradingStartBar: Int = 0

    public init() {}

    /// Checks every field; the error names the setting.
    public func validate() throws(DomainError) {
        guard initialCapital > 0, initialCapital.isFinite else {
            throw .invalid(field: "capital", reason: "must be a positive amount, got \(initialCapital)")
        }
        guard positionFraction > 0, positionFraction <= 1 else {
            throw .invalid(field: "size", reason: "position fraction must be in (0, 1], got \(positionFraction)")
        }
        for (name, value) in [("stop-loss", stopLoss), ("take-profit", takeProfit), ("trailing-stop", trailingStop)] {
            if let v = value, !(v > 0 && v < 1) {
                throw .invalid(field: name, reason: "must be a fraction in (0, 1), got \(v)")
            }
        }
    }
}
