public import Foundation
public import TraderCore

/// A message of Alpaca's market-data stream (`wss://stream.data.alpaca.markets/v2/{iex|sip}`).
///
/// The server sends JSON arrays of objects tagged by `T`: control messages (`success`, `error`,
/// `subscription`) and data (`b` a minute bar, `t` a trade, `q` a quote, `d`/`u` daily and
/// updated bars). Bars carry `S` symbol, `o h l c v`, `t` the bar's start (RFC 3339), `n`
/// trades and `vw` the VWAP; trades `p` price, `s` size, `i` the trade id, `t` time.
public enum AlpacaStreamMessage: Sendable, Equatable {
    case success(String)
    case error(code: Int, message: String)
    case subscription(trades: [String], quotes: [String], bars: [String])
    case bar(symbol: String, Bar)
    /// An updated minute bar (late trades corrected it): replaces the bar of the same time.
    case updatedBar(symbol: String, Bar)
    case trade(symbol: String, id: Int64, price: Double, size: Double, time: Timestamp)
    /// A type this client does not use (quotes, statuses, ...): kept by its tag.
    case other(String)

    /// Decodes one frame of the stream (a JSON array). Throws `VenueMessageError` naming what
    /// was wrong; a frame is all or nothing.
    public static func decode(_ frame: Data) throws(VenueMessageError) -> [AlpacaStreamMessage] {
        // Read from our parser's values, not Foundation's: this is the path from the socket to
        // the order (`latency-bench`).
        guard case let .array(items)? = VenueJSON.value(frame), case let objects = items.compactMap(JSONMembers.init),
              objects.count == items.count else {
            throw .malformed(venue: "alpaca", reason: "a frame must be a JSON array of objects: \(VenueMessageError.excerpt(frame))")
        }
        var out: [AlpacaStreamMessage] = []
        out.reserveCapacity(objects.count)
        for (i, object) in objects.enumerated() {
            let f = Fields(object: object, venue: "alpaca", path: "[\(i)]")
            let tag = try f.string("T")
            switch tag {
            case "success": out.append(.success(try f.string("msg")))
            case "error": out.append(.error(code: try f.int("code"), message: try f.string("msg")))
            case "subscription":
                out.append(.subscription(trades: f.strings("trades"), quotes: f.strings("quotes"), bars: f.strings("bars")))
            case "b", "u", "d":
                let symbol = try f.string("S")
                let bar = try f.bar(time: "t", open: "o", high: "h", low: "l", close: "c", volume: "v")
                out.append(tag == "u" ? .updatedBar(symbol: symbol, bar) : .bar(symbol: symbol, bar))
            case "t":
                out.append(.trade(symbol: try f.string("S"), id: Int64(try f.int("i")), price: try f.positive("p"), size: try f.nonNegative("s"),
                                  time: try f.time("t")))
            default:
                out.append(.other(tag))
            }
        }
        return out
    }

    /// The frames a client sends: authentication, then subscriptions.
    public static func auth(key: String, secret: String) -> Data {
        try! JSONSerialization.data(withJSONObject: ["action": "auth", "key": key, "secret": secret], options: [.sortedKeys])
    }

    public static func subscribe(bars: [String] = [], trades: [String] = []) -> Data {
        try! JSONSerialization.data(withJSONObject: ["action": "subscribe", "bars": bars, "trades": trades], options: [.sortedKeys])
    }
}
