public import TraderCore
public import TraderEngine
public import TraderStrategies

/// A paper-trading session: one strategy on one feed, filled by the paper broker (the simulated
/// broker's fill, slippage and commission rules applied to the bars as they arrive), through the
/// same kernel as the backtest (`SteppedRun`). Replayed over stored bars at any speed it reports
/// exactly what `Backtester.run` reports for those bars.
///
/// After each bar the session publishes on `bus`, when given: the bar, the kernel's order, fill
/// and trade events, and the account. The session ends when the feed ends, or when its task is
/// cancelled (SIGINT, `bots stop`): then it stops taking bars and reports on those it had,
/// with the end-of-run exit applied to the last one as at the end of a replay.
public struct PaperSession: Sendable {
    public let bot: String
    public let strategy: StrategySpec
    public let settings: ExecutionSettings
    /// Sizes entries (a prototype: the session works on its own copy); nil: the settings' fraction.
    public let sizer: (any PositionSizer)?
    public let bus: EventBus?

    public init(bot: String, strategy: StrategySpec, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil,
                bus: EventBus? = nil) {
        self.bot = bot
        self.strategy = strategy
        self.settings = settings
        self.sizer = sizer
        self.bus = bus
    }

    /// How a session ended.
    public enum Ending: String, Sendable, Equatable {
        /// The feed had no more bars.
        case feedEnded = "feed-ended"
        /// The session's task was cancelled (a signal, a stop request).
        case stopped
    }

    /// The session's report and how it ended.
    public struct Outcome: Sendable {
        /// The report, as `backtest` prints it, over the bars the session traded.
        public var result: BacktestResult
        public var ending: Ending
        /// Heartbeats and gaps the feed reported.
        public var heartbeats: Int
        public var gaps: [ClosedRange<Timestamp>]
    }

    /// Runs the session on `feed` until it ends or the task is cancelled. Throws when the feed
    /// fails, a bar is out of order, or no bar came at all.
    public func run<F: MarketFeed>(_ feed: F) async throws -> Outcome {
        var feed = feed
        var run = try strategy.accept(SessionRunMaker(symbol: feed.symbol, settings: settings, sizer: sizer))
        publish(.system(bot: bot, SystemEvent(.info, "started", "paper session on \(feed.symbol) \(feed.timeframe)")))
        var ending = Ending.feedEnded
        var heartbeats = 0
        var gaps: [ClosedRange<Timestamp>] = []
        loop: while true {
            let event: FeedEvent?
            do {
                event = try await feed.next()
            } catch is CancellationError {
                ending = .stopped
                break loop
            }
            switch event {
            case nil:
                break loop
            case let .bar(bar)?:
                let equity = try run.step(bar)
                if let bus { publishStep(bar: bar, equity: equity, run: &run, symbol: feed.symbol, bus: bus) }
            case .heartbeat?:
                heartbeats += 1
            case let .gap(from, to)?:
                gaps.append(from...to)
                publish(.system(bot: bot, SystemEvent(.warning, "gap", "no bars from \(from) to \(to)")))
            }
        }
        let result = try run.finish(name: strategy.description, timeframe: feed.timeframe)
        if let bus {
            for event in run.takeEvents() { bus.publish(.trading(bot: bot, symbol: feed.symbol, event)) }
        }
        publish(.system(bot: bot, SystemEvent(.info, ending.rawValue,
                                              "session ended after \(result.timestamps.count) bars, equity \(result.metrics.equityFinal)")))
        return Outcome(result: result, ending: ending, heartbeats: heartbeats, gaps: gaps)
    }

    private func publishStep(bar: Bar, equity: Double, run: inout any SessionRun, symbol: String, bus: EventBus) {
        bus.publish(.bar(bot: bot, symbol: symbol, bar))
        for event in run.takeEvents() { bus.publish(.trading(bot: bot, symbol: symbol, event)) }
        let account = run.account
        bus.publish(.portfolio(bot: bot, PortfolioUpdate(time: bar.timestamp, equity: equity, cash: account.cash,
                                                        position: account.positions.reduce(0) { $0 + $1.units })))
    }

    private func publish(_ event: LiveEvent) { bus?.publish(event) }
}

/// A `SteppedRun` of any strategy, so the session's loop (which awaits its feed) is written once;
/// the kernel inside is still specialized for the strategy. One dynamic call per bar.
protocol SessionRun {
    mutating func step(_ bar: Bar) throws(DomainError) -> Double
    mutating func takeEvents() -> [TradingEvent]
    var account: AccountSnapshot { get }
    mutating func finish(name: String, timeframe: Timeframe) throws(DomainError) -> BacktestResult
}

extension SteppedRun: SessionRun where E == SessionEventBuffer {
    mutating func takeEvents() -> [TradingEvent] { events.take() }
    mutating func finish(name: String, timeframe: Timeframe) throws(DomainError) -> BacktestResult {
        try finish(name: name, exit: nil, timeframe: timeframe)
    }
}

/// Keeps the kernel's order, fill, trade and risk events between two bars (bars and signals are
/// published by the session itself or not at all).
struct SessionEventBuffer: EventSink {
    private(set) var events: [TradingEvent] = []

    mutating func record(_ event: @autoclosure () -> TradingEvent) {
        let e = event()
        switch e {
        case .bar, .signal: break
        default: events.append(e)
        }
    }

    mutating func take() -> [TradingEvent] {
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }
}

struct SessionRunMaker: StrategyVisitor {
    let symbol: String
    let settings: ExecutionSettings
    let sizer: (any PositionSizer)?

    func visit<S: Strategy>(_ strategy: S) throws -> any SessionRun {
        try SteppedRun(strategy: strategy, symbol: symbol, settings: settings, sizer: sizer, events: SessionEventBuffer())
    }
}
