public import TraderCore

/// The books a `MatchingBroker` fills into: one instrument's lots, and the account they belong
/// to, which sizes entries and may keep risk rules of its own.
///
/// The matching (working orders, fill prices, protective exits) is the broker's and the same for
/// every ledger; only the accounting differs. `PortfolioLedger` is a single-instrument account
/// with its own cash (a backtest's `SimulatedBroker`); `AccountLedger` is one instrument's slot in
/// a `MultiSymbolAccount`, whose cash several kernels share. Generic, never an existential: the
/// backtest's broker is compiled for `PortfolioLedger` and the per-bar path does not change.
public protocol BrokerLedger {
    /// The instrument's lots, with its closed trades not yet taken.
    var book: Portfolio { get }
    /// Net signed units of the instrument.
    var position: Double { get }
    /// Books a fill into the instrument's lots and the account's cash.
    mutating func apply(_ fill: Fill)
    /// Removes and returns the instrument's closed trades.
    mutating func takeClosedTrades() -> [Trade]
    /// The account's equity with the instrument marked at `price` (other instruments at their
    /// latest marks).
    func equity(at price: Double) -> Double
    /// What a new entry may spend with the instrument marked at `price`: equity not tied up in
    /// positions (backtesting.py's `margin_available` with leverage 1), less what the account
    /// keeps in reserve.
    func marginAvailable(at price: Double) -> Double
    /// The account as risk rules see it, the instrument marked at `price`.
    func riskAccount(at price: Double, time: Timestamp) -> RiskAccount
    /// Marks the instrument at `close` (bar `index`), fills in the strategy's view and returns
    /// the account's equity.
    mutating func mark(close: Double, index: Int, context: inout StrategyContext) -> Double
    /// The account now, the instrument marked at `price`.
    func account(markedAt price: Double) -> AccountSnapshot
    /// Whether the account keeps rules of its own, so entries must be reviewed even when the
    /// kernel's are empty. A constant for a backtest's ledger: the review compiles away.
    var reviewsEntries: Bool { get }
    /// Reviews an entry: the account's own rules, then the kernel's `risk`.
    mutating func review<R: RiskCheck>(_ proposal: OrderProposal, at price: Double, risk: inout R) -> RiskDecision
    /// Shows a booked fill (and the trades it closed) to the account's rules and the kernel's.
    mutating func record<R: RiskCheck>(_ fill: Fill, closing trades: ArraySlice<Trade>, at price: Double, risk: inout R)
    /// The protective exits to arm on an entry: the broker's settings, or the account's own stop
    /// where it sets one (a capital tier's stop-loss).
    func protectiveSettings(_ settings: ExecutionSettings) -> ExecutionSettings
}

extension BrokerLedger {
    /// The account's equity and what it holds of the instrument, for risk rules.
    @inlinable
    public func riskAccount(at price: Double, time: Timestamp) -> RiskAccount {
        let position = self.position
        let today = time.epochDay
        return RiskAccount(equity: equity(at: price), available: marginAvailable(at: price),
                           exposure: abs(position) * price, openPositions: position == 0 ? 0 : 1, position: position,
                           openedTodayStillOpen: book.openTrades.contains { $0.entryTime.epochDay == today } ? 1 : 0)
    }
}

/// A single-instrument account with its own cash: the books of a backtest's broker.
public struct PortfolioLedger: BrokerLedger, Sendable {
    @usableFromInline var portfolio: Portfolio

    public init(cash: Double) throws(DomainError) { self.portfolio = try Portfolio(cash: cash) }

    @inlinable public var book: Portfolio { _read { yield portfolio } }
    @inlinable public var position: Double { portfolio.position }
    @inlinable public mutating func apply(_ fill: Fill) { portfolio.apply(fill) }
    @inlinable public mutating func takeClosedTrades() -> [Trade] { portfolio.takeClosedTrades() }
    @inlinable public func equity(at price: Double) -> Double { portfolio.equity(at: price) }

    @inlinable
    public func marginAvailable(at price: Double) -> Double {
        let position = portfolio.position
        if position == 0 { return max(0, portfolio.cash) }
        return max(0, portfolio.equity(at: price) - abs(position) * price)
    }

    /// Equity at `close`, with the portfolio's raw running sums handed to the strategy's view:
    /// nothing is divided unless a strategy asks. Read in place: copying the portfolio would
    /// retain its trade arrays per bar.
    @inlinable
    public mutating func mark(close: Double, index: Int, context: inout StrategyContext) -> Double {
        let equity = portfolio.equity(at: close)
        context.prepare(barIndex: index, portfolio: portfolio, equity: equity)
        return equity
    }

    public func account(markedAt price: Double) -> AccountSnapshot {
        let positions = portfolio.position == 0 ? [] : [PositionSnapshot(
            instrument: "", units: portfolio.position, averagePrice: portfolio.averageEntryPrice, markPrice: price)]
        return AccountSnapshot(cash: portfolio.cash, equity: portfolio.equity(at: price), positions: positions)
    }

    @inlinable public var reviewsEntries: Bool { false }

    @inlinable
    public mutating func review<R: RiskCheck>(_ proposal: OrderProposal, at price: Double, risk: inout R) -> RiskDecision {
        risk.isActive ? risk.review(proposal, account: riskAccount(at: price, time: proposal.time)) : .accept
    }

    @inlinable
    public mutating func record<R: RiskCheck>(_ fill: Fill, closing trades: ArraySlice<Trade>, at price: Double, risk: inout R) {
        if risk.isActive { risk.record(fill, closing: trades, account: riskAccount(at: price, time: fill.timestamp)) }
    }

    @inlinable public func protectiveSettings(_ settings: ExecutionSettings) -> ExecutionSettings { settings }
}

extension BrokerLedger {
    /// Books `fill` (the instrument marked at `rawPrice` for the rules), records it and the trades
    /// it closed as events, shows them to the rules, and keeps `protection` in step: cleared when
    /// flat, armed at the fill's price on a signal entry, an opening or a reversal. What every
    /// broker does with a fill, whoever matched it (the simulated broker, a venue).
    @inlinable
    public mutating func book<R: RiskCheck, E: EventSink>(_ fill: Fill, at rawPrice: Double, signalEntry: Bool, settings: ExecutionSettings,
                                                         protection: inout ProtectiveExits, risk: inout R, events: inout E) {
        let before = position
        let closedBefore = book.closedTrades.count
        apply(fill)
        events.record(.filled(fill))
        if book.closedTrades.count > closedBefore {
            for t in book.closedTrades[closedBefore...] { events.record(.tradeClosed(t)) }
        }
        if risk.isActive || reviewsEntries {
            record(fill, closing: book.closedTrades[closedBefore...], at: rawPrice, risk: &risk)
        }
        let now = position
        if now == 0 {
            protection.clear()
        } else if signalEntry || before == 0 || (before > 0) != (now > 0) {
            protection.arm(entry: fill.price, sign: now > 0 ? 1 : -1, settings: protectiveSettings(settings))
        }
    }
}
