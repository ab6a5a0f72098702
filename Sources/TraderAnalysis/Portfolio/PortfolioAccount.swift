import TraderCore
import TraderEngine

/// The shared cash account of a portfolio backtest and the holdings of each symbol.
///
/// Cash is real cash: a purchase pays its cost and commission out of it and a sale pays the
/// proceeds back, so equity is `cash + Σ units × price` and cash never goes below zero (entries
/// are sized to what cash can pay, and each open position keeps one fixed fee in reserve for its
/// exit). Each symbol's lots are also booked in a `Portfolio` of TraderCore — the same lot
/// accounting as the single-symbol kernel — which yields its trades (FIFO, commissions split as
/// there) and the position its strategy sees. Long only.
struct PortfolioAccount {
    let symbols: [String]
    let commission: CommissionModel
    let costs: SlippageModel
    private(set) var cash: Double
    /// Units held per symbol (positive or 0).
    private(set) var units: [Double]
    /// Lot books per symbol; their own cash is starting cash plus the symbol's realized profit
    /// less its commissions, which is what the symbol's strategy sees as `context.cash`.
    private(set) var books: [Portfolio]
    /// Stop level per symbol, NaN when none.
    private(set) var stop: [Double]
    /// Calendar day of each open position's entry.
    private(set) var entryDay: [Int64]
    private(set) var fills: [PortfolioFill] = []
    private(set) var closed: [PortfolioTrade] = []
    private(set) var commissionsPaid: [Double]
    private var nextFillId = 1

    init(symbols: [String], capital: Double, commission: CommissionModel, costs: SlippageModel) throws(DomainError) {
        self.symbols = symbols
        self.commission = commission
        self.costs = costs
        self.cash = capital
        let book = try Portfolio(cash: capital)
        self.books = Array(repeating: book, count: symbols.count)
        self.units = Array(repeating: 0, count: symbols.count)
        self.stop = Array(repeating: .nan, count: symbols.count)
        self.entryDay = Array(repeating: 0, count: symbols.count)
        self.commissionsPaid = Array(repeating: 0, count: symbols.count)
    }

    var openCount: Int { units.reduce(0) { $1 > 0 ? $0 + 1 : $0 } }

    /// Positions opened on `day` and still open (each could still become a day trade today).
    func openedOn(day: Int64) -> Int {
        var n = 0
        for s in units.indices where units[s] > 0 && entryDay[s] == day { n += 1 }
        return n
    }

    /// Value of all positions at `prices` (a price per symbol; NaN only where nothing is held).
    func exposure(at prices: [Double]) -> Double {
        var x = 0.0
        for s in units.indices where units[s] > 0 { x += units[s] * prices[s] }
        return x
    }

    /// Units an entry may buy at `price` (after spread and slippage) so that it costs at most
    /// `maxNotional`, and cash still covers its commission plus one fixed fee in reserve for the
    /// exit of every open position including this one. 0 when not even that is possible.
    func affordableUnits(price: Double, maxNotional: Double, wholeUnits: Bool) -> Double {
        let reserve = commission.fixed * Double(openCount + 1)
        let spendable = (cash - reserve - commission.fixed) / (1 + commission.rate)
        let notional = min(maxNotional, spendable)
        guard notional > 0, price > 0 else { return 0 }
        var u = notional / price
        if wholeUnits { u = u.rounded(.down) }
        // Rounding may leave the cost a hair above the bound: step down until it fits.
        for _ in 0..<3 where u > 0 && (u * price > maxNotional || cost(units: u, price: price) > cash - reserve) {
            u = wholeUnits ? u - 1 : u * (1 - 1e-12)
        }
        return u > 0 && u * price <= maxNotional && cost(units: u, price: price) <= cash - reserve ? u : 0
    }

    /// Cash an entry of `units` at `price` takes, commission included.
    func cost(units: Double, price: Double) -> Double {
        units * price + commission.commission(units: units, price: price)
    }

    /// Buys `quantity` units of symbol `s` at `rawPrice` plus costs; arms the stop.
    mutating func buy(_ s: Int, quantity: Double, rawPrice: Double, bar: Int, time: Timestamp, stopFraction: Double?,
                      equityBefore: Double, marks: [Double], tier: CapitalTier) {
        let price = costs.entryPrice(rawPrice, sign: 1)
        let fee = commission.commission(units: quantity, price: price)
        cash -= quantity * price + fee
        commissionsPaid[s] += fee
        units[s] = quantity
        stop[s] = stopFraction.map { price * (1 - $0) } ?? .nan
        entryDay[s] = time.epochDay
        books[s].apply(Fill(orderId: nextFillId, barIndex: bar, timestamp: time, side: .buy, quantity: quantity,
                            price: price, commission: fee, reason: .signal))
        var after = marks
        after[s] = price
        record(s, .buy, quantity, price, fee, .signal, bar, time, equityBefore, exposure(at: after), tier)
    }

    /// Sells all of symbol `s` at `rawPrice` less slippage; returns the closed trade.
    @discardableResult
    mutating func sellAll(_ s: Int, rawPrice: Double, reason: ExitReason, bar: Int, time: Timestamp,
                          equityBefore: Double, marks: [Double], tier: CapitalTier) -> Trade? {
        let quantity = units[s]
        guard quantity > 0 else { return nil }
        let price = costs.exitPrice(rawPrice, sign: -1)
        let fee = commission.commission(units: quantity, price: price)
        cash += quantity * price - fee
        commissionsPaid[s] += fee
        units[s] = 0
        stop[s] = .nan
        books[s].apply(Fill(orderId: nextFillId, barIndex: bar, timestamp: time, side: .sell, quantity: quantity,
                            price: price, commission: fee, reason: reason))
        record(s, .sell, quantity, price, fee, reason, bar, time, equityBefore, exposure(at: marks), tier)
        let trades = books[s].takeClosedTrades()
        for t in trades { closed.append(PortfolioTrade(symbol: symbols[s], trade: t)) }
        return trades.last
    }

    private mutating func record(_ s: Int, _ side: OrderSide, _ quantity: Double, _ price: Double, _ fee: Double, _ reason: ExitReason,
                                 _ bar: Int, _ time: Timestamp, _ equityBefore: Double, _ exposureAfter: Double, _ tier: CapitalTier) {
        fills.append(PortfolioFill(symbol: symbols[s], barIndex: bar, time: time, side: side, units: quantity, price: price,
                                   commission: fee, reason: reason, equityBefore: equityBefore, exposureAfter: exposureAfter,
                                   cashAfter: cash, openPositionsAfter: openCount, tier: tier))
        nextFillId += 1
    }
}
