public import TraderCore

/// Everything of the kernel but the strategy: the broker, the strategy's context and the routing
/// of signals and orders. See `TradingKernel`.
@usableFromInline
struct KernelCore<B: Broker, Events: EventSink> {
    @usableFromInline var _broker: B
    @usableFromInline var events: Events
    @usableFromInline var context = StrategyContext()
    @usableFromInline var nextKernelOrderId = -1
    @usableFromInline let direction: TradeDirection
    @usableFromInline let fillAtClose: Bool
    @usableFromInline let fraction: Double
    @usableFromInline let tradingStartBar: Int
    /// Sizes signal entries when set; `fraction` otherwise.
    @usableFromInline var sizer: (any PositionSizer)?
    /// The pre-trade rules (`ExecutionSettings.risk`), which the broker applies to every order
    /// that would open or add to a position.
    @usableFromInline var risk: RiskRules
    /// Whether `risk` has any rule, read once (the rules are the run's settings).
    @usableFromInline let riskActive: Bool
    /// Whether the sizer must see every bar (`PositionSizer.observesBars`) or the risk rules every
    /// close (`RiskCheck.observesCloses`), read once: without either, the loop has no such code.
    @usableFromInline let observesBars: Bool
    /// Win/loss statistics of the closed trades, for the sizer; brought up to date only when an
    /// entry is sized (and before closed trades are drained), never per bar.
    @usableFromInline var tradeStatistics = ClosedTradeStatistics()
    /// How many of the portfolio's closed trades `tradeStatistics` has counted.
    @usableFromInline var tradesCounted = 0
    /// Signal entries the sizer declined.
    @usableFromInline var skippedEntries = 0
    /// Why new entries are refused, while a runtime guard has halted them (nil: they are not).
    /// Exits still go through. Never set in a backtest.
    @usableFromInline var entriesHalted: String?
    /// Where the backtest loop leaves a fold of the columns it reads only to keep them streaming
    /// through the cache (`Backtester.runLoop`); storing it keeps the compiler from dropping or
    /// sinking those reads. Means nothing.
    @usableFromInline var prefetchSink: UInt64 = 0

    @usableFromInline
    init(broker: B, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil, events: Events) {
        self._broker = broker
        self.events = events
        self.direction = settings.direction
        self.fillAtClose = settings.fill == .close
        self.fraction = settings.positionFraction
        self.tradingStartBar = settings.tradingStartBar
        self.sizer = sizer
        self.risk = settings.risk
        self.riskActive = settings.risk.isActive
        self.observesBars = sizer?.observesBars == true || settings.risk.observesCloses
    }

    /// `TradingKernel.onBar` for `strategy`. `fillAtClose` and `observeBars` are passed in (they
    /// are always the setting and `observesBars`) so that a loop can be compiled once per value,
    /// without their tests on every bar.
    @inlinable @inline(__always)
    mutating func onBar<S: Strategy>(_ bar: Bar, index: Int, strategy: inout S, fillAtClose: Bool, observeBars: Bool) -> Double {
        if _broker.needsMatching { match(index: index, bar.timestamp, bar.open, bar.high, bar.low, bar.volume) }
        return decide(bar, index: index, strategy: &strategy, fillAtClose: fillAtClose, observeBars: observeBars)
    }

    /// `onBar` after the match: mark, decide, route.
    @inlinable @inline(__always)
    mutating func decide<S: Strategy>(_ bar: Bar, index: Int, strategy: inout S, fillAtClose: Bool, observeBars: Bool) -> Double {
        if observeBars { observe(bar) }
        let equity = _broker.mark(close: bar.close, index: index, context: &context)
        if observeBars { observeClose(equity, at: bar.timestamp) }
        let signal = strategy.onBar(bar, context: &context)
        if signal != .hold { route(signal, at: bar.timestamp, price: bar.close, confidence: strategy.signalConfidence) }
        if context.hasRequests { forwardRequests() }
        if fillAtClose { fillMarketOrdersAtClose(index: index, bar.timestamp, bar.close) }
        return equity
    }

    // The two broker calls below run on few bars (orders waiting, or fills at the close). They are
    // out of line and take only the fields the broker reads, as scalars in registers: with the
    // `Bar` as an argument the loop would store all six fields to memory on every bar for a call
    // it rarely makes.

    /// Matches working orders and protective exits against the bar.
    @inline(never) @inlinable
    mutating func match(index: Int, _ time: Timestamp, _ open: Double, _ high: Double, _ low: Double, _ volume: Double) {
        process(index: index, time: time, window: PriceWindow(open: open, high: high, low: low, volume: volume), phase: .all)
    }

    /// The broker's `process` with the kernel's rules, or — when there are none, as in most
    /// backtests — with `NoRiskCheck`, so the broker's code for rules is compiled away instead
    /// of asking an empty `RiskRules` (and copying it) on every fill.
    @inlinable @inline(__always)
    mutating func process(index: Int, time: Timestamp, window: PriceWindow, phase: MatchPhase) {
        if riskActive {
            _broker.process(index: index, time: time, window: window, phase: phase, risk: &risk, events: &events)
        } else {
            var none = NoRiskCheck()
            _broker.process(index: index, time: time, window: window, phase: phase, risk: &none, events: &events)
        }
    }

    /// Shows the bar to the sizer (only when it observes bars: one existential call per bar).
    @inline(never) @inlinable
    mutating func observe(_ bar: Bar) {
        if sizer?.observesBars == true { sizer!.observe(bar) }
    }

    /// Shows the equity at the bar's close to the risk rules that keep days or peaks.
    @inline(never) @inlinable
    mutating func observeClose(_ equity: Double, at time: Timestamp) {
        if risk.observesCloses { risk.observe(equity: equity, at: time) }
    }

    /// Fills market orders waiting at the bar's close.
    @inline(never) @inlinable
    mutating func fillMarketOrdersAtClose(index: Int, _ time: Timestamp, _ close: Double) {
        if riskActive {
            _broker.fillMarketOrders(index: index, time: time, price: close, risk: &risk, events: &events)
        } else {
            var none = NoRiskCheck()
            _broker.fillMarketOrders(index: index, time: time, price: close, risk: &none, events: &events)
        }
    }

    /// Turns a signal into orders: exits of the opposite position, then an entry sized as a
    /// fraction of equity. Repeated signals in the direction already held add nothing. `price`
    /// (the decision bar's close) and `confidence` are for the sizer.
    @inlinable
    mutating func route(_ signal: Signal, at time: Timestamp, price: Double, confidence: Double) {
        guard context.barIndex >= tradingStartBar else { return }  // still warming up
        events.record(.signal(index: context.barIndex, signal))
        let position = _broker.position
        switch signal {
        case .buy:
            if position < 0 { submitExit(.buy, at: time) }
            if position <= 0 { submitEntry(.buy, at: time, price: price, confidence: confidence) }
        case .sell:
            if position > 0 { submitExit(.sell, at: time) }
            if direction == .longShort && position >= 0 { submitEntry(.sell, at: time, price: price, confidence: confidence) }
        case .hold:
            break
        }
    }

    @inlinable
    mutating func submitExit(_ side: OrderSide, at time: Timestamp) {
        var order = try! Order(side: side, quantity: .entirePosition, reduceOnly: true, submittedAt: time)
        order.id = nextKernelOrderId
        nextKernelOrderId -= 1
        events.record(.orderSubmitted(order))
        _broker.submit(order, reason: .signal, signalEntry: false)
    }

    /// Submits a signal entry for `fraction` of equity, or for what the sizer says: nothing when
    /// it says ≤ 0 (or NaN), at most all of it.
    @inlinable
    mutating func submitEntry(_ side: OrderSide, at time: Timestamp, price: Double, confidence: Double) {
        var f = fraction
        if sizer != nil {
            f = sizedFraction(side, at: time, price: price, confidence: confidence)
            guard f > 0 else {
                skippedEntries += 1
                return
            }
            f = min(f, 1)
        }
        var order = try! Order(side: side, quantity: .equityFraction(f), submittedAt: time)
        order.id = nextKernelOrderId
        nextKernelOrderId -= 1
        events.record(.orderSubmitted(order))
        if let why = entriesHalted {
            events.record(.orderRejected(id: order.id, reason: "entries halted: \(why)"))
            return
        }
        _broker.submit(order, reason: .signal, signalEntry: true)
    }

    /// Asks the sizer for an entry's fraction, with what is known at the decision.
    @inlinable
    mutating func sizedFraction(_ side: OrderSide, at time: Timestamp, price: Double, confidence: Double) -> Double {
        countClosedTrades()
        // Only flat positions are entered (a reversal's exit was just submitted), so what stays
        // open after this signal's exits is nothing; kept general in case routing ever adds to a
        // position.
        let position = _broker.position
        let remaining = (position > 0) == (side == .buy) ? position : 0
        let equity = context.equity
        let request = SizingRequest(
            barIndex: context.barIndex, time: time, side: side, price: price, equity: equity,
            exposure: equity > 0 ? abs(remaining) * price / equity : 0,
            confidence: confidence.isNaN ? 1 : min(max(confidence, 0), 1), trades: tradeStatistics)
        return sizer!.fraction(for: request)
    }

    /// Brings `tradeStatistics` up to date with the portfolio's closed trades.
    @inlinable
    mutating func countClosedTrades() {
        let closed = _broker.closedTrades
        while tradesCounted < closed.count {
            tradeStatistics.add(closed[tradesCounted])
            tradesCounted += 1
        }
    }

    /// Removes and returns the closed trades, counting them first for the sizer.
    @usableFromInline
    mutating func takeClosedTrades() -> [Trade] {
        if sizer != nil {
            countClosedTrades()
            tradesCounted = 0
        }
        return _broker.takeClosedTrades()
    }

    @inlinable
    mutating func forwardRequests() {
        for id in context.cancellations where _broker.cancel(orderId: id) {
            events.record(.orderCancelled(id: id, reason: "cancelled by strategy"))
        }
        for (id, order) in context.replacements where _broker.replace(orderId: id, with: order) {
            events.record(.orderReplaced(id: id, order))
        }
        for order in context.orders {
            events.record(.orderSubmitted(order))
            if !order.reduceOnly, let why = entriesHalted {
                events.record(.orderRejected(id: order.id, reason: "entries halted: \(why)"))
                continue
            }
            _broker.submit(order, reason: order.reduceOnly ? reasonForExit(order.type) : .order, signalEntry: false)
        }
        context.clearRequests()
    }

    @inlinable
    func reasonForExit(_ type: OrderType) -> ExitReason {
        switch type {
        case .stop, .stopLimit: .stopLoss
        case .limit, .takeProfit: .takeProfit
        case .trailingStop: .trailingStop
        case .market: .order
        }
    }

    /// Closes any open position at `bar`'s close.
    @usableFromInline
    mutating func closeAll(_ bar: Bar, index: Int) {
        _broker.closeAll(index: index, time: bar.timestamp, price: bar.close, risk: &risk, events: &events)
    }
}
