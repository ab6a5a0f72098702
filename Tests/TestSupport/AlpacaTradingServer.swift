import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A local server speaking the subset of Alpaca's trading API the adapter uses (`/v2/account`,
/// `/v2/orders`, `/v2/orders:by_client_order_id`, `/v2/orders/{id}`, `/v2/positions/{symbol}`),
/// with Alpaca's paths, JSON shapes, key headers and error answers (401 without the keys, 422 for
/// a second order under one client order id, 403 for an order beyond the buying power), and
/// faults injected per request.
///
/// Market orders fill at `price` over `fillSteps` looks at the order (0: in the answer to the
/// submit; 2: half at the first look, the rest at the second); limit and stop orders stay
/// working until cancelled, or with `limitFills` a limit order fills whole at a look where
/// `price` reaches it. An order is `accepted` until its first look, then `new` (routed), as at
/// Alpaca. `PATCH /v2/orders/{id}` replaces a `new` or `partially_filled` order by a new one
/// (the old one `replaced`); `raceNextReplace()` makes the next replace lose the race Alpaca
/// documents: the old order fills first and the new one is rejected.
public final class AlpacaTradingServer: Sendable {
    public let key = "trade-key", secret = "trade-secret"

    public typealias Fault = VenueFault

    /// When a hook sees a request: before the server acts on it, or after (its answer not yet
    /// written). A hook may kill the client there: a crash at that point of the protocol.
    public enum Moment: Sendable { case before, after }
    /// What a hook answers: go on, or drop the request unanswered and undone (the client died).
    public enum Verdict: Sendable { case proceed, abandon }
    /// The hook, in a struct: a bare closure kept in a `Mutex` is wrapped in two more thunks at
    /// every `withLock` read (swiftlang/swift#91348), so each request would call through a chain
    /// as long as the requests so far, and a long run would slow down as it goes.
    private struct Hook: Sendable { let body: @Sendable (String, String, Moment) -> Verdict }
    private let hook = Mutex<Hook?>(nil)
    /// Calls `body` with every request's method and path, before and after handling it.
    public func onRequest(_ body: (@Sendable (String, String, Moment) -> Verdict)?) { hook.withLock { $0 = body.map(Hook.init) } }

    public struct Order: Sendable {
        public var id: String
        public var clientOrderID: String
        public var symbol: String
        public var side: String
        public var type: String
        public var qty: Double
        public var filledQty = 0.0
        public var filledAvg: Double?
        public var status = "accepted"
        public var looks = 0
        public var limitPrice: Double?
        public var timeInForce = "day"
        public var replaces: String?
        public var replacedBy: String?
        /// Rejected at its first look (a replacement that lost the race).
        var rejectOnLook = false
    }

    struct State {
        var orders: [String: Order] = [:]
        /// Ids of the orders still working, so listing open orders does not scan every order ever placed.
        var working: Set<String> = []

        mutating func put(_ order: Order) {
            orders[order.id] = order
            if ["accepted", "new", "partially_filled"].contains(order.status) { working.insert(order.id) } else { working.remove(order.id) }
        }
        var byClient: [String: String] = [:]
        var positions: [String: Double] = [:]
        var log: [String] = []
        var price: Double
        var cash: Double
    }

    private let state: Mutex<State>
    private let faults = FaultInjector()
    public let fillSteps: Int
    public let limitFills: Bool
    private let race = Atomic<Bool>(false)

    public init(price: Double = 100, cash: Double = 100_000, fillSteps: Int = 1, limitFills: Bool = false) {
        state = Mutex(State(price: price, cash: cash))
        self.fillSteps = fillSteps
        self.limitFills = limitFills
    }

    /// The next replace finds the old order filled first: Alpaca then rejects the new one.
    public func raceNextReplace() { race.store(true, ordering: .relaxed) }

    /// Injects `fault` into the next request whose method is `method` and whose path starts with `path`.
    public func inject(_ fault: Fault, method: String, path: String) { faults.inject(fault, method: method, path: path) }
    public func setPrice(_ price: Double) { state.withLock { $0.price = price } }
    public func setPosition(_ symbol: String, _ qty: Double) { state.withLock { $0.positions[symbol] = qty } }
    /// Places an order as if someone else had (for reconciliation tests).
    public func placeOutside(clientOrderID: String, symbol: String, qty: Double) {
        state.withLock { s in
            let id = "outside-\(s.orders.count)"
            s.put(Order(id: id, clientOrderID: clientOrderID, symbol: symbol, side: "buy", type: "limit", qty: qty))
            s.byClient[clientOrderID] = id
        }
    }
    /// Every request, as `METHOD path`.
    public var log: [String] { state.withLock { $0.log } }
    public var orders: [Order] { state.withLock { Array($0.orders.values) }.sorted { $0.id < $1.id } }
    public func position(_ symbol: String) -> Double { state.withLock { $0.positions[symbol] ?? 0 } }

    /// Runs the server on a free loopback port until `body` returns.
    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await faults.serve(label: "alpaca-trading-test-server", { request in try await self.respond(request) }, body)
    }

    func respond(_ request: Request) async throws -> Response {
        let method = request.method.rawValue, path = request.uri.path
        state.withLock { $0.log.append("\(method) \(path)") }
        let fault = faults.take(method: method, path: path)
        if let answer = await faults.answer(fault) { return answer }
        func header(_ name: String) -> String? { request.headers.first { $0.name.canonicalName == name }?.value }
        guard header("apca-api-key-id") == key, header("apca-api-secret-key") == secret else {
            return json(401, #"{"code":40110000,"message":"request is not authorized"}"#)
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        let watcher = hook.withLock { $0 }?.body
        if watcher?(method, path, .before) == .abandon { return json(503, #"{"message":"abandoned"}"#) }
        let answer = handle(method, path, query: request.uri.queryParameters, body: Data(buffer: body))
        if watcher?(method, path, .after) == .abandon { return json(503, #"{"message":"abandoned"}"#) }
        if case .lostAnswer? = fault { return json(500, #"{"message":"internal server error"}"#) }
        return answer
    }

    func handle(_ method: String, _ path: String, query: Parameters, body: Data) -> Response {
        state.withLock { s in
            switch (method, path) {
            case ("GET", "/v2/account"):
                return json(200, #"{"id":"acct","status":"ACTIVE","currency":"USD","cash":"\#(s.cash)","equity":"\#(s.cash)","buying_power":"\#(s.cash)"}"#)
            case ("POST", "/v2/orders"):
                guard let o = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let symbol = o["symbol"] as? String,
                      let qtyText = o["qty"] as? String, let qty = Double(qtyText), qty > 0, let side = o["side"] as? String,
                      let type = o["type"] as? String, let client = o["client_order_id"] as? String, o["time_in_force"] is String else {
                    return json(422, #"{"code":40010001,"message":"invalid order"}"#)
                }
                if s.byClient[client] != nil { return json(422, #"{"code":40010001,"message":"client_order_id must be unique"}"#) }
                if side == "buy" && qty * s.price > s.cash { return json(403, #"{"code":40310000,"message":"insufficient buying power"}"#) }
                let id = String(format: "%08d-0000-4000-8000-000000000000", s.orders.count + 1)
                var order = Order(id: id, clientOrderID: client, symbol: symbol, side: side, type: type, qty: qty)
                order.limitPrice = (o["limit_price"] as? String).flatMap(Double.init)
                order.timeInForce = o["time_in_force"] as? String ?? "day"

                if type == "market" && fillSteps == 0 { Self.fill(&order, all: true, state: &s) }
                s.put(order)
                s.byClient[client] = id
                return json(200, Self.json(order))
            case ("GET", "/v2/orders:by_client_order_id"):
                guard let client = query["client_order_id"], let id = s.byClient[String(client)], var order = s.orders[id] else {
                    return json(404, #"{"code":40410000,"message":"order not found"}"#)
                }
                order.looks += 1
                if order.rejectOnLook {
                    order.status = "rejected"
                    order.rejectOnLook = false
                } else if order.type == "market", order.status == "accepted" || order.status == "partially_filled" {
                    Self.fill(&order, all: order.looks >= fillSteps, state: &s)
                } else if order.status == "accepted" || order.status == "new" || order.status == "partially_filled" {
                    if order.status == "accepted" { order.status = "new" }
                    if limitFills, order.type == "limit", let limit = order.limitPrice,
                       order.side == "buy" ? s.price <= limit : s.price >= limit {
                        Self.fill(&order, all: true, state: &s)
                    }
                }
                s.put(order)
                return json(200, Self.json(order))
            case ("GET", "/v2/orders"):
                let symbols = query["symbols"].map { $0.split(separator: ",").map(String.init) }
                let open = s.working.compactMap { s.orders[$0] }.filter { symbols?.contains($0.symbol) ?? true }
                return json(200, "[" + open.sorted { $0.id < $1.id }.map(Self.json).joined(separator: ",") + "]")
            case let ("DELETE", p) where p.hasPrefix("/v2/orders/"):
                let id = String(p.dropFirst("/v2/orders/".count))
                guard var order = s.orders[id] else { return json(404, #"{"code":40410000,"message":"order not found"}"#) }
                guard ["accepted", "new", "partially_filled"].contains(order.status) else {
                    return json(422, #"{"code":42210000,"message":"order is not cancelable"}"#)
                }
                order.status = "canceled"
                s.put(order)
                return Response(status: .noContent)
            case let ("PATCH", p) where p.hasPrefix("/v2/orders/"):
                return replace(String(p.dropFirst("/v2/orders/".count)), body: body, state: &s)
            case let ("GET", p) where p.hasPrefix("/v2/positions/"):
                let symbol = String(p.dropFirst("/v2/positions/".count))
                guard let qty = s.positions[symbol], qty != 0 else { return json(404, #"{"code":40410000,"message":"position does not exist"}"#) }
                return json(200, #"{"symbol":"\#(symbol)","qty":"\#(qty)","side":"\#(qty > 0 ? "long" : "short")","avg_entry_price":"\#(s.price)"}"#)
            default:
                return json(404, #"{"message":"not found"}"#)
            }
        }
    }

    /// `PATCH /v2/orders/{id}`, as Alpaca answers it.
    func replace(_ id: String, body: Data, state s: inout State) -> Response {
        guard var old = s.orders[id] else { return json(404, #"{"code":40410000,"message":"order not found"}"#) }
        guard old.status == "new" || old.status == "partially_filled" else {
            return json(422, #"{"code":42210000,"message":"order is not replaceable (status \#(old.status))"}"#)
        }
        guard let o = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return json(422, #"{"code":40010001,"message":"invalid body"}"#) }
        let client = o["client_order_id"] as? String ?? "generated-\(s.orders.count + 1)"
        if s.byClient[client] != nil { return json(422, #"{"code":40010001,"message":"client_order_id must be unique"}"#) }
        let qty = (o["qty"] as? String).flatMap(Double.init) ?? old.qty - old.filledQty
        guard qty > 0 else { return json(422, #"{"code":40010001,"message":"qty must be > 0"}"#) }
        let newID = String(format: "%08d-0000-4000-8000-000000000000", s.orders.count + 1)
        var new = Order(id: newID, clientOrderID: client, symbol: old.symbol, side: old.side, type: old.type, qty: qty)
        new.limitPrice = (o["limit_price"] as? String).flatMap(Double.init) ?? old.limitPrice
        new.timeInForce = o["time_in_force"] as? String ?? old.timeInForce
        new.replaces = old.id
        if race.exchange(false, ordering: .relaxed) {
            // The old order filled before the new one reached the market.
            Self.fill(&old, all: true, state: &s)
            new.rejectOnLook = true
        } else {
            old.status = "replaced"
            old.replacedBy = newID
        }
        s.put(old)
        s.put(new)
        s.byClient[client] = newID
        return json(200, Self.json(new))
    }

    /// Fills half of what is left (or all of it) at the current price.
    static func fill(_ order: inout Order, all: Bool, state s: inout State) {
        let left = order.qty - order.filledQty
        let units = all ? left : (left / 2).rounded(.down) > 0 ? (left / 2).rounded(.down) : left
        let total = order.filledQty + units
        order.filledAvg = order.filledQty == 0 ? s.price : ((order.filledAvg ?? 0) * order.filledQty + s.price * units) / total
        order.filledQty = total
        order.status = total >= order.qty ? "filled" : "partially_filled"
        let sign = order.side == "buy" ? 1.0 : -1.0
        s.positions[order.symbol, default: 0] += sign * units
        s.cash -= sign * units * s.price
    }

    static func json(_ o: Order) -> String {
        let avg = o.filledAvg.map { #""\#($0)""# } ?? "null"
        func text(_ v: String?) -> String { v.map { #""\#($0)""# } ?? "null" }
        return #"{"id":"\#(o.id)","client_order_id":"\#(o.clientOrderID)","symbol":"\#(o.symbol)","asset_class":"us_equity","qty":"\#(o.qty)","filled_qty":"\#(o.filledQty)","filled_avg_price":\#(avg),"order_type":"\#(o.type)","type":"\#(o.type)","side":"\#(o.side)","time_in_force":"\#(o.timeInForce)","limit_price":\#(text(o.limitPrice.map { "\($0)" })),"status":"\#(o.status)","replaces":\#(text(o.replaces)),"replaced_by":\#(text(o.replacedBy))}"#
    }

    func json(_ status: Int, _ text: String) -> Response { jsonResponse(status, text) }
}
