import Foundation
public import Logging
public import TraderCore

extension VenueStreamFeed {
    /// Alpaca's real-time minute bars of `symbol`, over its market-data WebSocket
    /// (`wss://stream.data.alpaca.markets/v2/iex`, or a local server in tests): waits for
    /// `connected`, authenticates with the key and secret, subscribes to the symbol's bars. An
    /// authentication error ends the feed. With `backfill`, minutes the stream missed are asked
    /// of Alpaca's historical-bars API before the feed goes on.
    public static func alpaca(url: String, key: String, secret: String, symbol: String, reconnect: ReconnectPolicy = ReconnectPolicy(),
                              backfill: AlpacaHistoricalBars? = nil, eventLoop: BotEventLoop? = nil,
                              logger: Logger = Logger(label: "gpt-trader.alpaca")) -> VenueStreamFeed {
        VenueStreamFeed(url: url, dialect: AlpacaStreamDialect(symbol: symbol, key: key, secret: secret), reconnect: reconnect, backfill: backfill, eventLoop: eventLoop, logger: logger)
    }
}

/// Alpaca's side of the conversation: `connected` → auth → `authenticated` → subscribe → bars.
struct AlpacaStreamDialect: VenueStreamDialect {
    let symbol: String
    let key: String
    let secret: String
    var venue: String { "alpaca" }
    var timeframe: Timeframe { .minute1 }

    func initialCarry() {}
    func connected() -> [String] { [] }

    func read(_ frame: Data, carry: inout Void) throws -> StreamReading {
        var reading = StreamReading()
        for m in try AlpacaStreamMessage.decode(frame) {
            switch m {
            case .success("connected"):
                reading.replies.append(String(decoding: AlpacaStreamMessage.auth(key: key, secret: secret), as: UTF8.self))
            case .success("authenticated"):
                reading.replies.append(String(decoding: AlpacaStreamMessage.subscribe(bars: [symbol]), as: UTF8.self))
            case let .subscription(_, _, bars) where bars.contains(symbol):
                reading.subscribed = true
            case let .error(code, text):
                // 401 not authenticated, 402 auth failed, 404/406 auth timeout and connection
                // limit: retrying cannot help.
                throw VenueStreamRefusal(venue: venue, code: code, message: text)
            case let .bar(s, bar) where s == symbol:
                reading.bars.append(bar)
            default:
                break
            }
        }
        return reading
    }
}
