public import TraderCore

/// The broker of backtests: one instrument in an account with its own cash.
public typealias SimulatedBroker = MatchingBroker<PortfolioLedger>

/// The broker of one instrument in an account several kernels share (the portfolio backtest).
public typealias AccountBroker<Risk: RiskCheck> = MatchingBroker<AccountLedger<Risk>>

/// The simulated broker of backtests and paper trading: holds working orders, matches them
/// against bars with the fill and cost models, sizes entries, enforces protective exits, and books
/// fills into its ledger (`BrokerLedger`: a single instrument's own account, or one instrument's
/// slot in a shared multi-symbol account; the matching is the same).
///
/// A value type with buffers reserved up front: matching a bar with no working orders is a few
/// comparisons, and nothing allocates per bar.
public struct MatchingBroker<Ledger: BrokerLedger>: Broker {
    /// The instrument's lots and closed trades.
    @inlinable public var portfolio: Portfolio { _read { yield ledger.book } }
    @usableFromInline var ledger: Ledger
    public let settings: ExecutionSettings
    @usableFromInline var working: [WorkingOrder] = []
    @usableFromInline var protection = ProtectiveExits()
    /// Orders rejected (insufficient equity, nothing to reduce, a risk rule), for the report.
    @inlinable public var rejectedOrders: Int { _rejectedOrders }
    /// Of `rejectedOrders`, those a risk rule refused.
    @inlinable public var riskRefusals: Int { _riskRefusals }
    @inlinable public var fillCount: Int { _fillCount }
    @usableFromInline var _rejectedOrders = 0
    @usableFromInline var _riskRefusals = 0
    @usableFromInline var _fillCount = 0

    /// A broker booking into `ledger` with `settings`' fill, cost and exit rules.
    public init(ledger: Ledger, settings: ExecutionSettings) throws(DomainError) {
        try settings.validate()
        self.settings = settings
        self.ledger = ledger
        working.reserveCapacity(8)
    }

    @inlinable public var position: Double { ledger.position }

    /// Removes and returns the trades closed so far (see `Portfolio.takeClosedTrades`).
    public mutating func takeClosedTrades() -> [Trade] { ledger.takeClosedTrades() }
    @inlinable public var closedTrades: [Trade] { ledger.book.closedTrades }

    /// Equity at `close` (before any fill at that close, as backtesting.py records it), and the
    /// strategy's view of the account.
    @inlinable
    public mutating func mark(close: Double, index: Int, context: inout StrategyContext) -> Double {
        ledger.mark(close: close, index: index, context: &context)
    }

    public func account(markedAt price: Double) -> AccountSnapshot { ledger.account(markedAt: price) }
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
        process(index: index, time: bar.timestamp, window: window, phase: .all, risk: &risk, events: &events)
    }

    /// `process` for a bar given by its time and price window, all the broker reads of it (so
    /// the backtest loop need not read the other columns for it). `phase` narrows it to the exits,
    /// the entries or the protective exits (see `MatchPhase`).
    @inlinable
    public mutating func process<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, window: PriceWindow, phase: MatchPhase,
                                                            risk: inout R, events: inout E) {
        if !working.isEmpty && phase != .protectiveExits {
            matchWorking(index: index, time: time, window: window, marketOnly: false, phase: phase, risk: &risk, events: &events)
        }
        if (phase == .all || phase == .protectiveExits) && protection.isActive && ledger.position != 0 {
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
        matchWorking(index: index, time: time, window: PriceWindow(price: price), marketOnly: true, phase: .all, risk: &risk, events: &events)
    }

    @inlinable
    mutating func matchWorking<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, window: PriceWindow, marketOnly: Bool,
                                                          phase: MatchPhase, risk: inout R, events: inout E) {
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
            if phase != .all && (phase == .exits) != working[i].order.reduces(ledger.position) { i += 1; continue }
            guard let raw = working[i].matchPrice(in: window, positionSign: ledger.position.sign == .minus ? -1 : 1) else { i += 1; continue }
            // Usually the only working order: taking the last element is O(1), unlike remove(at:).
            let w = i == working.count - 1 ? working.removeLast() : working.remove(at: i)
            if let limit = settings.volumeLimit {
                // What the bar's volume leaves unfilled stays working, in its place, for the next bar.
                if let rest = executeLimited(w, rawPrice: raw, cap: window.volume * limit, index: index, time: time, risk: &risk, events: &events) {
                    working.insert(rest, at: i)
                    i += 1
                }
                continue
            }
            execute(w, rawPrice: raw, index: index, time: time, risk: &risk, events: &events)
        }
    }

    /// Executes at most `cap` units of `w` (rounded down to whole units when those are traded);
    /// returns what is left of it as a working order of units, nil when it filled whole or was
    /// refused. A bar without volume fills nothing.
    @inline(never) @usableFromInline
    mutating func executeLimited<R: RiskCheck, E: EventSink>(_ w: WorkingOrder, rawPrice: Double, cap rawCap: Double, index: Int,
                                                            time: Timestamp, risk: inout R, events: inout E) -> WorkingOrder? {
        let cap = settings.wholeUnits ? rawCap.rounded(.down) : rawCap
        guard cap > 0 else { return w }
        let wanted: Double
        switch settings.size(w.order, position: ledger.position, rawPrice: rawPrice, available: { marginAvailable(at: rawPrice) }) {
        case let .trade(units, _, _): wanted = units
        case .reject: wanted = 0  // `execute` reports the rejection
        }
        guard wanted > cap else {
            execute(w, rawPrice: rawPrice, index: index, time: time, risk: &risk, events: &events)
            return nil
        }
        // Fill `cap` units now: the order, sized in units, with a remainder that only reduces
        // when the order did.
        let reduces = w.order.reduces(ledger.position) || w.order.quantity == .entirePosition
        var part = w
        part.order.quantity = .units(cap)
        part.order.reduceOnly = w.order.reduceOnly || reduces
        let fillsBefore = _fillCount
        execute(part, rawPrice: rawPrice, index: index, time: time, risk: &risk, events: &events)
        guard _fillCount > fillsBefore else { return nil }
        var rest = part
        rest.order.quantity = .units(wanted - cap)
        rest.isSignalEntry = false  // protective exits were attached at the first part
        return rest
    }

    @inlinable
    mutating func execute<R: RiskCheck, E: EventSink>(_ w: WorkingOrder, rawPrice: Double, index: Int, time: Timestamp,
                                                     risk: inout R, events: inout E) {
        let side = w.order.side
        let position = ledger.position
        var units: Double
        let price: Double
        let reducing: Bool
        switch settings.size(w.order, position: position, rawPrice: rawPrice, available: { marginAvailable(at: rawPrice) }) {
        case let .trade(u, p, r):
            (units, price, reducing) = (u, p, r)
        case let .reject(reason):
            _rejectedOrders += 1
            events.record(.orderRejected(id: w.order.id, reason: reason))
            return
        }
        if (risk.isActive || ledger.reviewsEntries) && !reducing {
            let proposal = OrderProposal(orderId: w.order.id, side: side, units: units, price: price,
                                         commission: settings.commission.commission(units: units, price: price), time: time,
                                         wholeUnits: settings.wholeUnits)
            switch ledger.review(proposal, at: rawPrice, risk: &risk) {
            case .accept:
                break
            case let .resize(cut, reason):
                units = cut
                events.record(.riskResized(id: w.order.id, units: cut, reason: reason))
            case let .refuse(refusal):
                _rejectedOrders += 1
                _riskRefusals += 1
                events.record(.riskRefused(id: w.order.id, refusal))
                return
            }
        }
        let fill = Fill(orderId: w.order.id, barIndex: index, timestamp: time, side: side, quantity: units,
                        price: price, commission: settings.commission.commission(units: units, price: price), reason: w.reason)
        ledger.book(fill, at: rawPrice, signalEntry: w.isSignalEntry, settings: settings, protection: &protection, risk: &risk, events: &events)
        _fillCount += 1
    }

    /// Equity not tied up in open positions, the budget for a new entry (backtesting.py's
    /// `margin_available` with leverage 1), marked at `price`.
    @inlinable
    public func marginAvailable(at price: Double) -> Double { ledger.marginAvailable(at: price) }

    @inlinable
    mutating func checkProtection<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, window: PriceWindow, risk: inout R,
                                                             events: inout E) {
        guard let (raw, reason) = protection.exit(in: window) else { return }
        let side: OrderSide = ledger.position > 0 ? .sell : .buy
        let order = try! Order(side: side, quantity: .entirePosition, reduceOnly: true, submittedAt: time)
        execute(WorkingOrder(order: order, reason: reason, submittedDay: 0, isSignalEntry: false), rawPrice: raw, index: index, time: time,
                risk: &risk, events: &events)
    }

    /// Closes whatever is open at `price` (end of data).
    public mutating func closeAll<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, price: Double, risk: inout R, events: inout E) {
        working.removeAll()
        guard ledger.position != 0 else { return }
        let side: OrderSide = ledger.position > 0 ? .sell : .buy
        let order = try! Order(side: side, quantity: .entirePosition, reduceOnly: true, submittedAt: time)
        execute(WorkingOrder(order: order, reason: .endOfData, submittedDay: 0, isSignalEntry: false), rawPrice: price, index: index, time: time,
                risk: &risk, events: &events)
    }
}

extension MatchingBroker: Sendable where Ledger: Sendable {}

extension MatchingBroker where Ledger == PortfolioLedger {
    /// A backtest's broker: `settings`' capital in an account of its own.
    public init(settings: ExecutionSettings) throws(DomainError) {
        try settings.validate()
        try self.init(ledger: PortfolioLedger(cash: settings.initialCapital), settings: settings)
    }
}
