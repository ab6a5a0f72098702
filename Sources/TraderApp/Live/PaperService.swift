import Foundation
public import TraderCore
public import TraderData
public import TraderEngine
public import TraderLive
import TraderStrategies
public import TraderStore

/// Where a paper session's bars come from.
public enum FeedChoice: String, Sendable, CaseIterable {
    /// Stored bars (a file, the bar store, the shipped samples) replayed at `--speed`.
    case replay
    /// Seeded synthetic bars, one per timeframe divided by `--speed` of real time.
    case synthetic
    /// Coinbase Advanced Trade's market-data WebSocket.
    case coinbase
    /// Alpaca's market-data WebSocket.
    case alpaca
}

/// What a user asks a paper session for: everything a backtest takes, plus the feed and its speed.
public struct PaperRequest: Sendable {
    public var backtest: BacktestRequest
    public var feed: FeedChoice
    public var speed: ReplaySpeed
    /// The bot's name, which `gpt-trader bots` shows and stops it by.
    public var bot: String
    /// Runtime guards (none by default).
    public var guards: GuardSettings
    /// A venue feed's WebSocket address (default: the venue's own).
    public var feedURL: String?
    /// The venue's historical-bars REST address, which fills the feed's gaps (default: the venue's own).
    public var historyURL: String?
    /// Who fills the orders (the paper broker by default).
    public var broker: BrokerChoice
    /// A venue broker's REST address (default: the venue's paper endpoint, or its live one with `live`).
    public var brokerURL: String?
    /// Trades real money at the venue (`run --mode live`).
    public var live: Bool

    public init(backtest: BacktestRequest, feed: FeedChoice, speed: ReplaySpeed, bot: String, guards: GuardSettings = GuardSettings(),
                feedURL: String? = nil, historyURL: String? = nil, broker: BrokerChoice = .paper, brokerURL: String? = nil, live: Bool = false) {
        self.backtest = backtest
        self.feed = feed
        self.speed = speed
        self.bot = bot
        self.guards = guards
        self.feedURL = feedURL
        self.historyURL = historyURL
        self.broker = broker
        self.brokerURL = brokerURL
        self.live = live
    }

    /// Alpaca's market-data stream (IEX, the free plan's).
    public static let alpacaStreamURL = "wss://stream.data.alpaca.markets/v2/iex"
}

/// Runs paper sessions for the CLI and workflows: builds the feed, runs `PaperSession`, returns
/// its outcome. Usage errors (bad windows, a feed that cannot run here) are `AppError.usage`.
///
/// A tracked session (`tracking`) is a bot of the store: registered with its command line, its
/// orders, fills, positions and checkpoints written as it trades, its heartbeat carrying
/// `bots stop`; `resume` continues its last session from its checkpoint after a crash or a stop.
public struct PaperService: Sendable {
    public let data: MarketDataLocator

    public init(data: MarketDataLocator = MarketDataLocator()) {
        self.data = data
    }

    /// How a session is kept in the store.
    public struct Tracking: Sendable {
        public var store: any Store
        /// The command line that runs the bot (without the program name), for `bots resume`.
        public var arguments: [String]
        /// Continue the bot's last session from its checkpoint instead of starting afresh.
        public var resume: Bool

        public init(store: any Store, arguments: [String], resume: Bool) {
            self.store = store
            self.arguments = arguments
            self.resume = resume
        }
    }

    /// Runs `request` until its feed ends, the task is cancelled or the bot is stopped,
    /// publishing on `bus`.
    /// With `bars` (a replay of bars already loaded: a workflow's), the request's source is not
    /// read again.
    public func run(_ request: PaperRequest, bars preloaded: BarSeries? = nil, bus: EventBus? = nil,
                    tracking: Tracking? = nil) async throws(AppError) -> PaperSession.Outcome {
        let sizer = try request.backtest.makeSizer()
        let session = PaperSession(bot: request.bot, strategy: request.backtest.strategy, settings: request.backtest.settings,
                                   sizer: sizer, bus: bus, guards: request.guards)
        // A bot at a venue feed runs on one event loop with its connections (`BotEventLoop`):
        // a bar read off the socket is decided and its order written on one thread. Replays and
        // synthetic feeds stay on the cooperative pool (a replay at full speed would hold a loop).
        let eventLoop: BotEventLoop? = request.feed == .alpaca || request.feed == .coinbase ? BotEventLoop() : nil
        do {
            return try await withTaskExecutorPreference(eventLoop) {
                switch request.feed {
                case .replay:
                    let bars = try preloaded ?? data.load(request.backtest.source, start: request.backtest.start, end: request.backtest.end)
                    try request.backtest.checkFits(barCount: bars.count)
                    return try await run(session, ReplayFeed(series: bars, speed: request.speed), request: request, tracking: tracking, eventLoop: nil)
                case .synthetic:
                    return try await run(session, try syntheticFeed(request), request: request, tracking: tracking, eventLoop: nil)
                case .alpaca:
                    return try await run(session, try alpacaFeed(request, eventLoop: eventLoop), request: request, tracking: tracking, eventLoop: eventLoop)
                case .coinbase:
                    return try await run(session, try coinbaseFeed(request, eventLoop: eventLoop), request: request, tracking: tracking, eventLoop: eventLoop)
                }
            }
        } catch let e as AppError {
            throw e
        } catch let e as DomainError {
            throw .usage(e.description)
        } catch let e as StrategyError {
            throw .usage(e.description)
        } catch let e as SessionError {
            throw .usage(e.description)
        } catch let e as StoreError {
            throw .runtime("paper session \(request.bot): \(e)")
        } catch {
            throw .runtime("paper session failed: \(error)")
        }
    }

    private func run<F: MarketFeed>(_ session: PaperSession, _ feed: F, request: PaperRequest, tracking: Tracking?,
                                    eventLoop: BotEventLoop?) async throws -> PaperSession.Outcome {
        switch request.broker {
        case .paper:
            return try await journaled(session, feed, request: request, tracking: tracking)
        case .alpaca:
            return try await VenueClients.alpaca(url: request.brokerURL, live: request.live, eventLoop: eventLoop).using { client in
                try await atVenue(client, session, feed, request: request, tracking: tracking)
            }
        case .coinbase:
            return try await VenueClients.coinbase(url: request.brokerURL, eventLoop: eventLoop).using { client in
                try await atVenue(client, session, feed, request: request, tracking: tracking)
            }
        }
    }

    /// Runs `session` with its orders sent to the venue through `client`, after checking that the
    /// venue answers and takes the credentials.
    private func atVenue<C: VenueTradingClient>(_ client: C, _ session: PaperSession, _ feed: some MarketFeed, request: PaperRequest,
                                                tracking: Tracking?) async throws -> PaperSession.Outcome {
        let account: VenueAccount
        do { account = try await client.health() } catch {
            throw AppError.runtime("\(client.venue) broker: \(error)")
        }
        guard account.status.uppercased() == "ACTIVE" else {
            throw AppError.runtime("\(client.venue) broker: the account is \(account.status), not ACTIVE; nothing was sent")
        }
        return try await journaled(session, feed, request: request, tracking: tracking) { identity in
            PaperSession(bot: session.bot, strategy: session.strategy, settings: session.settings, sizer: session.sizer, bus: session.bus,
                         guards: session.guards, venue: VenueTrading(client: client, symbol: feed.symbol, identity: identity))
        }
    }

    /// Runs `session` (or the one `atVenue` makes for the session's ids), journaled in the store
    /// when tracked.
    private func journaled<F: MarketFeed>(_ session: PaperSession, _ feed: F, request: PaperRequest, tracking: Tracking?,
                                          atVenue: ((OrderIdentity) -> PaperSession)? = nil) async throws -> PaperSession.Outcome {
        guard let tracking else {
            let session = atVenue?(OrderIdentity(bot: request.bot, session: StoreClock.nowNanos())) ?? session
            return try await session.run(feed)
        }
        let store = tracking.store
        let (sessionStart, checkpoint) = try await register(request, feed: feed, tracking: tracking)
        let session = atVenue?(OrderIdentity(bot: request.bot, session: sessionStart)) ?? session
        // A venue session's orders are rows (each is written before it is sent); a paper
        // session's are packed.
        var journal = SessionJournal(store: store, bot: request.bot, symbol: feed.symbol, session: sessionStart, packed: atVenue == nil)
        if checkpoint != nil { try await journal.resume() }
        if checkpoint == nil {
            try await journal.flush(checkpoint: SessionCheckpoint(bars: 0, lastTime: 0, equity: request.backtest.settings.initialCapital,
                                                                  fills: 0, initialCapital: request.backtest.settings.initialCapital))
            try await journal.drain()
        }
        do {
            return try await session.run(feed, journal: journal, resume: checkpoint)
        } catch {
            _ = try? await store.heartbeat(botID: request.bot, status: .failed, bars: checkpoint?.bars ?? 0, equity: nil, detail: "\(error)")
            throw error
        }
    }

    /// Saves the bot's record (refusing a bot that runs in another live process) and returns its
    /// session's start and, when resuming, the checkpoint to resume from.
    private func register<F: MarketFeed>(_ request: PaperRequest, feed: F, tracking: Tracking) async throws -> (Int64, SessionCheckpoint?) {
        let store = tracking.store
        let host = BotProcess.hostName
        let existing = try await store.bot(id: request.bot)
        if let existing, [.running, .stopping, .halted].contains(existing.status), let pid = existing.pid,
           existing.host == host, pid != BotProcess.pid, BotProcess.isAlive(pid) {
            throw AppError.usage("bot '\(request.bot)' is running (pid \(pid)); stop it first: gpt-trader bots stop \(request.bot)")
        }
        var sessionStart = StoreClock.nowNanos()
        var checkpoint: SessionCheckpoint?
        if tracking.resume {
            guard let existing else { throw AppError.usage("--resume: no bot '\(request.bot)' in this database (gpt-trader bots list)") }
            guard let stored = try await store.latestCheckpoint(botID: request.bot), let parsed = SessionCheckpoint(json: stored.state),
                  parsed.session == existing.startedAt else {
                throw AppError.usage("--resume: bot '\(request.bot)' has no checkpoint of its last session; start it without --resume")
            }
            sessionStart = existing.startedAt
            checkpoint = parsed
        }
        try await store.saveBot(BotRecord(id: request.bot, mode: request.live ? "live" : "paper", status: .running, pid: BotProcess.pid, host: host,
                                          arguments: tracking.arguments, startedAt: sessionStart, updatedAt: StoreClock.nowNanos(),
                                          bars: checkpoint?.bars ?? 0, equity: checkpoint?.equity,
                                          detail: checkpoint.map { "resuming after \($0.bars) bars" } ?? "started on \(feed.symbol)"))
        return (sessionStart, checkpoint.flatMap { $0.bars > 0 ? $0 : nil })
    }

    /// Alpaca's real-time minute bars of the request's symbol, with the keys of the environment.
    func alpacaFeed(_ request: PaperRequest, eventLoop: BotEventLoop?) throws(AppError) -> VenueStreamFeed {
        let env = ProcessInfo.processInfo.environment
        let key = env["APCA_API_KEY_ID"] ?? "", secret = env["APCA_API_SECRET_KEY"] ?? ""
        guard !key.isEmpty, !secret.isEmpty else {
            throw .usage("--feed alpaca needs Alpaca's API keys in the environment, and APCA_API_KEY_ID or APCA_API_SECRET_KEY is not set")
        }
        guard case let .symbol(symbol) = request.backtest.source else {
            throw .usage("--feed alpaca streams a symbol's bars: give --symbol, not --data or --synthetic")
        }
        let url = request.feedURL ?? PaperRequest.alpacaStreamURL
        let backfill = AlpacaHistoricalBars(baseURL: try Self.historyURL(request.historyURL ?? AlpacaHistoricalBars.url), key: key, secret: secret)
        return VenueStreamFeed.alpaca(url: try Self.streamURL(url), key: key, secret: secret, symbol: symbol, backfill: backfill, eventLoop: eventLoop)
    }

    /// Coinbase's trades of the request's product as minute bars (public channels: no keys).
    func coinbaseFeed(_ request: PaperRequest, eventLoop: BotEventLoop?) throws(AppError) -> VenueStreamFeed {
        guard case let .symbol(product) = request.backtest.source else {
            throw .usage("--feed coinbase streams a product's trades: give --symbol (BTC-USD), not --data or --synthetic")
        }
        let url = try Self.streamURL(request.feedURL ?? CoinbaseStreamDialect.url)
        let backfill = CoinbaseHistoricalBars(baseURL: try Self.historyURL(request.historyURL ?? CoinbaseHistoricalBars.url))
        return VenueStreamFeed.coinbase(url: url, product: product, backfill: backfill, eventLoop: eventLoop)
    }

    static func historyURL(_ url: String) throws(AppError) -> String {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw .usage("--history-url must be an http:// or https:// address, got '\(url)'") }
        return url
    }

    static func streamURL(_ url: String) throws(AppError) -> String {
        guard url.hasPrefix("ws://") || url.hasPrefix("wss://") else { throw .usage("--feed-url must be a ws:// or wss:// address, got '\(url)'") }
        return url
    }

    /// The synthetic feed of a `.synthetic` source (or endless bars of SYNTH, seed 42, daily),
    /// paced at the timeframe divided by the speed.
    func syntheticFeed(_ request: PaperRequest) throws -> SyntheticFeed {
        let symbol: String, limit: Int?, seed: UInt64, timeframe: Timeframe
        switch request.backtest.source {
        case let .synthetic(s, bars, sd, tf):
            (symbol, limit, seed, timeframe) = (s, bars, sd, tf)
        default:
            throw AppError.usage("--feed synthetic: give --synthetic N (bars, with --synthetic-seed and --timeframe) instead of a data source")
        }
        let interval: Duration
        switch request.speed {
        case .max: interval = .zero
        case let .times(f): interval = .nanoseconds(Int64((Double(timeframe.seconds) * 1e9 / f).rounded()))
        }
        return try SyntheticFeed(symbol: symbol, seed: seed, timeframe: timeframe, interval: interval, limit: limit)
    }
}
