public import TraderCore

/// The event-driven kernel shared by backtests, paper trading and live trading.
///
/// For every bar, in this order: the broker matches working orders and protective exits against
/// the bar; equity is marked at the close; the strategy decides on the bar; its signal and orders
/// go to the broker (and, with fills at the close, market orders execute at once). Only the edges
/// change between modes: where bars come from and which broker fills. Generic over the strategy,
/// the broker (`Broker`: the simulated broker of backtests, the paper and venue brokers of bots)
/// and the event sink, so the bar loop is specialized and does not allocate.
///
/// Entries are sized with `ExecutionSettings.positionFraction`, or by a `PositionSizer` when one is
/// given (see "Position sizing" in docs/architecture.md): the sizer is asked once per signal
/// entry, and sees every bar only if it says it needs them, so a kernel without one runs exactly
/// the bar loop it would run if sizers did not exist.
///
/// The state is two parts: the strategy, and `KernelCore` (broker, context, order routing). The
/// per-bar logic lives in the core and takes the strategy `inout`, so the backtest loop can keep
/// the strategy in a local variable for the whole run (`withStrategy`): a local whose address
/// never reaches the out-of-line broker calls can live in registers, while a field of the kernel
/// has to go through memory on every bar.
public struct TradingKernel<S: Strategy, B: Broker, Events: EventSink> {
    /// The strategy, in its current state.
    @inlinable public var strategy: S { _strategy }
    /// The broker, with the account and working orders.
    @inlinable public var broker: B { core._broker }
    /// Where kernel events go. (`_modify` lets callers mutate the sink in place, e.g. append to
    /// an `EventRecorder`, without copying its buffer.)
    @inlinable public var events: Events {
        get { core.events }
        _modify { yield &core.events }
    }
    @usableFromInline var _strategy: S
    @usableFromInline var core: KernelCore<B, Events>

    /// A kernel running `strategy` against `broker`. `settings` gives the routing of signals
    /// (direction, entry fraction, fill timing, first trading bar); the broker applies its own
    /// fill and cost rules. `sizer`, when given, sizes signal entries in place of
    /// `settings.positionFraction`; the kernel works on its own copy of it.
    public init(strategy: S, broker: B, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil, events: Events) {
        self._strategy = strategy
        self.core = KernelCore(broker: broker, settings: settings, sizer: sizer, events: events)
    }

    /// Whether the broker has anything to match on the next bar (working orders, armed exits).
    @inlinable public var needsMatching: Bool { core._broker.needsMatching }

    /// The kernel's sizer in its current state (nil: entries use `settings.positionFraction`).
    public var sizer: (any PositionSizer)? { core.sizer }
    /// Signal entries the sizer declined (fraction ≤ 0), so no order was sent.
    public var skippedEntries: Int { core.skippedEntries }

    /// Runs one bar through the kernel and returns equity marked at its close (before any fill
    /// at that close, as backtesting.py records it).
    @inlinable @inline(__always)
    public mutating func onBar(_ bar: Bar, index: Int) -> Double {
        core.onBar(bar, index: index, strategy: &_strategy, fillAtClose: core.fillAtClose, observeBars: core.observesBars)
    }

    /// The first half of `onBar` on its own, one phase of it: the broker matches `bar` (working
    /// orders of `phase`, protective exits). Kernels sharing one account call it for every
    /// instrument, phase by phase, and then `decide` (see `MatchPhase`).
    @inlinable
    public mutating func match(_ bar: Bar, index: Int, phase: MatchPhase) {
        guard core._broker.needsMatching else { return }
        core.process(index: index, time: bar.timestamp, window: PriceWindow(open: bar.open, high: bar.high, low: bar.low, volume: bar.volume), phase: phase)
    }

    /// The second half of `onBar`: equity marked at the close, the strategy's decision, its orders
    /// routed (and filled at the close when fills are at the close). Returns the equity.
    @inlinable @inline(__always)
    public mutating func decide(_ bar: Bar, index: Int) -> Double {
        core.decide(bar, index: index, strategy: &_strategy, fillAtClose: core.fillAtClose, observeBars: core.observesBars)
    }

    /// Runs `body` with the strategy moved into a local variable, then stores it back.
    ///
    /// The local starts as a copy that shares the strategy's buffers; the first mutation copies
    /// them once (value semantics), which is nothing against a run of bars.
    @inlinable @inline(__always)
    mutating func withStrategy<R>(_ body: (inout S, inout KernelCore<B, Events>) -> R) -> R {
        var strategy = _strategy
        defer { _strategy = strategy }
        return body(&strategy, &core)
    }

    /// Applies the end-of-run `exit` to `bar`, the run's last bar, after it went through `onBar`;
    /// returns its equity marked again, or nil when nothing changed. (The backtest does this in
    /// its loop; runs fed a bar at a time call it when their feed ends.)
    public mutating func exitAtEnd(_ exit: EndOfRunExit, _ bar: Bar, index: Int) -> Double? {
        core.exitAtEnd(exit, bar, index: index)
    }

    /// Refuses new entries (signal entries and strategy orders that do not reduce the position)
    /// with `reason`, or lets them through again with nil: what a runtime guard does when it
    /// halts a bot. Each refused order is recorded as submitted, then rejected.
    public mutating func haltEntries(_ reason: String?) { core.entriesHalted = reason }
    /// Why entries are halted, if they are.
    public var entriesHalted: String? { core.entriesHalted }

    /// Closes any open position at `bar`'s close (end of a run).
    public mutating func closeAll(_ bar: Bar, index: Int) {
        core.closeAll(bar, index: index)
    }

    /// Removes and returns the trades closed so far (a streaming run drains them per chunk).
    public mutating func takeClosedTrades() -> [Trade] { core.takeClosedTrades() }
}

extension TradingKernel where B == SimulatedBroker {
    /// A backtest's kernel: `strategy` against a `SimulatedBroker` with `settings`' fill and cost
    /// rules. Throws when the settings are invalid.
    public init(strategy: S, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil, events: Events) throws(DomainError) {
        self.init(strategy: strategy, broker: try SimulatedBroker(settings: settings), settings: settings, sizer: sizer, events: events)
    }
}
