public import Foundation
public import TraderCore

/// A message of Coinbase Advanced Trade's market-data WebSocket
/// (`wss://advanced-trade-ws.coinbase.com`).
///
/// Every message is an object with `channel`, `timestamp`, `sequence_num` (one counter per
/// connection: a jump means messages were lost) and `events`. `market_trades` events carry
/// `trades` (`trade_id`, `product_id`, `price` and `size` as decimal text, `side`, `time`);
/// `candles` events carry five-minute `candles` (`start` in seconds as text, `open`, `high`,
/// `low`, `close`, `volume`, `product_id`); `heartbeats` events `current_time` and
/// `heartbeat_counter`; `subscriptions` the channels now open. Errors come as
/// `{"type": "error", "message": ...}`.
public struct CoinbaseStreamMessage: Sendable, Equatable {
    public var channel: String
    public var sequence: Int64
    /// When the venue sent it (its `timestamp`), if it says.
    public var time: Timestamp?
    public var events: [Event]

    public enum Event: Sendable, Equatable {
        case trade(product: String, id: String, price: Double, size: Double, buy: Bool, time: Timestamp)
        case candle(product: String, Bar)
        case heartbeat(counter: Int64)
        case subscriptions([String: [String]])
    }

    /// Decodes one message. An `error` message becomes `VenueMessageError` with its text.
    public static func decode(_ data: Data) throws(VenueMessageError) -> CoinbaseStreamMessage {
        // Read from our parser's values, not Foundation's: this is the path from the socket to
        // the order.
        guard let root = VenueJSON.value(data), let object = JSONMembers(root) else {
            throw .malformed(venue: "coinbase", reason: "a message must be a JSON object: \(VenueMessageError.excerpt(data))")
        }
        let top = Fields(object: object, venue: "coinbase", path: "message")
        if case .text("error")? = object.field("type") {
            throw .malformed(venue: "coinbase", reason: "the server refused: \((try? top.string("message")) ?? "(no message)")")
        }
        let channel = try top.string("channel")
        let sequence = Int64(try top.int("sequence_num"))
        /// The objects of the list under `key` (none when it is missing or not a list).
        func objects(_ key: String, of members: JSONMembers) -> [JSONMembers] {
            guard case let .array(items)? = members.value(key) else { return [] }
            return items.compactMap(JSONMembers.init)
        }
        var events: [Event] = []
        for (i, raw) in objects("events", of: object).enumerated() {
            let e = Fields(object: raw, venue: "coinbase", path: "events[\(i)]")
            switch channel {
            case "market_trades":
                for (j, t) in objects("trades", of: raw).enumerated() {
                    let f = Fields(object: t, venue: "coinbase", path: "events[\(i)].trades[\(j)]")
                    let side = try f.string("side")
                    guard side == "BUY" || side == "SELL" else { throw f.fail("side", "must be BUY or SELL, got '\(DisplayText.quote(side))'") }
                    events.append(.trade(product: try f.string("product_id"), id: try f.string("trade_id"), price: try f.positive("price"),
                                         size: try f.nonNegative("size"), buy: side == "BUY", time: try f.time("time")))
                }
            case "candles":
                for (j, c) in objects("candles", of: raw).enumerated() {
                    let f = Fields(object: c, venue: "coinbase", path: "events[\(i)].candles[\(j)]")
                    events.append(.candle(product: try f.string("product_id"),
                                          try f.bar(time: "start", open: "open", high: "high", low: "low", close: "close", volume: "volume")))
                }
            case "heartbeats":
                events.append(.heartbeat(counter: Int64(try e.int("heartbeat_counter"))))
            case "subscriptions":
                var subscriptions: [String: [String]] = [:]
                if case let .object(members)? = raw.value("subscriptions") {
                    for (name, _) in members { subscriptions[name] = JSONMembers(.object(members))?.texts(name) ?? [] }
                }
                events.append(.subscriptions(subscriptions))
            default:
                break
            }
        }
        let time = object.field("timestamp") == nil ? nil : try top.time("timestamp")
        return CoinbaseStreamMessage(channel: channel, sequence: sequence, time: time, events: events)
    }

    /// The subscribe message (`jwt`: the ES256 token the channel needs, nil for public channels).
    public static func subscribe(channel: String, products: [String], jwt: String? = nil) -> Data {
        var object: [String: Any] = ["type": "subscribe", "channel": channel, "product_ids": products]
        if let jwt { object["jwt"] = jwt }
        return try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
