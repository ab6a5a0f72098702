public import TraderCore

/// The event-driven kernel shared by backtests, paper trading and live trading.
///
/// For every bar, in this order: the broker matches working orders and protective exits against
/// the bar; equity is marked at the close; the strategy decides on the bar; its signal and orders
/// go to the broker (and, with fills at the close, market orders execute at once). Only the edges
/// change between modes: where bars come from and which broker fills. Generic over the strategy
/// and the event sink, so the bar loop is specialized and does not allocate.
public struct TradingKernel<S: Strategy, Events: EventSink> {
    /// The strategy, in its current state.
    @inlinable public var strategy: S { _strategy }
    /// The broker, with the portfolio and working orders.
    @inlinable public var broker: SimulatedBroker { _broker }
    @usableFromInline var _strategy: S
    @usableFromInline var _broker: SimulatedBroker
    public var events: Events
    @usableFromInline var context = StrategyContext()
    @usableFromInline var nextKernelOrderId = -1
    @usableFromInline let direction: TradeDirection
    @usableFromInline let fillAtClose: Bool
    @usableFromInline let fraction: Double

    public init(strategy: S, settings: ExecutionSettings, events: Events) throws(DomainError) {
        self._strategy = strategy
        self._broker = try SimulatedBroker(settings: settings)
        self.events = events
        self.direction = settings.direction
        self.fillAtClose = settings.fill == .close
        self.fraction = settings.positionFraction
    }

    /// Runs one bar through the kernel and returns equity marked at its close (before any fill
    /// at that close, as backtesting.py records it).
    @inlinable @inline(__always)
    public mutating func onBar(_ bar: Bar, index: Int) -> Double {
        if _broker.needsMatching {
            _broker.process(index: index, bar: bar, window: PriceWindow(open: bar.open, high: bar.high, low: bar.low), events: &events)
        }
        // Read the portfolio in place: copying it would retain its trade arrays on every bar.
        let position = _broker.portfolio.position
        let equity = _broker.portfolio.equity(at: bar.close)
        context.prepare(barIndex: index, position: position, entryPrice: position == 0 ? .nan : _broker.portfolio.averageEntryPrice,
                        equity: equity, cash: _broker.portfolio.cash)
        let signal = _strategy.onBar(bar, context: &context)
        if signal != .hold { route(signal, at: bar.timestamp) }
        if !context.orders.isEmpty || !context.cancellations.isEmpty { forwardRequests() }
        if fillAtClose { _broker.fillMarketOrders(index: index, bar: bar, price: bar.close, events: &events) }
        return equity
    }

    /// Turns a signal into orders: exits of the opposite position, then an entry sized as a
    /// fraction of equity. Repeated signals in the direction already held add nothing.
    @usableFromInline
    mutating func route(_ signal: Signal, at time: Timestamp) {
        events.record(.signal(index: context.barIndex, signal))
        let position = broker.position
        switch signal {
        case .buy:
            if position < 0 { submitExit(.buy, at: time) }
            if position <= 0 { submitEntry(.buy, at: time) }
        case .sell:
            if position > 0 { submitExit(.sell, at: time) }
            if direction == .longShort && position >= 0 { submitEntry(.sell, at: time) }
        case .hold:
            break
        }
    }

    @usableFromInline
    mutating func submitExit(_ side: OrderSide, at time: Timestamp) {
        var order = try! Order(side: side, quantity: .entirePosition, reduceOnly: true, submittedAt: time)
        order.id = nextKernelOrderId
        nextKernelOrderId -= 1
        events.record(.orderSubmitted(order))
        _broker.submit(order, reason: .signal)
    }

    @usableFromInline
    mutating func submitEntry(_ side: OrderSide, at time: Timestamp) {
        var order = try! Order(side: side, quantity: .equityFraction(fraction), submittedAt: time)
        order.id = nextKernelOrderId
        nextKernelOrderId -= 1
        events.record(.orderSubmitted(order))
        _broker.submit(order, reason: .signal, signalEntry: true)
    }

    @usableFromInline
    mutating func forwardRequests() {
        for id in context.cancellations where _broker.cancel(orderId: id) {
            events.record(.orderCancelled(id: id, reason: "cancelled by strategy"))
        }
        for order in context.orders {
            events.record(.orderSubmitted(order))
            _broker.submit(order, reason: order.reduceOnly ? reasonForExit(order.type) : .order)
        }
        context.clearRequests()
    }

    @usableFromInline
    func reasonForExit(_ type: OrderType) -> ExitReason {
        switch type {
        case .stop, .stopLimit: .stopLoss
        case .limit, .takeProfit: .takeProfit
        case .trailingStop: .trailingStop
        case .market: .order
        }
    }

    /// Closes any open position at `bar`'s close (end of a run).
    public mutating func closeAll(_ bar: Bar, index: Int) {
        _broker.closeAll(index: index, bar: bar, price: bar.close, events: &events)
    }
}
