/// What happens in a trading session, in the order it happens. Backtest, paper and live runs emit
/// the same events, so one event log, one monitor and one set of tests serve all three.
public enum TradingEvent: Hashable, Sendable {
    case bar(index: Int, Bar)
    case signal(index: Int, Signal)
    case orderSubmitted(Order)
    case orderCancelled(id: Int, reason: String)
    /// A working order's terms were replaced (its id and place in the queue kept).
    case orderReplaced(id: Int, Order)
    case orderRejected(id: Int, reason: String)
    /// A risk rule refused an order (`RiskCheck`): nothing traded.
    case riskRefused(id: Int, RiskRefusal)
    /// A risk rule cut an order to `units`.
    case riskResized(id: Int, units: Double, reason: String)
    case filled(Fill)
    case tradeClosed(Trade)
}

/// Receives events from the kernel. Generic at the call site, so the default `NoEventSink`
/// compiles away entirely in backtests that do not need an event stream.
public protocol EventSink {
    mutating func record(_ event: @autoclosure () -> TradingEvent)
}

/// Discards every event at no cost.
public struct NoEventSink: EventSink {
    @inlinable public init() {}
    @inlinable public mutating func record(_ event: @autoclosure () -> TradingEvent) {}
}

/// Keeps every event in memory (tests, small runs, the event log writer).
public struct EventRecorder: EventSink, Sendable {
    public private(set) var events: [TradingEvent] = []
    public init() {}
    public mutating func record(_ event: @autoclosure () -> TradingEvent) { events.append(event()) }
}
