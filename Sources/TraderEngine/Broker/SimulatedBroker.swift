public import TraderCore

/// The broker of backtests and paper trading: holds working orders, matches them against bars
/// with the fill and cost models, sizes entries, enforces protective exits, and books fills into
/// the portfolio.
///
/// A value type with buffers reserved up front: matching a bar with no working orders is a few
/// comparisons, and nothing allocates per bar.
public struct SimulatedBroker: Broker, Sendable {
    @inlinable public var portfolio: Portfolio { _read { yield _portfolio } }
    @usableFromInline var _portfolio: Portfolio
    public let settings: ExecutionSettings
    @usableFromInline var working: [WorkingOrder] = []
    @usableFromInline var protection = ProtectiveExits()
    /// Orders rejected (insufficient equity, nothing to reduce, a risk rule), for the report.
    public private(set) var rejectedOrders = 0
    /// Of `rejectedOrders`, those a risk rule refused.
    public private(set) var riskRefusals = 0
    public private(set) var fillCount = 0

    public init(settings: ExecutionSettings) throws(DomainError) {
        try settings.validate()
        self.settings = settings
        self._portfolio = try Portfolio(cash: settings.initialCapital)
        working.reserveCapacity(8)
    }

    @inlinable public var position: Double { portfolio.position }

    /// Removes and returns the trades closed so far (see `Portfolio.takeClosedTrades`).
    public mutating func takeClosedTrades() -> [Trade] { _portfolio.takeClosedTrades() }
    @inlinable public var closedTrades: [Trade] { portfolio.closedTrades }

    /// Equity at `close` (before any fill at that close, as backtesting.py records it), with the
    /// portfolio's raw running sums handed to the strategy's view: nothing is divided unless a
    /// strategy asks. Read in place: copying the portfolio would retain its trade arrays per bar.
    @inlinable
    public mutating func mark(close: Double, index: Int, context: inout StrategyContext) -> Double {
        let equity = _portfolio.equity(at: close)
        context.prepare(barIndex: index, portfolio: _portfolio, equity: equity)
        return equity
    }

    public func account(markedAt price: Double) -> AccountSnapshot {
        let positions = portfolio.position == 0 ? [] : [PositionSnapshot(
            instrument: "", units: portfolio.position, averagePrice: portfolio.averageEntryPrice, markPrice: price)]
        return AccountSnapshot(cash: portfolio.cash, equity: portfolio.equity(at: price), positions: positions)
    }
    @inlinable public var hasWorkingOrders: Bool { !working.isEmpty }
    /// Whether `process` has anything to do for the next bar: working orders or armed exits.
    @inlinable public var needsMatching: Bool { !working.isEmpty || protection.isActive }
    @inlinable public var workingOrders: [WorkingOrder] { working }

    // MARK: - Accepting orders

    /// Queues `order`; a signal entry cancels other waiting signal entries (one pending entry at a
    /// time, as backtesting.py's exclusive orders).
    public mutating func submit(_ order: Order, reason: ExitReason, signalEntry: Bool = false) {
        if signalEntry && !working.isEmpty { working.removeAll { $0.isSignalEntry } }
        working.append(WorkingOrder(order: order, reason: reason, submittedDay: order.submittedAt.epochDay, isSignalEntry: signalEntry))
    }

    /// Cancels a working order by id; returns whether it was found.
    @discardableResult
    public mutating func cancel(orderId: Int) -> Bool {
        guard let i = working.firstIndex(where: { $0.order.id == orderId }) else { return false }
        working.remove(at: i)
        return true
    }

    /// Replaces the terms of a working order by id, keeping its id, its place in the queue, why
    /// it exists and its day; a stop-limit or trailing stop starts untriggered, as a new order.
    /// Returns whether it was found.
    @discardableResult
    public mutating func replace(orderId: Int, with order: Order) -> Bool {
        guard let i = working.firstIndex(where: { $0.order.id == orderId }) else { return false }
        var replacement = order
        replacement.id = orderId
        working[i].order = replacement
        return true
    }

    // MARK: - Matching

    /// Matches working orders and protective exits against bar `index`. Orders fill in the order
    /// they were submitted; protective exits are checked after them, stop before target.
    @inlinable
    public mutating func process<E: EventSink>(index: Int, bar: Bar, window: PriceWindow, events: inout E) {
        var risk = NoRiskCheck()
        process(index: index, time: bar.timestamp, window: window, risk: &risk, events: &events)
    }

    /// `process` for a bar given by its time and price window, all the broker reads of it (so
    /// the backtest loop need not read the other columns for it).
    @inlinable
    public mutating func process<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, window: PriceWindow, risk: inout R, events: inout E) {
        if !working.isEmpty { matchWorking(index: index, time: time, window: window, marketOnly: false, risk: &risk, events: &events) }
        if protection.isActive && portfolio.position != 0 {
            checkProtection(index: index, time: time, window: window, risk: &risk, events: &events)
        }
    }

    /// Fills waiting market orders at `price` (fills at the close of the decision bar).
    @inlinable
    public mutating func fillMarketOrders<E: EventSink>(index: Int, bar: Bar, price: Double, events: inout E) {
        var risk = NoRiskCheck()
        fillMarketOrders(index: index, time: bar.timestamp, price: price, risk: &risk, events: &events)
    }

    /// `fillMarketOrders` for a bar given by its time.
    @inlinable
    public mutating func fillMarketOrders<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, price: Double, risk: inout R, events: inout E) {
        guard !working.isEmpty else { return }
        matchWorking(index: index, time: time, window: PriceWindow(price: price), marketOnly: true, risk: &risk, events: &events)
    }

    @usableFromInline
    mutating func matchWorking<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, window: PriceWindow, marketOnly: Bool,
                                                          risk: inout R, events: inout E) {
        let day = time.epochDay
        var i = 0
        while i < working.count {
            if working[i].order.timeInForce == .day && day > working[i].submittedDay {
                let id = working[i].order.id
                working.remove(at: i)
                events.record(.orderCancelled(id: id, reason: "day order expired"))
                continue
            }
            if marketOnly, working[i].order.type != .market { i += 1; continue }
            guard let raw = working[i].matchPrice(in: window, positionSign: portfolio.position.sign == .minus ? -1 : 1) else { i += 1; continue }
            // Usually the only working order: taking the last element is O(1), unlike remove(at:).
            let w = i == working.count - 1 ? working.removeLast() : working.remove(at: i)
            execute(w, rawPrice: raw, index: index, time: time, risk: &risk, events: &events)
        }
    }

    @usableFromInline
    mutating func execute<R: RiskCheck, E: EventSink>(_ w: WorkingOrder, rawPrice: Double, index: Int, time: Timestamp,
                                                     risk: inout R, events: inout E) {
        let side = w.order.side
        let sign = side.sign
        let position = portfolio.position
        let reducing = position != 0 && (position > 0) != (sign > 0)
        var units: Double
        let price: Double
        switch w.order.quantity {
        case .entirePosition:
            guard reducing else { rejectedOrders += 1; events.record(.orderRejected(id: w.order.id, reason: "no position to close")); return }
            units = abs(position)
            price = settings.costs.exitPrice(rawPrice, sign: sign)
        case let .units(u):
            if w.order.reduceOnly {
                guard reducing else { rejectedOrders += 1; events.record(.orderRejected(id: w.order.id, reason: "reduce-only order with nothing to reduce")); return }
                units = min(u, abs(position))
                price = settings.costs.exitPrice(rawPrice, sign: sign)
            } else {
                units = u
                price = reducing ? settings.costs.exitPrice(rawPrice, sign: sign) : settings.costs.entryPrice(rawPrice, sign: sign)
                if !reducing {
                    let cost = units * price + settings.commission.commission(units: units, price: price)
                    if cost > marginAvailable(at: rawPrice) {
                        rejectedOrders += 1
                        events.record(.orderRejected(id: w.order.id, reason: "insufficient equity"))
                        return
                    }
                }
            }
        case let .equityFraction(f):
            price = settings.costs.entryPrice(rawPrice, sign: sign)
            // backtesting.py's sizing: commission folded into the unit price, then floored.
            let unitCost = price + settings.commission.commission(units: f, price: rawPrice) / f
            let budget = marginAvailable(at: rawPrice) * f
            var u = budget / unitCost
            if settings.wholeUnits { u = pythonFloorDivide(budget, unitCost) }
            guard u > 0 else {
                rejectedOrders += 1
                events.record(.orderRejected(id: w.order.id, reason: "insufficient equity for one unit"))
                return
            }
            units = u
        }
        if risk.isActive && !reducing {
            let proposal = OrderProposal(orderId: w.order.id, side: side, units: units, price: price,
                                         commission: settings.commission.commission(units: units, price: price), time: time,
                                         wholeUnits: settings.wholeUnits)
            switch risk.review(proposal, account: riskAccount(at: rawPrice, time: time)) {
            case .accept:
                break
            case let .resize(cut, reason):
                units = cut
                events.record(.riskResized(id: w.order.id, units: cut, reason: reason))
            case let .refuse(reason):
                rejectedOrders += 1
                riskRefusals += 1
                events.record(.riskRefused(id: w.order.id, reason: reason))
                return
            }
        }
        let fill = Fill(orderId: w.order.id, barIndex: index, timestamp: time, side: side, quantity: units,
                        price: price, commission: settings.commission.commission(units: units, price: price), reason: w.reason)
        let closedBefore = portfolio.closedTrades.count
        _portfolio.apply(fill)
        fillCount += 1
        events.record(.filled(fill))
        if portfolio.closedTrades.count > closedBefore {
            for t in portfolio.closedTrades[closedBefore...] { events.record(.tradeClosed(t)) }
        }
        if risk.isActive {
            risk.record(fill, closing: portfolio.closedTrades[closedBefore...], account: riskAccount(at: rawPrice, time: time))
        }
        let now = portfolio.position
        if now == 0 {
            protection.clear()
        } else if w.isSignalEntry || (position == 0) || (position > 0) != (now > 0) {
            protection.arm(entry: price, sign: now > 0 ? 1 : -1, settings: settings)
        }
    }

    /// Equity not tied up in open positions, the budget for a new entry (backtesting.py's
    /// `margin_available` with leverage 1), marked at `price`.
    @inlinable
    public func marginAvailable(at price: Double) -> Double {
        let position = portfolio.position
        if position == 0 { return max(0, portfolio.cash) }
        return max(0, portfolio.equity(at: price) - abs(position) * price)
    }

    /// The account as risk rules see it, marked at `price`.
    @usableFromInline
    func riskAccount(at price: Double, time: Timestamp) -> RiskAccount {
        let position = portfolio.position
        let today = time.epochDay
        return RiskAccount(equity: portfolio.equity(at: price), available: marginAvailable(at: price),
                           exposure: abs(position) * price, openPositions: position == 0 ? 0 : 1, position: position,
                           openedTodayStillOpen: portfolio.openTrades.contains { $0.entryTime.epochDay == today } ? 1 : 0)
    }

    @usableFromInline
    mutating func checkProtection<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, window: PriceWindow, risk: inout R,
                                                             events: inout E) {
        guard let (raw, reason) = protection.exit(in: window) else { return }
        let side: OrderSide = portfolio.position > 0 ? .sell : .buy
        let order = try! Order(side: side, quantity: .entirePosition, reduceOnly: true, submittedAt: time)
        execute(WorkingOrder(order: order, reason: reason, submittedDay: 0, isSignalEntry: false), rawPrice: raw, index: index, time: time,
                risk: &risk, events: &events)
    }

    /// Closes whatever is open at `price` (end of data).
    public mutating func closeAll<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, price: Double, risk: inout R, events: inout E) {
        working.removeAll()
        guard portfolio.position != 0 else { return }
        let side: OrderSide = portfolio.position > 0 ? .sell : .buy
        let order = try! Order(side: side, quantity: .entirePosition, reduceOnly: true, submittedAt: time)
        execute(WorkingOrder(order: order, reason: .endOfData, submittedDay: 0, isSignalEntry: false), rawPrice: price, index: index, time: time,
                risk: &risk, events: &events)
    }
}
