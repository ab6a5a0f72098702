public import TraderCore
public import TraderEngine
public import TraderStore

/// The kernel's broker for a bot trading at a venue (Alpaca, Coinbase): the kernel decides
/// exactly as in a backtest, and this broker sends its orders to the venue and books the fills
/// the venue reports.
///
/// The kernel calls a broker synchronously inside a bar, and a venue answers later: orders
/// therefore go out through a `VenueLink`, which the `OrderRouter` empties between bars, and the
/// venue's reports come back through it, booked at the next bar the kernel steps (at the venue's
/// prices and fees). Orders are sized here with the simulated broker's rule (`OrderSizing`) at
/// the price of the bar that routes them, and entries pass the kernel's risk rules before they
/// leave. Protective exits (the settings' stop-loss, take-profit, trailing stop) are watched
/// here, bar by bar, and sent as market orders when they trigger: the venue never holds a stop
/// the kernel does not know.
///
/// The position the broker sizes against is the booked position plus what orders in flight will
/// change it by, so an exit decided while another is on its way does not close twice.
public struct VenueBroker: PortfolioBroker {
    public let symbol: String
    public let settings: ExecutionSettings
    public let link: VenueLink
    public let identity: OrderIdentity
    var ledger: PortfolioLedger
    /// Decided by the kernel, routed at the next price (the decision's close, or the next open).
    var waiting: [WorkingOrder] = []
    /// Sent to the venue and not yet filled, cancelled, rejected or expired.
    var routed: [Int: Routed] = [:]
    var protection = ProtectiveExits()
    /// The broker's own closing order in flight (a protective exit, a flatten), if any.
    var closing: Int?
    /// Numbers of the broker's own orders, below the kernel's.
    var ownOrders = -(1 << 40)
    var _fillCount = 0
    var _rejectedOrders = 0

    struct Routed {
        var order: WorkingOrder
        var lifecycle: OrderLifecycle
        /// Replacements sent so far (each one's client order id is derived from its number).
        var revisions = 0
    }

    public init(symbol: String, settings: ExecutionSettings, link: VenueLink, identity: OrderIdentity) throws(DomainError) {
        try settings.validate()
        self.symbol = symbol
        self.settings = settings
        self.link = link
        self.identity = identity
        ledger = try PortfolioLedger(cash: settings.initialCapital)
    }

    public var portfolio: Portfolio { ledger.book }
    public var position: Double { ledger.position }
    public var needsMatching: Bool { !waiting.isEmpty || link.hasReports || protection.isActive }
    /// The orders not yet sent, then those at the venue (each as the units it has left to fill).
    public var workingOrders: [WorkingOrder] {
        waiting + routed.values.sorted { $0.order.order.id < $1.order.order.id }.map { r in
            var w = r.order
            w.order.quantity = .units(max(r.lifecycle.remaining, 1e-12))
            return w
        }
    }
    public var fillCount: Int { _fillCount }
    public var rejectedOrders: Int { _rejectedOrders }
    public var closedTrades: [Trade] { ledger.book.closedTrades }

    /// The position once every order in flight has filled.
    var expectedPosition: Double {
        routed.values.reduce(ledger.position) { $0 + $1.order.order.side.sign * $1.lifecycle.remaining }
    }

    public func account(markedAt price: Double) -> AccountSnapshot { ledger.account(markedAt: price) }

    public mutating func mark(close: Double, index: Int, context: inout StrategyContext) -> Double {
        ledger.mark(close: close, index: index, context: &context)
    }

    public mutating func submit(_ order: Order, reason: ExitReason, signalEntry: Bool) {
        if signalEntry { waiting.removeAll { $0.isSignalEntry } }
        waiting.append(WorkingOrder(order: order, reason: reason, submittedDay: order.submittedAt.epochDay, isSignalEntry: signalEntry))
    }

    public mutating func cancel(orderId: Int) -> Bool {
        if let i = waiting.firstIndex(where: { $0.order.id == orderId }) { waiting.remove(at: i); return true }
        guard routed[orderId] != nil else { return false }
        link.send(.cancel(kernelID: orderId))
        return true
    }

    /// Replaces an order's terms. One not yet sent changes in place. One at the venue is
    /// replaced there (`VenueLink.Command.replace`, sent between bars): its price, its time in
    /// force and, for an order given in units, its units. The venue keeps an order's type, so a
    /// replacement of another type is refused, and so is one asking for more units than were
    /// routed (those units never passed the risk rules: cancel and submit instead), or fewer
    /// than have filled. The broker's own closing orders are not replaced.
    public mutating func replace(orderId: Int, with order: Order) -> Bool {
        var replacement = order
        replacement.id = orderId
        if let i = waiting.firstIndex(where: { $0.order.id == orderId }) {
            waiting[i].order = replacement
            return true
        }
        guard orderId != closing, var entry = routed[orderId], !entry.lifecycle.status.isTerminal else { return false }
        let kind = VenueOrderRequest.kind(of: order.type)
        guard kind.isSameType(as: VenueOrderRequest.kind(of: entry.order.order.type)) else { return false }
        var units = entry.lifecycle.quantity
        if case let .units(u) = order.quantity { units = u }
        guard units <= entry.lifecycle.quantity * (1 + 1e-12), (try? entry.lifecycle.resize(to: units)) != nil else { return false }
        entry.revisions += 1
        entry.order.order = replacement
        routed[orderId] = entry
        let request = VenueOrderRequest(clientOrderID: identity.replacementClientOrderID(orderId, revision: entry.revisions), symbol: symbol,
                                        side: entry.order.order.side, quantity: units, kind: kind, timeInForce: order.timeInForce)
        link.send(.replace(kernelID: orderId, request))
        return true
    }

    public mutating func process<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, window: PriceWindow, phase: MatchPhase,
                                                            risk: inout R, events: inout E) {
        book(index: index, time: time, price: window.open, risk: &risk, events: &events)
        if phase == .all || phase == .protectiveExits, protection.isActive, ledger.position != 0, closing == nil,
           let (_, reason) = protection.exit(in: window) {
            close(reason: reason, time: time)
        }
        if phase != .protectiveExits { route(price: window.open, time: time, risk: &risk, events: &events) }
    }

    public mutating func fillMarketOrders<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, price: Double, risk: inout R, events: inout E) {
        book(index: index, time: time, price: price, risk: &risk, events: &events)
        route(price: price, time: time, risk: &risk, events: &events)
    }

    /// Drops what was not sent, cancels what was, and sends one order closing the position
    /// (unless one is on its way). The fills arrive as reports: a flattening session waits for
    /// them (`OrderRouter.settle`) and calls this again to book them.
    public mutating func closeAll<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, price: Double, risk: inout R, events: inout E) {
        book(index: index, time: time, price: price, risk: &risk, events: &events)
        for w in waiting { events.record(.orderCancelled(id: w.order.id, reason: "cancelled: closing all")) }
        waiting.removeAll()
        for id in routed.keys where id != closing { link.send(.cancel(kernelID: id)) }
        if closing == nil, ledger.position != 0 { close(reason: .endOfData, time: time) }
    }

    public mutating func takeClosedTrades() -> [Trade] { ledger.takeClosedTrades() }

    // MARK: - Routing

    /// Sizes and sends the waiting orders at `price`.
    mutating func route<R: RiskCheck, E: EventSink>(price: Double, time: Timestamp, risk: inout R, events: inout E) {
        guard !waiting.isEmpty else { return }
        let orders = waiting
        waiting.removeAll(keepingCapacity: true)
        for w in orders {
            let position = expectedPosition
            var units: Double
            switch settings.size(w.order, position: position, rawPrice: price, available: { ledger.marginAvailable(at: price) }) {
            case let .trade(u, p, reducing):
                units = u
                if (risk.isActive) && !reducing {
                    let proposal = OrderProposal(orderId: w.order.id, side: w.order.side, units: units, price: p,
                                                 commission: settings.commission.commission(units: units, price: p), time: time,
                                                 wholeUnits: settings.wholeUnits)
                    switch ledger.review(proposal, at: price, risk: &risk) {
                    case .accept: break
                    case let .resize(cut, reason):
                        units = cut
                        events.record(.riskResized(id: w.order.id, units: cut, reason: reason))
                    case let .refuse(refusal):
                        _rejectedOrders += 1
                        events.record(.riskRefused(id: w.order.id, refusal))
                        continue
                    }
                }
            case let .reject(reason):
                _rejectedOrders += 1
                events.record(.orderRejected(id: w.order.id, reason: reason))
                continue
            }
            guard units > 0 else { continue }
            send(w, units: units)
        }
    }

    mutating func send(_ w: WorkingOrder, units: Double) {
        let request = VenueOrderRequest(clientOrderID: identity.clientOrderID(w.order.id), symbol: symbol, side: w.order.side,
                                        quantity: units, kind: VenueOrderRequest.kind(of: w.order.type), timeInForce: w.order.timeInForce)
        var lifecycle = OrderLifecycle(quantity: units)
        _ = try? lifecycle.apply(.submitted)
        routed[w.order.id] = Routed(order: w, lifecycle: lifecycle)
        link.send(.submit(kernelID: w.order.id, request))
    }

    /// Sends a market order closing the whole position, for `reason`.
    mutating func close(reason: ExitReason, time: Timestamp) {
        let position = expectedPosition
        guard position != 0 else { return }
        ownOrders += 1
        let order = try! Order(id: ownOrders, side: position > 0 ? .sell : .buy, quantity: .units(abs(position)), reduceOnly: true, submittedAt: time)
        closing = order.id
        send(WorkingOrder(order: order, reason: reason, submittedDay: time.epochDay, isSignalEntry: false), units: abs(position))
    }

    // MARK: - Booking

    /// Books what the venue reported since the last bar, at bar `index`.
    mutating func book<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, price: Double, risk: inout R, events: inout E) {
        for report in link.takeReports() {
            guard var entry = routed[report.kernelID] else { continue }
            let id = report.kernelID
            // The venue's fills are the truth: a replacement it did not make (the order filled
            // first) leaves the order at its old size.
            if case let .fill(_, units, _, _) = report.report, entry.lifecycle.filledQuantity + units > entry.lifecycle.quantity {
                try? entry.lifecycle.resize(to: entry.lifecycle.filledQuantity + units)
            }
            // The router hands over each change once; the lifecycle refuses what cannot happen.
            guard (try? entry.lifecycle.apply(report.report)) == true else { continue }
            switch report.report {
            case let .fill(_, units, fillPrice, fee):
                let fill = Fill(orderId: id, barIndex: index, timestamp: time, side: entry.order.order.side, quantity: units,
                                price: fillPrice, commission: fee, reason: entry.order.reason)
                ledger.book(fill, at: price, signalEntry: entry.order.isSignalEntry, settings: settings, protection: &protection,
                            risk: &risk, events: &events)
                _fillCount += 1
            case let .rejected(reason):
                _rejectedOrders += 1
                events.record(.orderRejected(id: id, reason: reason))
            case let .cancelled(reason):
                events.record(.orderCancelled(id: id, reason: reason))
            case .expired:
                events.record(.orderCancelled(id: id, reason: "expired"))
            case .submitted, .accepted, .triggered:
                break
            }
            if entry.lifecycle.status.isTerminal {
                routed[id] = nil
                if closing == id { closing = nil }
            } else {
                routed[id] = entry
            }
        }
    }
}
