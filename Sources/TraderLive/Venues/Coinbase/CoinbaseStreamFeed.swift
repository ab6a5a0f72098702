import Foundation
public import Logging
public import TraderCore

extension VenueStreamFeed {
    /// Coinbase Advanced Trade's trades of `product` (`BTC-USD`) as bars of `timeframe`, over
    /// its market-data WebSocket (`wss://advanced-trade-ws.coinbase.com`): subscribes to the
    /// public `market_trades` and `heartbeats` channels and builds bars from the trades
    /// (`BarBuilder`). A bar is complete when a trade of a later period arrives, or when a
    /// heartbeat's time is past its period (a quiet market still closes its bars). Trades seen
    /// before (the snapshot a new subscription starts with) are recognised by their ids and left
    /// out; a jump in the connection's sequence numbers counts messages lost.
    public static func coinbase(url: String = CoinbaseStreamDialect.url, product: String, timeframe: Timeframe = .minute1,
                                reconnect: ReconnectPolicy = ReconnectPolicy(), backfill: CoinbaseHistoricalBars? = nil, eventLoop: BotEventLoop? = nil,
                                logger: Logger = Logger(label: "gpt-trader.coinbase")) -> VenueStreamFeed {
        VenueStreamFeed(url: url, dialect: CoinbaseStreamDialect(symbol: product, timeframe: timeframe), reconnect: reconnect, backfill: backfill, eventLoop: eventLoop, logger: logger)
    }
}

/// Coinbase's side of the conversation: subscribe on connect, then trades and heartbeats.
public struct CoinbaseStreamDialect: VenueStreamDialect {
    public static let url = "wss://advanced-trade-ws.coinbase.com"
    let symbol: String
    let timeframe: Timeframe
    var venue: String { "coinbase" }
    /// The last sequence number of this connection.
    private var sequence: Int64 = -1

    init(symbol: String, timeframe: Timeframe) {
        self.symbol = symbol
        self.timeframe = timeframe
    }

    /// What outlives a connection: the bar being built and the newest trade taken.
    struct Carry: Sendable {
        var builder: BarBuilder
        var lastTrade: Int64 = .min
    }

    func initialCarry() -> Carry { Carry(builder: BarBuilder(timeframe: timeframe)) }

    mutating func connected() -> [String] {
        sequence = -1
        return ["market_trades", "heartbeats"].map { String(decoding: CoinbaseStreamMessage.subscribe(channel: $0, products: [symbol]), as: UTF8.self) }
    }

    mutating func read(_ frame: Data, carry: inout Carry) throws -> StreamReading {
        if let object = VenueJSON.parse(frame) as? [String: Any], object["type"] as? String == "error" {
            throw VenueStreamRefusal(venue: venue, code: 0, message: object["message"] as? String ?? "(no message)")
        }
        let message = try CoinbaseStreamMessage.decode(frame)
        var reading = StreamReading()
        if sequence >= 0, message.sequence > sequence + 1 { reading.lostMessages = Int(message.sequence - sequence - 1) }
        sequence = max(sequence, message.sequence)
        var trades: [(id: Int64, price: Double, size: Double, time: Timestamp)] = []
        for event in message.events {
            switch event {
            case let .trade(product, id, price, size, _, time) where product == symbol:
                trades.append((Int64(id) ?? .min, price, size, time))
            case let .subscriptions(channels):
                if channels["market_trades"]?.contains(symbol) == true { reading.subscribed = true }
            case .heartbeat:
                if let time = message.time {
                    reading.heartbeat = time
                    if let bar = carry.builder.close(at: time) { reading.bars.append(bar) }
                }
            default:
                break
            }
        }
        // Snapshots and updates may list the newest trade first: take them in trade order.
        for t in trades.sorted(by: { ($0.id, $0.time.nanos) < ($1.id, $1.time.nanos) }) {
            if t.id != .min {
                guard t.id > carry.lastTrade else { continue }
                carry.lastTrade = t.id
            }
            if let bar = carry.builder.add(price: t.price, size: t.size, at: t.time) { reading.bars.append(bar) }
        }
        return reading
    }
}
