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
/// thread); a run owns it and its brokers for its whole length.
public final class MultiSymbolAccount<Risk: RiskCheck> {
    /// The instruments, in the order their slots were given.
    public let instruments: [String]
    public let initialCash: Double
    /// Kept in cash for each open position's exit (a fixed fee per fill), so that paying the exits
    /// never takes cash below zero; 0 for none.
    public let exitFeeReserve: Double
    /// Whether the account sets the stop-loss of every entry (`stopLoss`) rather than the
    /// brokers' settings.
    public let managesStopLoss: Bool
    /// Each instrument's lots and closed trades.
    public private(set) var books: [Portfolio]
    /// Each instrument's latest price (NaN before its first).
    public private(set) var marks: [Double]
    /// Starting cash plus realized profit less commissions: the books' cash, each of which
    /// started with the account's (so a one-instrument account's cash is its book's, to the bit).
    public var cash: Double {
        var c = books[0].cash
        for k in books.indices.dropFirst() { c += books[k].cash - initialCash }
        return c
    }
    /// The account's own pre-trade rules, reviewed before any kernel's.
    public var risk: Risk
    /// The stop-loss armed on entries while `managesStopLoss` (a fraction of the entry price;
    /// nil for none).
    public var stopLoss: Double?
    /// Every fill, in order, with the account around it.
    public private(set) var fills: [AccountFill] = []

    public init(instruments: [String], cash: Double, exitFeeReserve: Double = 0, managesStopLoss: Bool = false,
                risk: Risk) throws(DomainError) {
        guard !instruments.isEmpty else { throw .invalid(field: "symbols", reason: "an account needs at least one instrument") }
        let book = try Portfolio(cash: cash)
        self.instruments = instruments
        self.initialCash = cash
        self.exitFeeReserve = exitFeeReserve
        self.managesStopLoss = managesStopLoss
        self.books = Array(repeating: book, count: instruments.count)
        self.marks = Array(repeating: .nan, count: instruments.count)
        self.risk = risk
    }

    /// The books of one instrument, for its kernel's broker.
    public func ledger(for instrument: Int) -> AccountLedger<Risk> {
        precondition(books.indices.contains(instrument), "no instrument \(instrument)")
        return AccountLedger(account: self, slot: instrument)
    }

    /// Sets the latest price of `instrument`.
    public func mark(_ instrument: Int, at price: Double) { marks[instrument] = price }

    /// Equity with every instrument at its mark, except `instrument` at `price` when given.
    public func equity(_ instrument: Int = -1, at price: Double = .nan) -> Double {
        var e = cash
        for k in books.indices where books[k].position != 0 {
            let m = k == instrument ? price : marks[k]
            e += m * books[k].position - books[k].positionCost
        }
        return e
    }

    /// Σ |units| × mark over open positions, `instrument` at `price` when given.
    public func exposure(_ instrument: Int = -1, at price: Double = .nan) -> Double {
        var x = 0.0
        for k in books.indices where books[k].position != 0 { x += abs(books[k].position) * (k == instrument ? price : marks[k]) }
        return x
    }

    /// Instruments with an open position.
    public var openPositions: Int { books.reduce(0) { $1.position != 0 ? $0 + 1 : $0 } }

    /// Cash not tied up in positions: what a cash account shows (independent of the marks).
    public var freeCash: Double { books.reduce(cash) { $0 - $1.positionCost } }

    /// Positions still open that were opened on `day` (each could still become a day trade).
    public func openedOn(day: Int64) -> Int {
        books.reduce(0) { n, b in b.openTrades.contains { $0.entryTime.epochDay == day } ? n + 1 : n }
    }

    /// Shows the rules the account's equity at a close.
    public func observe(equity: Double, at time: Timestamp) {
        if risk.observesCloses { risk.observe(equity: equity, at: time) }
    }

    /// Books `fill` into `instrument`'s lots and the shared cash, and records it.
    func apply(_ fill: Fill, to instrument: Int) {
        let equityBefore = equity()
        books[instrument].apply(fill)
        fills.append(AccountFill(instrument: instrument, fill: fill, equityBefore: equityBefore,
                                 exposureAfter: exposure(instrument, at: fill.price), freeCashAfter: freeCash,
                                 openPositionsAfter: openPositions))
    }

    /// Removes and returns `instrument`'s closed trades.
    func takeClosedTrades(_ instrument: Int) -> [Trade] { books[instrument].takeClosedTrades() }
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
