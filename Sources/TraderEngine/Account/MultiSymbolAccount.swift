public import TraderCore

/// One account, several instruments: shared cash, a position of FIFO lots per instrument, and
/// risk rules that see the whole account. Several kernels, one per instrument, trade against it
/// through `AccountBroker`s (`ledger(for:)`), each with the same matching, commission and
/// slippage models as a single-symbol backtest.
///
/// The accounting is the kernel's, generalized: each instrument's lots are a `Portfolio`, and the
/// account's cash is the starting cash plus every instrument's realized profit less every
/// commission (margin-free, as backtesting.py's), so equity is
/// `cash + Σ (mark × units − Σ size × entry)`. Cash not tied up in positions (`freeCash`) is what
/// a cash account would show: a purchase pays for its units out of it.
///
/// A class: the kernels' brokers share it by reference. It is not `Sendable` (one run, one
/// thread); a run owns it and its brokers for its whole length. What every bar reads (units,
/// position cost, marks, cash) is kept as scalars beside the books, and those stored properties
/// opt out of dynamic exclusivity checks: the account is only ever used from its run's thread
/// and no access to it is held across a call that could re-enter it.
public final class MultiSymbolAccount<Risk: RiskCheck> {
    /// The instruments, in the order their slots were given.
    public let instruments: [String]
    public let initialCash: Double
    /// Kept in cash for each open position's exit (a fixed fee per fill), so that paying the exits
    /// never takes cash below zero; 0 for none.
    public let exitFeeReserve: Double
    /// Each instrument's lots and closed trades.
    public var books: [Portfolio] { _books }
    @exclusivity(unchecked) @usableFromInline var _books: [Portfolio]
    /// Each instrument's net units and Σ size × entry of its open lots (the books' own figures).
    @exclusivity(unchecked) @usableFromInline var units: [Double]
    @exclusivity(unchecked) @usableFromInline var costs: [Double]
    /// Each instrument's latest price (NaN before its first).
    public var marks: [Double] { _marks }
    @exclusivity(unchecked) @usableFromInline var _marks: [Double]
    /// Starting cash plus realized profit less commissions: the books' cash, each of which
    /// started with the account's (so a one-instrument account's cash is its book's, to the bit).
    @inlinable public var cash: Double { _cash }
    @exclusivity(unchecked) @usableFromInline var _cash: Double
    /// Equity at the marks as last computed; NaN once a mark or a fill changed it. Every kernel
    /// of a run asks for it at each close, after all marks are set.
    @exclusivity(unchecked) @usableFromInline var cachedEquity = Double.nan
    /// Instruments with an open position.
    @inlinable public var openPositions: Int { _open }
    @exclusivity(unchecked) @usableFromInline var _open = 0
    /// The account's own pre-trade rules, reviewed before any kernel's.
    @exclusivity(unchecked) public var risk: Risk
    /// `risk.isActive`, read once: brokers test it on every entry.
    public let reviewsEntries: Bool
    /// `risk.observesCloses`, read once.
    public let observesCloses: Bool
    /// Every fill, in order, with the account around it.
    public private(set) var fills: [AccountFill] = []

    public init(instruments: [String], cash: Double, exitFeeReserve: Double = 0, risk: Risk) throws(DomainError) {
        guard !instruments.isEmpty else { throw .invalid(field: "symbols", reason: "an account needs at least one instrument") }
        let book = try Portfolio(cash: cash)
        self.instruments = instruments
        self.initialCash = cash
        self.exitFeeReserve = exitFeeReserve
        self._books = Array(repeating: book, count: instruments.count)
        self.units = Array(repeating: 0, count: instruments.count)
        self.costs = Array(repeating: 0, count: instruments.count)
        self._marks = Array(repeating: .nan, count: instruments.count)
        self._cash = cash
        self.risk = risk
        self.reviewsEntries = risk.isActive
        self.observesCloses = risk.observesCloses
    }

    /// The books of one instrument, for its kernel's broker.
    public func ledger(for instrument: Int) -> AccountLedger<Risk> {
        precondition(_books.indices.contains(instrument), "no instrument \(instrument)")
        return AccountLedger(account: self, slot: instrument)
    }

    /// Sets the latest price of `instrument`.
    @inlinable public func mark(_ instrument: Int, at price: Double) {
        if _marks[instrument] != price {
            _marks[instrument] = price
            cachedEquity = .nan
        }
    }

    /// Net signed units of `instrument`.
    @inlinable public func position(_ instrument: Int) -> Double { units[instrument] }

    /// Σ size × entry price of `instrument`'s open lots.
    @inlinable public func positionCost(_ instrument: Int) -> Double { costs[instrument] }

    /// Equity with every instrument at its mark, except `instrument` at `price` when given.
    @inlinable
    public func equity(_ instrument: Int = -1, at price: Double = .nan) -> Double {
        if instrument < 0 {
            if cachedEquity.isNaN { cachedEquity = equity(Int.max) }
            return cachedEquity
        }
        var e = _cash
        for k in units.indices where units[k] != 0 {
            let m = k == instrument ? price : _marks[k]
            e += m * units[k] - costs[k]
        }
        return e
    }

    /// Σ |units| × mark over open positions, `instrument` at `price` when given.
    @inlinable
    public func exposure(_ instrument: Int = -1, at price: Double = .nan) -> Double {
        var x = 0.0
        for k in units.indices where units[k] != 0 { x += abs(units[k]) * (k == instrument ? price : _marks[k]) }
        return x
    }

    /// Cash not tied up in positions: what a cash account shows (independent of the marks).
    public var freeCash: Double { costs.reduce(_cash) { $0 - $1 } }

    /// Positions still open that were opened on `day` (each could still become a day trade).
    public func openedOn(day: Int64) -> Int {
        _books.reduce(0) { n, b in b.openTrades.contains { $0.entryTime.epochDay == day } ? n + 1 : n }
    }

    /// Shows the rules the account's equity at a close.
    public func observe(equity: Double, at time: Timestamp) {
        if observesCloses { risk.observe(equity: equity, at: time) }
    }

    /// Books `fill` into `instrument`'s lots and the shared cash, and records it.
    @usableFromInline
    func apply(_ fill: Fill, to instrument: Int) {
        let equityBefore = equity()
        _books[instrument].apply(fill)
        cachedEquity = .nan
        let book = _books[instrument]
        let wasOpen = units[instrument] != 0
        units[instrument] = book.position
        costs[instrument] = book.positionCost
        _open += (book.position != 0 ? 1 : 0) - (wasOpen ? 1 : 0)
        var c = _books[0].cash
        for k in _books.indices.dropFirst() { c += _books[k].cash - initialCash }
        _cash = c
        fills.append(AccountFill(instrument: instrument, fill: fill, equityBefore: equityBefore,
                                 exposureAfter: exposure(instrument, at: fill.price), freeCashAfter: freeCash,
                                 openPositionsAfter: _open))
    }

    /// Removes and returns `instrument`'s closed trades.
    @usableFromInline
    func takeClosedTrades(_ instrument: Int) -> [Trade] { _books[instrument].takeClosedTrades() }
}

/// A fill in a `MultiSymbolAccount`, with the account around it: what reports of several
/// instruments show and what their invariants are checked against.
public struct AccountFill: Sendable, Hashable {
    /// The instrument's slot in the account.
    public let instrument: Int
    public let fill: Fill
    /// Equity just before the fill, every instrument at its mark.
    public let equityBefore: Double
    /// Σ |units| × price after the fill, the filled instrument at the fill's price.
    public let exposureAfter: Double
    /// `freeCash` after the fill.
    public let freeCashAfter: Double
    public let openPositionsAfter: Int
}
