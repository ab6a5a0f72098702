public import Foundation
public import TraderCore

/// The JSON of Coinbase Advanced Trade's REST API (`https://api.coinbase.com/api/v3/brokerage`)
/// that the adapter reads and writes.
///
/// An order is placed with `client_order_id`, `product_id` (`BTC-USD`), `side` (`BUY`/`SELL`)
/// and an `order_configuration` (`market_market_ioc`, `limit_limit_gtc`, `stop_limit_stop_limit_gtc`
/// with `base_size`, `limit_price`, `stop_price` as decimal text); the answer is `success` with a
/// `success_response` (`order_id`) or an `error_response` (`error`, `message`). An order read back
/// (`GET /orders/historical/{id}`, under `order`) has `status` (`PENDING`, `OPEN`, `FILLED`,
/// `CANCELLED`, `EXPIRED`, `FAILED`, ...), `filled_size`, `average_filled_price`, `total_fees`.
/// A second order under one client order id is not placed: the venue answers with the first.
public enum CoinbaseTradingMessage {
    public static func orderBody(_ request: VenueOrderRequest) throws(VenueOrderRefusal) -> Data {
        let size = JSONValue.string(DecimalText.format(request.quantity))
        func price(_ p: Double) -> JSONValue { .string(DecimalText.format(p)) }
        let configuration: (String, [(String, JSONValue)])
        switch request.kind {
        case .market:
            configuration = ("market_market_ioc", [("base_size", size)])
        case let .limit(p):
            configuration = (request.timeInForce == .gtc ? "limit_limit_gtc" : "limit_limit_gtd",
                             [("base_size", size), ("limit_price", price(p)), ("post_only", .bool(false))])
        case let .stopLimit(stop, limit):
            configuration = ("stop_limit_stop_limit_gtc", [
                ("base_size", size), ("limit_price", price(limit)), ("stop_price", price(stop)),
                ("stop_direction", .string(request.side == .buy ? "STOP_DIRECTION_STOP_UP" : "STOP_DIRECTION_STOP_DOWN"))])
        case .stop, .trailingStop:
            throw .rejected(reason: "coinbase: \(request.kind) orders are not offered by Advanced Trade; use a stop-limit")
        }
        return VenueJSON.body([("client_order_id", .string(request.clientOrderID)), ("product_id", .string(request.symbol)),
                               ("side", .string(request.side == .buy ? "BUY" : "SELL")),
                               ("order_configuration", .object([(configuration.0, .object(configuration.1.sorted { $0.0 < $1.0 }))]))])
    }

    /// The body of `POST /orders/edit`: the order's new total size and prices. Coinbase edits
    /// only good-till-cancelled limit and stop-limit orders.
    public static func editBody(venueOrderID: String, _ request: VenueOrderRequest) throws(VenueOrderRefusal) -> Data {
        var body: [(String, JSONValue)] = [("order_id", .string(venueOrderID)), ("size", .string(DecimalText.format(request.quantity)))]
        switch request.kind {
        case let .limit(p) where request.timeInForce == .gtc:
            body.append(("price", .string(DecimalText.format(p))))
        case let .stopLimit(stop, limit):
            body.append(("price", .string(DecimalText.format(limit))))
            body.append(("stop_price", .string(DecimalText.format(stop))))
        default:
            throw .rejected(reason: "coinbase: only good-till-cancelled limit and stop-limit orders can be edited")
        }
        return VenueJSON.body(body)
    }

    /// The answer to an edit: nothing when it succeeded, the venue's refusal otherwise.
    public static func edited(_ data: Data) throws {
        let root = try object(data)
        if root["success"] as? Bool == true { return }
        let errors = root["errors"] as? [[String: Any]] ?? []
        let why = errors.flatMap { [$0["edit_failure_reason"], $0["preview_failure_reason"]] }.compactMap { $0 as? String }.filter { !$0.isEmpty }
        let message = (root["message"] as? String).map { [$0] } ?? []
        throw VenueOrderRefusal.rejected(reason: "coinbase: edit refused: " + ((why + message).isEmpty ? "no reason given" : (why + message).joined(separator: ", ")))
    }

    /// The answer to a create: the order's id, or the venue's refusal.
    public static func created(_ data: Data) throws -> String {
        let f = Fields(object: try object(data), venue: "coinbase", path: "create")
        if f.object["success"] as? Bool == true, let response = f.object["success_response"] as? [String: Any] {
            return try Fields(object: response, venue: "coinbase", path: "create.success_response").string("order_id")
        }
        let error = f.object["error_response"] as? [String: Any] ?? [:]
        let why = [error["error"], error["message"] ?? f.object["failure_reason"]].compactMap { $0 as? String }.filter { !$0.isEmpty }
        throw VenueOrderRefusal.rejected(reason: "coinbase: " + (why.isEmpty ? "order refused" : why.joined(separator: ": ")))
    }

    /// An order read back (`{"order": {...}}`).
    public static func order(_ data: Data) throws(VenueMessageError) -> VenueOrder {
        let root = try object(data)
        guard let object = root["order"] as? [String: Any] else { throw .malformed(venue: "coinbase", reason: "order is missing") }
        return try order(Fields(object: object, venue: "coinbase", path: "order"))
    }

    /// A page of orders (`{"orders": [...]}`).
    public static func orders(_ data: Data) throws(VenueMessageError) -> [VenueOrder] {
        guard let list = try object(data)["orders"] as? [[String: Any]] else { throw .malformed(venue: "coinbase", reason: "orders is missing") }
        var out: [VenueOrder] = []
        for (i, o) in list.enumerated() { out.append(try order(Fields(object: o, venue: "coinbase", path: "orders[\(i)]"))) }
        return out
    }

    /// Coinbase's order statuses in the runtime's terms.
    public static func status(_ word: String) -> OrderStatus? {
        switch word {
        case "PENDING", "QUEUED": .submitted
        case "OPEN", "CANCEL_QUEUED", "EDIT_QUEUED": .accepted
        case "FILLED": .filled
        case "CANCELLED": .cancelled
        case "EXPIRED": .expired
        case "FAILED": .rejected
        default: nil
        }
    }

    static func order(_ f: Fields<[String: Any]>) throws(VenueMessageError) -> VenueOrder {
        let word = try f.string("status")
        guard var status = status(word) else { throw f.fail("status", "is not an order status Coinbase documents: '\(DisplayText.quote(word))'") }
        let sideWord = try f.string("side")
        guard let side: OrderSide = sideWord == "BUY" ? .buy : sideWord == "SELL" ? .sell : nil else {
            throw f.fail("side", "must be BUY or SELL, got '\(DisplayText.quote(sideWord))'")
        }
        let filled = try f.nonNegative("filled_size")
        var size = filled
        if let configuration = f.object["order_configuration"] as? [String: Any],
           let terms = configuration.values.first as? [String: Any], terms["base_size"] != nil {
            size = try Fields(object: terms, venue: "coinbase", path: "\(f.path).order_configuration").positive("base_size")
        }
        if status == .accepted && filled > 0 && filled < size { status = .partiallyFilled }
        let average = filled > 0 ? try f.positive("average_filled_price") : nil
        let reason = [f.object["reject_reason"], f.object["cancel_message"]].compactMap { $0 as? String }.first { !$0.isEmpty }
        return VenueOrder(venueOrderID: try f.string("order_id"), clientOrderID: try f.string("client_order_id"), symbol: try f.string("product_id"),
                          side: side, quantity: max(size, filled), filledQuantity: filled, averageFillPrice: average,
                          commission: f.object["total_fees"] == nil ? 0 : try f.nonNegative("total_fees"), status: status,
                          reason: reason.map { "coinbase: \($0)" })
    }

    static func object(_ data: Data) throws(VenueMessageError) -> [String: Any] {
        guard let o = VenueJSON.parse(data) as? [String: Any] else {
            throw .malformed(venue: "coinbase", reason: "expected a JSON object: \(VenueMessageError.excerpt(data))")
        }
        return o
    }
}
