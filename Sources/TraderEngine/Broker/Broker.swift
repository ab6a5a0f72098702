public import TraderCore

/// Who fills the kernel's orders: the seam between the one kernel and the venues.
///
/// `TradingKernel` is generic over it, the way Hummingbird's `Router<Context>` is generic over its
/// context, so a backtest compiles the simulated broker's matching into its bar loop (no
/// existential, no allocation per bar) while paper and live bots plug their own brokers into the
/// same kernel. A broker serves one instrument of an account: the kernel trades one symbol, and
/// several kernels may share one account (`AccountBroker` over a `MultiSymbolAccount`).
///
/// What the kernel asks of a broker, bar by bar:
/// 1. `process`: match working orders and protective exits against the bar (a live broker takes
///    in the fills the venue reported instead);
/// 2. `mark`: equity at the bar's close, and the strategy's view of the account;
/// 3. `submit`, `cancel`, `replace`: the strategy's and the signal router's requests;
/// 4. `fillMarketOrders`: with fills at the close, market orders execute at once.
///
/// Fills, rejections and cancellations are reported as `TradingEvent`s to the sink the kernel
/// passes in; the broker keeps the account's books.
public protocol Broker {
    /// Net signed units of the kernel's instrument held now.
    var position: Double { get }
    /// Whether `process` has anything to do for the next bar (working orders, armed exits, reports
    /// to take in). Tested on every bar before the out-of-line call.
    var needsMatching: Bool { get }
    /// Orders accepted and not yet filled, cancelled or expired, oldest first.
    var workingOrders: [WorkingOrder] { get }
    /// Fills booked so far.
    var fillCount: Int { get }
    /// Orders refused so far (insufficient equity, nothing to reduce, a risk rule).
    var rejectedOrders: Int { get }
    /// Trades of this instrument closed and not yet taken (`takeClosedTrades`).
    var closedTrades: [Trade] { get }

    /// The account now, positions marked at `price` for the kernel's instrument (and at their
    /// latest known prices for others).
    func account(markedAt price: Double) -> AccountSnapshot

    /// Marks the account at `close`, the close of bar `index` of the kernel's instrument, fills in
    /// what the strategy may read (position, cash, equity) and returns the equity.
    mutating func mark(close: Double, index: Int, context: inout StrategyContext) -> Double

    /// Accepts `order`. `reason` is what its fill will say; a `signalEntry` replaces any signal
    /// entry still waiting (one pending entry at a time, as backtesting.py's exclusive orders) and
    /// arms the protective exits when it fills.
    mutating func submit(_ order: Order, reason: ExitReason, signalEntry: Bool)
    /// Cancels a working order; whether it was found.
    mutating func cancel(orderId: Int) -> Bool
    /// Replaces a working order's terms (price, quantity, type) in place, keeping its id, its turn
    /// and why it exists; whether it was found.
    mutating func replace(orderId: Int, with order: Order) -> Bool

    /// Matches working orders and protective exits against bar `index`, given by its time and
    /// price window: all of them (`.all`), or one phase of them when several kernels share an
    /// account (`MatchPhase`). Orders that would open or add to a position go through `risk` first.
    mutating func process<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, window: PriceWindow, phase: MatchPhase,
                                                     risk: inout R, events: inout E)
    /// Executes waiting market orders at `price` (fills at the close of the decision bar).
    mutating func fillMarketOrders<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, price: Double, risk: inout R, events: inout E)
    /// Cancels every working order and closes what is open at `price` (the end of a run).
    mutating func closeAll<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, price: Double, risk: inout R, events: inout E)
    /// Removes and returns the trades closed so far (a streaming run drains them per chunk).
    mutating func takeClosedTrades() -> [Trade]
}

/// An account as a broker reports it: cash, equity and what is held.
public struct AccountSnapshot: Sendable, Equatable {
    /// Cash: starting capital plus realized profit less commissions (margin-free accounting, see
    /// `Portfolio`).
    public var cash: Double
    /// Cash plus the open positions marked to market.
    public var equity: Double
    /// Open positions, one per instrument held.
    public var positions: [PositionSnapshot]

    public init(cash: Double, equity: Double, positions: [PositionSnapshot]) {
        self.cash = cash
        self.equity = equity
        self.positions = positions
    }
}

/// One instrument's holding in an `AccountSnapshot`.
public struct PositionSnapshot: Sendable, Equatable {
    /// The account's name for the instrument (its symbol; "" for a single-instrument account).
    public var instrument: String
    /// Net signed units.
    public var units: Double
    /// Average entry price of the open lots.
    public var averagePrice: Double
    /// The price the position is marked at.
    public var markPrice: Double

    public init(instrument: String, units: Double, averagePrice: Double, markPrice: Double) {
        self.instrument = instrument
        self.units = units
        self.averagePrice = averagePrice
        self.markPrice = markPrice
    }
}

/// A broker that keeps the instrument's lots as a `Portfolio`: what a run's report is computed
/// from (closed trades, open trades marked at the end). The simulated broker and the venue
/// brokers are; a run fed a bar at a time (`SteppedRun`) reports over any of them.
public protocol PortfolioBroker: Broker {
    var portfolio: Portfolio { get }
}

extension MatchingBroker: PortfolioBroker {}
