public import TraderCore
public import TraderEngine
public import TraderStrategies
import TraderStore

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
    /// The runtime guards (off by default: a replay then reports exactly the backtest).
    public let guards: GuardSettings
    /// The venue the session trades at (nil: the paper broker fills). Its orders then go out at
    /// the close of the bar that decided them (`VenueTrading.settings`).
    public let venue: VenueTrading?

    public init(bot: String, strategy: StrategySpec, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil,
                bus: EventBus? = nil, guards: GuardSettings = GuardSettings(), venue: VenueTrading? = nil) {
        self.bot = bot
        self.strategy = strategy
        self.settings = venue == nil ? settings : VenueTrading.settings(settings)
        self.sizer = sizer
        self.bus = bus
        self.guards = guards
        self.venue = venue
    }

    /// How a session ended.
    public enum Ending: String, Sendable, Equatable {
        /// The feed had no more bars.
        case feedEnded = "feed-ended"
        /// The session's task was cancelled (a signal).
        case stopped
        /// `bots stop` asked it to stop; positions stay open.
        case stopRequested = "stop-requested"
        /// `bots stop --flatten`: every position was closed at the last bar's close first.
        case flattened
        /// A runtime guard tripped and its action is `stop`.
        case halted
    }

    /// The session's report and how it ended.
    public struct Outcome: Sendable {
        /// The report, as `backtest` prints it, over the bars the session traded.
        public var result: BacktestResult
        public var ending: Ending
        /// Heartbeats and gaps the feed reported.
        public var heartbeats: Int
        public var gaps: [ClosedRange<Timestamp>]
        /// Bars replayed from the feed to rebuild the state of a resumed session (0 when fresh).
        public var caughtUp: Int
        /// The guard that tripped, if one did.
        public var breach: GuardBreach?
    }

    /// Runs the session on `feed` until it ends, the task is cancelled, or `bots stop` asks.
    ///
    /// With `journal`, orders, fills, positions and checkpoints go to its store, and its
    /// heartbeat brings stop requests. With `resume` (the bot's last checkpoint), the first
    /// `resume.bars` bars of the feed rebuild the session's state first, without publishing:
    /// the kernel is deterministic, so it reaches the state it had, and the records of those bars
    /// are written again (the store keeps each once). The feed must deliver the same bars.
    ///
    /// Throws when the feed fails, a bar is out of order, the feed does not match `resume`, or no
    /// bar came at all.
    public func run<F: MarketFeed>(_ feed: F, journal: SessionJournal? = nil, resume: SessionCheckpoint? = nil) async throws -> Outcome {
        // The visitor hands back the loop specialized for the concrete strategy (one feed call
        // per bar stays dynamic): through an existential run, every bar paid for generic
        // metadata lookups and copies.
        let drive = try strategy.accept(SessionDriverMaker(session: self, symbol: feed.symbol))
        return try await drive(feed, journal, resume)
    }

    /// The session's loop over `run`, a `SteppedRun` of a concrete strategy.
    func drive<R: SessionRun>(_ run: R, feed: any MarketFeed, journal: SessionJournal?, resume: SessionCheckpoint?) async throws -> Outcome {
        var run = run
        var feed = feed
        var journal = journal
        var books = Books(flattenedAfter: resume?.flattenedAfter ?? [], haltedAfter: resume?.haltedAfter, haltReason: resume?.haltReason)
        var watch = GuardWatch(settings: guards)
        // A replay's columns and curve are allocated once, not regrown (and copied) as they fill.
        if let left = feed.barsLeft { run.reserveCapacity(left) }
        if let resume { try await catchUp(&run, feed: &feed, journal: &journal, watch: &watch, books: &books, to: resume) }
        if let venue { try await reconcile(venue, &run, books: &books) }
        let stale = guards.staleAfter.map { StaleWatchdog(after: $0, bot: bot, bus: bus) }
        defer { stale?.cancel() }
        var breach: GuardBreach?
        var writeErrors = 0
        let caughtUp = run.barCount
        publish(.system(bot: bot, caughtUp > 0
            ? SystemEvent(.info, "resumed", "paper session on \(feed.symbol) \(feed.timeframe) resumed after \(caughtUp) bars")
            : SystemEvent(.info, "started", "paper session on \(feed.symbol) \(feed.timeframe)")))
        var ending = Ending.feedEnded
        // While the feed is quiet, a heartbeat of its own keeps the bot alive in the store and
        // brings stop requests at once (the loop itself waits on the feed).
        let quiet = journal.map { j in
            QuietHeartbeat(store: j.store, bot: bot, interval: max(j.heartbeatInterval, .seconds(1))) { [feed] in feed.interrupt() }
        }
        var heartbeats = 0
        var gaps: [ClosedRange<Timestamp>] = []
        // Asked once: testing or binding an optional journal or venue (a large struct) on every
        // bar copied it through its value witness, which cost more than the bar.
        let journaled = journal != nil, atVenue = venue != nil
        // Events the feed handed over and the next one to take (a replay hands over many).
        var received: [FeedEvent] = []
        received.reserveCapacity(Self.feedBatch)
        var taken = 0
        loop: while true {
            if taken == received.count {
                received.removeAll(keepingCapacity: true)
                taken = 0
                do {
                    guard try await feed.next(into: &received, limit: Self.feedBatch) else { break loop }
                } catch is CancellationError {
                    ending = .stopped
                    break loop
                }
            }
            let event = received[taken]
            taken += 1
            switch event {
            case let .bar(bar):
                stale?.sawBar()
                let equity = try run.step(bar)
                var events = run.takeEvents()
                if guards.isActive, breach == nil, let tripped = watch.observe(events, bar: run.barCount) ?? stale?.breach() {
                    breach = tripped
                    publish(.system(bot: bot, SystemEvent(.error, "halted", "\(tripped) (\(guards.onBreach.rawValue))")))
                    if guards.onBreach == .stop { ending = .halted }
                    events += apply(tripped, to: &run, books: &books)
                }
                if journaled, !events.isEmpty { journal!.note(events, bar: bar, account: run.account, unitsLeft: run.unitsLeft) }
                var notes: [SystemEvent] = []
                if atVenue, let venue {
                    // The store knows an order before the venue does: a crash after the send
                    // resumes from a checkpoint that re-derives it (same client order id).
                    if venue.link.hasCommands, journaled {
                        try await journal!.flush(checkpoint: checkpoint(run, books))
                        try await journal!.drain()
                    }
                    // The bar's orders go out before anyone is told of the bar: publishing wakes
                    // the readers' threads, which would otherwise run while the order waits.
                    notes = try await venue.router.sync()
                }
                if let bus, bus.hasSubscribers { publishStep(bar: bar, equity: equity, events: events, account: run.account, symbol: feed.symbol, bus: bus) }
                for note in notes { publish(.system(bot: bot, note)) }
                if atVenue, let venue, run.barCount % venue.reconcileEvery == 0 { try await reconcile(venue, &run, books: &books) }
                if journaled {
                    // The async calls only when due: each copies the journal into the task's frame.
                    if journal!.tick() || ending == .halted {
                        // A stopped session (its task cancelled) writes its books at the end,
                        // outside the cancelled task, and starts no store call here.
                        if Task.isCancelled { ending = .stopped; break loop }
                        do {
                            if journal!.isDue { try await journal!.flush(checkpoint: checkpoint(run, books)) }
                            quiet?.beat(bars: run.barCount, equity: equity, halted: breach != nil)
                            if journal!.heartbeatIsDue {
                                let status: BotStatus = breach == nil ? .running : .halted
                                switch try await journal!.heartbeat(status: status, bars: run.barCount, equity: equity,
                                                                    detail: breach.map { "\($0)" } ?? "") {
                                case .stop?: ending = .stopRequested; break loop
                                case .flatten?: ending = .flattened; break loop
                                case nil: break
                                }
                            }
                            writeErrors = 0
                        } catch is CancellationError {
                            ending = .stopped
                            break loop
                        } catch {
                            // The store failed: carry on (a resume rewrites what was lost) until
                            // the write-error guard's limit, without the guard at once.
                            writeErrors += 1
                            publish(.system(bot: bot, SystemEvent(.warning, "write-error", "\(error)")))
                            guard let limit = guards.writeErrors, writeErrors < limit else {
                                if guards.writeErrors == nil { throw error }
                                breach = GuardBreach(guardName: "write-errors", reason: "\(writeErrors) store writes failed in a row: \(error)")
                                publish(.system(bot: bot, SystemEvent(.error, "halted", "\(breach!) (stop)")))
                                ending = .halted
                                break loop
                            }
                        }
                    }
                }
                if ending == .halted { break loop }
            case .heartbeat:
                heartbeats += 1
            case let .gap(from, to):
                gaps.append(from...to)
                publish(.system(bot: bot, SystemEvent(.warning, "gap", "no bars from \(from) to \(to)")))
            }
        }
        if let quiet {
            await quiet.finish()
            // A request the quiet heartbeat brought ended the feed; one the loop's own heartbeat
            // saw (it stays in the store until the bot stops) has already set the ending.
            if ending == .feedEnded || ending == .stopped, let request = quiet.request {
                ending = request == .flatten ? .flattened : .stopRequested
            }
        }
        if ending == .flattened, let bar = run.lastBar {
            run.closeAll()
            if let venue {
                // The closing order's fill comes from the venue: wait for it and book it.
                for note in try await venue.router.settle(attempts: 50, interval: .milliseconds(100)) { publish(.system(bot: bot, note)) }
                run.closeAll()
            }
            books.flattenedAfter.append(run.barCount)
            let events = run.takeEvents()
            for event in events { bus?.publish(.trading(bot: bot, symbol: feed.symbol, event)) }
            journal?.note(events, bar: bar, account: run.account, unitsLeft: run.unitsLeft)
            journal?.cancelOpenOrders(reason: "cancelled: the bot was flattened", at: bar.timestamp)
        }
        if let venue, ending != .flattened, run.lastBar != nil {
            // Orders in flight stay at the venue; what it reported so far is booked.
            for note in try await Task.detached(operation: { try await venue.router.sync() }).value { publish(.system(bot: bot, note)) }
            run.matchLastBar(phase: .exits)
        }
        // The end-of-run exit belongs to the end of the bars; a stopped bot keeps its positions
        // (a flattened one has none), and a resume carries on from them.
        let result = try run.finish(name: strategy.description, exit: ending == .feedEnded ? nil : EndOfRunExit.none, timeframe: feed.timeframe)
        let closing = run.takeEvents()
        for event in closing { bus?.publish(.trading(bot: bot, symbol: feed.symbol, event)) }
        let summary = "session ended after \(result.timestamps.count) bars, equity \(result.metrics.equityFinal)"
        if var journal, let bar = run.lastBar {
            journal.note(closing, bar: bar, account: run.account, unitsLeft: run.unitsLeft)
            let state = checkpoint(run, books), bars = run.barCount, equity = result.metrics.equityFinal, halted = ending == .halted
            let detail = "\(ending.rawValue): \(summary)"
            // Written from a task of its own: a session stopped by cancellation (a signal, a
            // graceful shutdown) must still write its books, and store calls made in its
            // cancelled task would be cancelled too.
            try await Task.detached {
                try await journal.flush(checkpoint: state)
                try await journal.drain()
                _ = try await journal.heartbeat(status: halted ? .halted : .stopped, bars: bars, equity: equity, detail: detail, force: true)
            }.value
        }
        publish(.system(bot: bot, SystemEvent(.info, ending.rawValue, summary)))
        return Outcome(result: result, ending: ending, heartbeats: heartbeats, gaps: gaps, caughtUp: caughtUp, breach: breach)
    }

    /// Events asked of the feed at once (a replay at full speed hands over that many bars).
    static let feedBatch = 256

    /// Replays the first `checkpoint.bars` bars of `feed` through `run` (nothing published) and
    /// writes their records again.
    private func catchUp<R: SessionRun>(_ run: inout R, feed: inout any MarketFeed, journal: inout SessionJournal?, watch: inout GuardWatch,
                                        books: inout Books, to checkpoint: SessionCheckpoint) async throws {
        // A venue session books the fills its journal holds, bar by bar as it booked them; the
        // venue is asked about its orders once caught up.
        let journaled = venue == nil ? [:] : try await journal?.storedFills() ?? [:]
        while run.barCount < checkpoint.bars {
            guard let event = try await feed.next() else {
                throw SessionError.resumeMismatch("the feed ended after \(run.barCount) bars; the checkpoint is at bar \(checkpoint.bars)")
            }
            guard case let .bar(bar) = event else { continue }
            await venue?.router.replayFills(at: bar.timestamp, journal: journaled)
            try run.step(bar)
            await venue?.router.adoptCommands()
            var events = run.takeEvents()
            // The guards see the same events, so they trip where they tripped; what no event
            // shows (stale data, write errors, a flatten asked for) comes from the checkpoint.
            if guards.isActive, run.entriesHalted == nil, let tripped = watch.observe(events, bar: run.barCount), guards.onBreach != .stop {
                events += apply(tripped, to: &run, books: &books)
            }
            if !events.isEmpty { journal?.note(events, bar: bar, account: run.account, unitsLeft: run.unitsLeft) }
            if checkpoint.haltedAfter == run.barCount { run.haltEntries(checkpoint.haltReason ?? "halted") }
            if checkpoint.flattenedAfter.contains(run.barCount) {
                run.closeAll()
                journal?.note(run.takeEvents(), bar: bar, account: run.account, unitsLeft: run.unitsLeft)
                journal?.cancelOpenOrders(reason: "cancelled: the bot was flattened", at: bar.timestamp)
            }
        }
        guard let last = run.lastBar, last.timestamp.nanos == checkpoint.lastTime else {
            let seen = run.lastBar.map { "\($0.timestamp)" } ?? "nothing"
            throw SessionError.resumeMismatch("bar \(checkpoint.bars) of the feed is at \(seen), the checkpoint's at \(Timestamp(nanos: checkpoint.lastTime)): resume needs the same bars")
        }
        if journal != nil {
            try await journal!.flush(checkpoint: self.checkpoint(run, books))
            try await journal!.drain()
        }
        // The sync that followed the checkpoint's bar before the crash: what became of the
        // orders since, booked at the next bar as it would have been.
        if let venue { for note in try await venue.router.sync() { publish(.system(bot: bot, note)) } }
    }

    /// Compares the venue with the books; a position that differs halts new entries (exits
    /// still trade) until an operator looks.
    private func reconcile<R: SessionRun>(_ venue: VenueTrading, _ run: inout R, books: inout Books) async throws {
        let position = run.account.positions.reduce(0) { $0 + $1.units }
        for difference in try await venue.router.reconcile(bookedPosition: position) {
            publish(.system(bot: bot, difference))
            if difference.level == .error, run.entriesHalted == nil {
                run.haltEntries("reconcile: \(difference.message)")
                books.haltedAfter = books.haltedAfter ?? run.barCount
                books.haltReason = books.haltReason ?? "reconcile: \(difference.message)"
            }
        }
    }

    private func checkpoint<R: SessionRun>(_ run: R, _ books: Books) -> SessionCheckpoint {
        SessionCheckpoint(bars: run.barCount, lastTime: run.lastBar?.timestamp.nanos ?? 0, equity: run.lastEquity,
                          fills: run.fillCount, initialCapital: settings.initialCapital, flattenedAfter: books.flattenedAfter,
                          haltedAfter: books.haltedAfter, haltReason: books.haltReason)
    }

    /// What happened to a session that its bars do not show: kept in its checkpoints.
    struct Books {
        var flattenedAfter: [Int]
        var haltedAfter: Int?
        var haltReason: String?
    }

    /// Carries out the guards' action for `breach` (the `stop` action is the loop's); returns
    /// the kernel's events of it.
    private func apply<R: SessionRun>(_ breach: GuardBreach, to run: inout R, books: inout Books) -> [TradingEvent] {
        var events: [TradingEvent] = []
        if guards.onBreach == .flatten {
            run.closeAll()
            books.flattenedAfter.append(run.barCount)
            events = run.takeEvents()
        }
        if guards.onBreach != .stop {
            run.haltEntries("\(breach)")
            books.haltedAfter = books.haltedAfter ?? run.barCount
            books.haltReason = books.haltReason ?? "\(breach)"
        }
        return events
    }

    private func publishStep(bar: Bar, equity: Double, events: [TradingEvent], account: AccountSnapshot, symbol: String, bus: EventBus) {
        bus.publish(.bar(bot: bot, symbol: symbol, bar))
        for event in events { bus.publish(.trading(bot: bot, symbol: symbol, event)) }
        bus.publish(.portfolio(bot: bot, PortfolioUpdate(time: bar.timestamp, equity: equity, cash: account.cash,
                                                        position: account.positions.reduce(0) { $0 + $1.units })))
    }

    private func publish(_ event: LiveEvent) { bus?.publish(event) }
}

/// Why a session could not run.
public enum SessionError: Error, Equatable, CustomStringConvertible {
    /// A resumed session's feed does not deliver the bars its checkpoint was taken on.
    case resumeMismatch(String)

    public var description: String {
        switch self {
        case let .resumeMismatch(why): "cannot resume: \(why)"
        }
    }
}

/// What the session's loop needs of a `SteppedRun`: the loop is generic over it, and called
/// with a concrete one, so these calls are static.
protocol SessionRun {
    @discardableResult mutating func step(_ bar: Bar) throws(DomainError) -> Double
    mutating func takeEvents() -> [TradingEvent]
    var account: AccountSnapshot { get }
    var barCount: Int { get }
    var lastBar: Bar? { get }
    var lastEquity: Double { get }
    /// Fills so far.
    var fillCount: Int { get }
    /// The units still to fill of the working orders given in units, by order number: an order
    /// filled in part (`--volume-limit`, a venue's partial fill) is among them.
    var unitsLeft: [Int: Double] { get }
    mutating func reserveCapacity(_ bars: Int)
    @discardableResult mutating func closeAll() -> Double?
    mutating func haltEntries(_ reason: String?)
    var entriesHalted: String? { get }
    mutating func finish(name: String, exit: EndOfRunExit?, timeframe: Timeframe?) throws(DomainError) -> BacktestResult
    @discardableResult mutating func matchLastBar(phase: MatchPhase) -> Double?
}

extension SteppedRun: SessionRun where E == SessionEventBuffer {
    mutating func takeEvents() -> [TradingEvent] { events.take() }
    var unitsLeft: [Int: Double] {
        var left: [Int: Double] = [:]
        for w in kernel.broker.workingOrders { if case let .units(u) = w.order.quantity { left[w.order.id] = u } }
        return left
    }
    var fillCount: Int { kernel.broker.fillCount }
    var entriesHalted: String? { kernel.entriesHalted }
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

/// Builds the run for the concrete strategy and returns the session's loop over it.
struct SessionDriverMaker: StrategyVisitor {
    typealias Driver = (any MarketFeed, SessionJournal?, SessionCheckpoint?) async throws -> PaperSession.Outcome
    let session: PaperSession
    let symbol: String

    func visit<S: Strategy>(_ strategy: S) throws -> Driver {
        let session = self.session
        if let venue = session.venue {
            let broker = try VenueBroker(symbol: symbol, settings: session.settings, link: venue.link, identity: venue.identity)
            let run = try SteppedRun(strategy: strategy, broker: broker, symbol: symbol, settings: session.settings, sizer: session.sizer,
                                     events: SessionEventBuffer())
            return { feed, journal, resume in try await session.drive(run, feed: feed, journal: journal, resume: resume) }
        }
        let run = try SteppedRun(strategy: strategy, symbol: symbol, settings: session.settings, sizer: session.sizer,
                                 events: SessionEventBuffer())
        return { feed, journal, resume in try await session.drive(run, feed: feed, journal: journal, resume: resume) }
    }
}
