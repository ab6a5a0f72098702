public import TraderCore
public import TraderData
public import TraderEngine
public import TraderLive
import TraderStrategies

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

    public init(backtest: BacktestRequest, feed: FeedChoice, speed: ReplaySpeed, bot: String) {
        self.backtest = backtest
        self.feed = feed
        self.speed = speed
        self.bot = bot
    }
}

/// Runs paper sessions for the CLI and workflows: builds the feed, runs `PaperSession`, returns
/// its outcome. Usage errors (bad windows, a feed that cannot run here) are `AppError.usage`.
public struct PaperService: Sendable {
    public let data: MarketDataLocator

    public init(data: MarketDataLocator = MarketDataLocator()) {
        self.data = data
    }

    /// Runs `request` until its feed ends or the task is cancelled, publishing on `bus`.
    public func run(_ request: PaperRequest, bus: EventBus? = nil) async throws(AppError) -> PaperSession.Outcome {
        let sizer = try request.backtest.makeSizer()
        let session = PaperSession(bot: request.bot, strategy: request.backtest.strategy, settings: request.backtest.settings,
                                   sizer: sizer, bus: bus)
        do {
            switch request.feed {
            case .replay:
                let bars = try data.load(request.backtest.source, start: request.backtest.start, end: request.backtest.end)
                try request.backtest.checkFits(barCount: bars.count)
                return try await session.run(ReplayFeed(series: bars, speed: request.speed))
            case .synthetic:
                return try await session.run(try syntheticFeed(request))
            case .coinbase, .alpaca:
                throw AppError.usage("--feed \(request.feed.rawValue): the \(request.feed.rawValue) market-data adapter is not available yet; use --feed replay or --feed synthetic")
            }
        } catch let e as AppError {
            throw e
        } catch let e as DomainError {
            throw .usage(e.description)
        } catch let e as StrategyError {
            throw .usage(e.description)
        } catch {
            throw .runtime("paper session failed: \(error)")
        }
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
