public import TraderCore

/// A run fed one bar at a time, as paper and live sessions receive them, through the same kernel
/// and with the same rules as `Backtester.run`: equity marked at each close, a run that reaches
/// zero equity closes everything and keeps equity at zero, and the end-of-run exit applies to the
/// last bar once the caller says the bars have ended (`finish`). So a session replayed over a
/// series reports exactly the backtest's trades and statistics (the parity tests hold it to that).
///
/// The bars are kept (columns) with the equity curve, because the report is computed over them as
/// the backtest's is: 48 bytes per bar, about 25 MB for a year of one-minute bars.
public struct SteppedRun<S: Strategy, B: PortfolioBroker, E: EventSink> {
    /// The kernel, in its state after the last bar stepped.
    @inlinable public var kernel: TradingKernel<S, B, E> { _kernel }
    @usableFromInline var _kernel: TradingKernel<S, B, E>
    public let symbol: String
    public let settings: ExecutionSettings
    @usableFromInline let sizer: (any PositionSizer)?
    @usableFromInline let warmup: Int
    // The hot path (`step`) is inlinable so that sessions, in another module, get it specialized
    // for their strategy instead of calling the generic one (which looks up metadata per bar).
    @usableFromInline var timestamps: [Int64] = [], open: [Double] = [], high: [Double] = [], low: [Double] = []
    @usableFromInline var close: [Double] = [], volume: [Double] = []
    @usableFromInline var equity: [Double] = []
    /// The bar at which equity reached zero, if it did: from there on the kernel sees no bar.
    @inlinable public var outOfMoneyAt: Int? { _outOfMoneyAt }
    @usableFromInline var _outOfMoneyAt: Int?

    /// A run of `strategy` on `symbol`'s bars filled by `broker` with `settings` (and `sizer`, a
    /// prototype: the run sizes with its own copy). Throws when the settings are invalid.
    public init(strategy: S, broker: B, symbol: String, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil,
                events: E) throws(DomainError) {
        try settings.validate()
        _kernel = TradingKernel(strategy: strategy, broker: broker, settings: settings, sizer: sizer, events: events)
        self.symbol = symbol
        self.settings = settings
        self.sizer = sizer
        warmup = strategy.warmupBars
    }

    /// Where the kernel's events went (a session drains its sink after each bar).
    @inlinable public var events: E {
        get { _kernel.events }
        _modify { yield &_kernel.events }
    }
    /// The account marked at the last bar's close.
    @inlinable public var account: AccountSnapshot { _kernel.core._broker.account(markedAt: close.last ?? 0) }

    /// Bars stepped so far.
    @inlinable public var barCount: Int { timestamps.count }
    /// The last bar stepped.
    @inlinable public var lastBar: Bar? {
        guard let i = timestamps.indices.last else { return nil }
        return Bar(timestamp: Timestamp(nanos: timestamps[i]), open: open[i], high: high[i], low: low[i], close: close[i], volume: volume[i])
    }
    /// Equity marked at the last bar's close (the initial capital before any bar).
    @inlinable public var lastEquity: Double { equity.last ?? settings.initialCapital }

    /// Runs `bar` through the kernel and returns the equity marked at its close. The caller
    /// validates bars and their order (feeds do); a bar not after the previous one is refused
    /// here too, since the statistics assume increasing timestamps.
    @discardableResult @inlinable
    public mutating func step(_ bar: Bar) throws(DomainError) -> Double {
        if let previous = timestamps.last, bar.timestamp.nanos <= previous {
            throw .invalid(field: "bar", reason: "\(bar.timestamp) is not after the previous bar (\(Timestamp(nanos: previous)))")
        }
        let i = timestamps.count
        append(bar)
        guard _outOfMoneyAt == nil else { equity.append(0); return 0 }
        let e = _kernel.onBar(bar, index: i)
        if e <= 0 {
            stop(at: bar, index: i)
            return 0
        }
        equity.append(e)
        return e
    }

    /// Ends the run after the last bar stepped: applies `exit` (default: the settings') to that
    /// bar as the backtest does to its last bar, and returns the report. Throws when no bar was
    /// stepped.
    public mutating func finish(name: String, exit: EndOfRunExit? = nil, timeframe: Timeframe? = nil) throws(DomainError) -> BacktestResult {
        guard let last = lastBar else { throw .invalid(field: "data", reason: "the session received no bars") }
        let index = timestamps.count - 1
        if _outOfMoneyAt == nil, let marked = _kernel.exitAtEnd(exit ?? settings.endOfRunExit, last, index: index) {
            if marked <= 0 {
                equity.removeLast()
                stop(at: last, index: index)
            } else {
                equity[index] = marked
            }
        }
        let series = BarSeries(unchecked: symbol, timeframe: timeframe ?? Timeframe.infer(from: timestamps) ?? .day1,
                               timestamps: timestamps, open: open, high: high, low: low, close: close, volume: volume)
        return Backtester.result(of: _kernel, name: name, series: series, equity: equity, settings: settings, warmup: warmup,
                                 sizer: sizer, ranOutOfMoney: _outOfMoneyAt != nil)
    }

    /// Refuses new entries with `reason` (nil: allows them again); see `TradingKernel.haltEntries`.
    public mutating func haltEntries(_ reason: String?) { _kernel.haltEntries(reason) }

    /// Closes every open position at the last bar's close (a bot told to flatten) and marks that
    /// bar's equity again; returns it (nil before any bar or after running out of money).
    @discardableResult
    public mutating func closeAll() -> Double? {
        guard _outOfMoneyAt == nil, let last = lastBar else { return nil }
        let index = timestamps.count - 1
        _kernel.closeAll(last, index: index)
        let e = _kernel.broker.account(markedAt: last.close).equity
        equity[index] = e
        return e
    }

    /// Matches the broker once more against the last bar stepped, in `phase`, and marks that
    /// bar's equity again: a venue broker books the reports that arrived after the bar (a
    /// stopping session's last fills). Returns the equity (nil before any bar).
    @discardableResult
    public mutating func matchLastBar(phase: MatchPhase) -> Double? {
        guard _outOfMoneyAt == nil, let last = lastBar else { return nil }
        let index = timestamps.count - 1
        _kernel.match(last, index: index, phase: phase)
        let e = _kernel.broker.account(markedAt: last.close).equity
        equity[index] = e
        return e
    }

    /// Out of money at bar `index`: close everything; equity is zero from here on.
    @usableFromInline mutating func stop(at bar: Bar, index: Int) {
        _kernel.closeAll(bar, index: index)
        equity.append(0)
        _outOfMoneyAt = index
    }

    /// Makes room for `bars` more bars (a replay knows how many come): the columns and the curve
    /// then never move while they grow.
    public mutating func reserveCapacity(_ bars: Int) {
        let n = timestamps.count + max(0, bars)
        timestamps.reserveCapacity(n)
        for column in [\Self.open, \.high, \.low, \.close, \.volume, \.equity] as [WritableKeyPath<Self, [Double]>] {
            self[keyPath: column].reserveCapacity(n)
        }
    }

    @inlinable mutating func append(_ bar: Bar) {
        timestamps.append(bar.timestamp.nanos)
        open.append(bar.open)
        high.append(bar.high)
        low.append(bar.low)
        close.append(bar.close)
        volume.append(bar.volume)
    }
}

extension SteppedRun where B == SimulatedBroker {
    /// A run filled by the simulated broker (a paper session): the backtest's fill rules.
    public init(strategy: S, symbol: String, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil,
                events: E) throws(DomainError) {
        try self.init(strategy: strategy, broker: try SimulatedBroker(settings: settings), symbol: symbol, settings: settings,
                      sizer: sizer, events: events)
    }
}
