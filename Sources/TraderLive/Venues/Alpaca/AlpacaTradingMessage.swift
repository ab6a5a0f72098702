public import Foundation
public import TraderCore

/// The JSON of Alpaca's trading API (`https://api.alpaca.markets/v2`, paper:
/// `https://paper-api.alpaca.markets/v2`) that the adapter reads and writes.
///
/// Quantities and prices travel as decimal text (`"qty": "10"`); times as RFC 3339. An order:
/// `id`, `client_order_id`, `symbol`, `side`, `type`, `time_in_force`, `qty`, `filled_qty`,
/// `filled_avg_price` (null before a fill), `status`. A position: `symbol`, `qty` (negative
/// when short). The account: `status`, `cash`, `equity`.
public enum AlpacaTradingMessage {
    /// The body of `POST /v2/orders`.
    public static func orderBody(_ request: VenueOrderRequest) -> Data {
        var body: [(String, JSONValue)] = [
            ("symbol", .string(request.symbol)), ("qty", .string(DecimalText.format(request.quantity))), ("side", .string(request.side.description)),
            ("time_in_force", .string(request.timeInForce.rawValue)), ("client_order_id", .string(request.clientOrderID)),
        ]
        func price(_ key: String, _ p: Double) { body.append((key, .string(DecimalText.format(p)))) }
        switch request.kind {
        case .market: body.append(("type", .string("market")))
        case let .limit(p): body.append(("type", .string("limit"))); price("limit_price", p)
        case let .stop(p): body.append(("type", .string("stop"))); price("stop_price", p)
        case let .stopLimit(stop, limit): body.append(("type", .string("stop_limit"))); price("stop_price", stop); price("limit_price", limit)
        case let .trailingStop(percent, amount):
            body.append(("type", .string("trailing_stop")))
            if let percent { price("trail_percent", percent * 100) }
            if let amount { price("trail_price", amount) }
        }
        return VenueJSON.body(body)
    }

    /// The body of `PATCH /v2/orders/{id}`: the new order's units (what is left to fill), its
    /// prices, time in force and client order id. The type is the old order's.
    public static func replaceBody(_ request: VenueOrderRequest, filled: Double) -> Data {
        var body: [(String, JSONValue)] = [
            ("qty", .string(DecimalText.format(max(0, request.quantity - filled)))), ("time_in_force", .string(request.timeInForce.rawValue)),
            ("client_order_id", .string(request.clientOrderID)),
        ]
        func price(_ key: String, _ p: Double) { body.append((key, .string(DecimalText.format(p)))) }
        switch request.kind {
        case .market: break
        case let .limit(p): price("limit_price", p)
        case let .stop(p): price("stop_price", p)
        case let .stopLimit(stop, limit): price("stop_price", stop); price("limit_price", limit)
        case let .trailingStop(percent, amount):
            if let percent { price("trail", percent * 100) } else if let amount { price("trail", amount) }
        }
        return VenueJSON.body(body)
    }

    /// An order object.
    public static func order(_ data: Data) throws(VenueMessageError) -> VenueOrder {
        try order(Fields(object: object(data), venue: "alpaca", path: "order"))
    }

    /// An array of order objects.
    public static func orders(_ data: Data) throws(VenueMessageError) -> [VenueOrder] {
        var out: [VenueOrder] = []
        for (i, o) in try array(data).enumerated() { out.append(try order(Fields(object: o, venue: "alpaca", path: "orders[\(i)]"))) }
        return out
    }

    /// A position's signed quantity.
    public static func positionQuantity(_ data: Data) throws(VenueMessageError) -> Double {
        try Fields(object: object(data), venue: "alpaca", path: "position").number("qty")
    }

    public static func account(_ data: Data) throws(VenueMessageError) -> VenueAccount {
        let f = Fields(object: try object(data), venue: "alpaca", path: "account")
        return VenueAccount(status: try f.string("status"), cash: try f.number("cash"), equity: try f.number("equity"))
    }

    /// Alpaca's order statuses in the runtime's terms. Alpaca's `new` is an order it accepted;
    /// the pending and held states are working orders; `replaced` ended in favour of another.
    public static func status(_ word: String) -> OrderStatus? {
        switch word {
        case "new", "accepted", "pending_new", "accepted_for_bidding", "pending_cancel", "pending_replace", "done_for_day",
             "calculated", "suspended", "stopped", "held": .accepted
        case "partially_filled": .partiallyFilled
        case "filled": .filled
        case "canceled", "replaced": .cancelled
        case "expired": .expired
        case "rejected": .rejected
        default: nil
        }
    }

    static func order(_ f: Fields<[String: Any]>) throws(VenueMessageError) -> VenueOrder {
        let word = try f.string("status")
        guard let status = status(word) else { throw f.fail("status", "is not an order status Alpaca documents: '\(DisplayText.quote(word))'") }
        let sideWord = try f.string("side")
        guard let side: OrderSide = sideWord == "buy" ? .buy : sideWord == "sell" ? .sell : nil else {
            throw f.fail("side", "must be buy or sell, got '\(DisplayText.quote(sideWord))'")
        }
        let filled = try f.nonNegative("filled_qty")
        let average = f.object["filled_avg_price"] is NSNull || f.object["filled_avg_price"] == nil ? nil : try f.positive("filled_avg_price")
        return VenueOrder(venueOrderID: try f.string("id"), clientOrderID: try f.string("client_order_id"), symbol: try f.string("symbol"),
                          side: side, quantity: try f.positive("qty"), filledQuantity: filled, averageFillPrice: filled > 0 ? average : nil,
                          status: status, reason: status == .rejected || status == .cancelled ? "alpaca: \(word)" : nil)
    }

    static func object(_ data: Data) throws(VenueMessageError) -> [String: Any] {
        guard let o = VenueJSON.parse(data) as? [String: Any] else {
            throw .malformed(venue: "alpaca", reason: "expected a JSON object: \(VenueMessageError.excerpt(data))")
        }
        return o
    }

    static func array(_ data: Data) throws(VenueMessageError) -> [[String: Any]] {
        guard let a = VenueJSON.parse(data) as? [[String: Any]] else {
            throw .malformed(venue: "alpaca", reason: "expected a JSON array of objects: \(VenueMessageError.excerpt(data))")
        }
        return a
    }
}
