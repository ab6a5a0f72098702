public import TraderCore

/// What a running bot publishes: the REST and WebSocket layers subscribe to these.
public enum LiveEvent: Sendable {
    /// A bar the bot traded on.
    case bar(bot: String, symbol: String, Bar)
    /// Something happened to an order (submitted, filled, cancelled, refused...): the kernel's event.
    case trading(bot: String, symbol: String, TradingEvent)
    /// Equity, cash and position after a bar.
    case portfolio(bot: String, PortfolioUpdate)
    /// The session started, stopped, halted, lost its feed...
    case system(bot: String, SystemEvent)

    /// The bot the event is about.
    public var bot: String {
        switch self {
        case let .bar(bot, _, _), let .trading(bot, _, _), let .portfolio(bot, _), let .system(bot, _): bot
        }
    }
}

/// A bot's account after a bar.
public struct PortfolioUpdate: Sendable, Equatable {
    public var time: Timestamp
    public var equity: Double
    public var cash: Double
    /// Units held, signed (negative: short).
    public var position: Double

    public init(time: Timestamp, equity: Double, cash: Double, position: Double) {
        self.time = time
        self.equity = equity
        self.cash = cash
        self.position = position
    }
}

/// A change in a session's state, for operators.
public struct SystemEvent: Sendable, Equatable {
    public enum Level: String, Sendable { case info, warning, error }
    public var level: Level
    /// A short, stable code (`started`, `stopped`, `halted`, `feed-ended`, ...).
    public var code: String
    public var message: String

    public init(_ level: Level, _ code: String, _ message: String) {
        self.level = level
        self.code = code
        self.message = message
    }
}
