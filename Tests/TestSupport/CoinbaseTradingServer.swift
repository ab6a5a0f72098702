import Foundation
import Hummingbird
import JWTKit
import NIOCore
import Synchronization

/// A local server speaking the subset of Coinbase Advanced Trade's REST API the adapter uses
/// (`/api/v3/brokerage/accounts`, `/orders`, `/orders/historical/{id}`,
/// `/orders/historical/batch`, `/orders/batch_cancel`, `/orders/edit`), with Coinbase's JSON shapes and its
/// request signing checked on every request: an ES256 JWT whose signature verifies with the key's
/// public half, whose `kid` and `sub` are the key's name, `iss` is `cdp`, `uri` is this very
/// request, within its validity, and whose `nonce` was never seen before (a replayed token is
/// refused). Faults are injected per request (`VenueFault`).
///
/// Market orders fill at `price` over `fillSteps` looks (0: when placed), paying `feeRate` of
/// the notional; a second order under one client order id is not placed, the first is returned.
/// With `limitFills`, a limit order fills whole at a look where the price reaches it. An edit
/// changes an open limit order's size and price in place, as Coinbase's does.
public final class CoinbaseTradingServer: Sendable {
    public let keyName = "organizations/test-org/apiKeys/test-key"
    /// The key's private half, in PEM as Coinbase issues it: what the client signs with.
    public let privateKeyPEM: String
    private let keys: JWTKeyCollection
    private let faults = FaultInjector()
    public let fillSteps: Int
    public let feeRate = 0.006

    public struct Order: Sendable {
        public var id: String
        public var clientOrderID: String
        public var product: String
        public var side: String
        public var size: Double
        public var filled = 0.0
        public var average: Double?
        public var fees = 0.0
        public var status = "OPEN"
        public var market: Bool
        public var limitPrice: Double?
        var looks = 0
    }

    struct State {
        var orders: [String: Order] = [:]
        var byClient: [String: String] = [:]
        var balances: [String: Double]
        var nonces: Set<String> = []
        var log: [String] = []
        var refused: [String] = []
        var price: Double
    }

    private let state: Mutex<State>

    /// Whether a limit order fills whole at a look where the price reaches it.
    public let limitFills: Bool

    public init(price: Double = 30_000, usd: Double = 1_000_000, fillSteps: Int = 1, limitFills: Bool = false) async throws {
        self.limitFills = limitFills
        let key = ES256PrivateKey()
        privateKeyPEM = key.pemRepresentation
        keys = JWTKeyCollection()
        await keys.add(ecdsa: key.publicKey, kid: JWKIdentifier(string: keyName))
        state = Mutex(State(balances: ["USD": usd], price: price))
        self.fillSteps = fillSteps
    }

    public func inject(_ fault: VenueFault, method: String, path: String) { faults.inject(fault, method: method, path: path) }
    public func setPrice(_ price: Double) { state.withLock { $0.price = price } }
    public func setBalance(_ currency: String, _ amount: Double) { state.withLock { $0.balances[currency] = amount } }
    public var log: [String] { state.withLock { $0.log } }
    /// Why requests were refused as unauthenticated.
    public var refused: [String] { state.withLock { $0.refused } }
    public var orders: [Order] { state.withLock { Array($0.orders.values) }.sorted { $0.id < $1.id } }
    public func balance(_ currency: String) -> Double { state.withLock { $0.balances[currency] ?? 0 } }

    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await faults.serve(label: "coinbase-trading-test-server", { request in try await self.respond(request) }, body)
    }

    func respond(_ request: Request) async throws -> Response {
        let method = request.method.rawValue, path = request.uri.path
        state.withLock { $0.log.append("\(method) \(path)") }
        let fault = faults.take(method: method, path: path)
        if let answer = await faults.answer(fault) { return answer }
        if let why = await unauthenticated(request, method: method, path: path) {
            state.withLock { $0.refused.append(why) }
            return jsonResponse(401, #"{"error":"UNAUTHENTICATED","message":"\#(why)"}"#)
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        let answer = handle(method, path, query: request.uri.queryParameters, body: Data(buffer: body))
        if case .lostAnswer? = fault { return jsonResponse(500, #"{"error":"INTERNAL","message":"internal error"}"#) }
        return answer
    }

    /// Why the request's JWT does not authenticate it (nil when it does).
    func unauthenticated(_ request: Request, method: String, path: String) async -> String? {
        guard let auth = request.headers.first(where: { $0.name.canonicalName == "authorization" })?.value, auth.hasPrefix("Bearer ") else {
            return "no bearer token"
        }
        let token = String(auth.dropFirst(7))
        let claims: CoinbaseClaims
        do { claims = try await keys.verify(token, as: CoinbaseClaims.self) } catch { return "token refused: \(error)" }
        let parts = token.split(separator: ".")
        guard let header = Data(base64URL: String(parts[0])), let fields = try? JSONSerialization.jsonObject(with: header) as? [String: Any],
              fields["kid"] as? String == keyName, fields["alg"] as? String == "ES256", let nonce = fields["nonce"] as? String, !nonce.isEmpty else {
            return "header must carry alg ES256, kid the key name and a nonce"
        }
        guard claims.sub == keyName else { return "sub must be the key name" }
        guard claims.uri == "\(method) 127.0.0.1\(path)" else { return "uri claim '\(claims.uri)' is not this request" }
        return state.withLock { $0.nonces.insert(nonce).inserted } ? nil : "nonce reused"
    }

    struct CoinbaseClaims: JWTPayload {
        var sub: String
        var iss: IssuerClaim
        var nbf: NotBeforeClaim
        var exp: ExpirationClaim
        var uri: String

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
            try nbf.verifyNotBefore(currentDate: Date().addingTimeInterval(5))
            guard iss.value == "cdp" else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer must be cdp") }
            guard exp.value.timeIntervalSince(nbf.value) <= 120 else { throw JWTError.claimVerificationFailure(failedClaim: exp, reason: "lives over 2 minutes") }
        }
    }

    func handle(_ method: String, _ path: String, query: Parameters, body: Data) -> Response {
        state.withLock { s in
            let base = "/api/v3/brokerage"
            switch (method, path) {
            case ("GET", base + "/accounts"):
                // One account per page, to make the client follow cursors.
                let currencies = s.balances.keys.sorted()
                let at = query["cursor"].flatMap { Int(String($0)) } ?? 0
                guard at < currencies.count else { return jsonResponse(200, #"{"accounts":[],"has_next":false,"cursor":"","size":0}"#) }
                let c = currencies[at], more = at + 1 < currencies.count
                return jsonResponse(200, #"{"accounts":[{"uuid":"acct-\#(c)","name":"\#(c) Wallet","currency":"\#(c)","available_balance":{"value":"\#(s.balances[c]!)","currency":"\#(c)"},"hold":{"value":"0","currency":"\#(c)"},"active":true}],"has_next":\#(more),"cursor":"\#(more ? String(at + 1) : "")","size":1}"#)
            case ("POST", base + "/orders"):
                guard let o = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let client = o["client_order_id"] as? String,
                      let product = o["product_id"] as? String, let side = o["side"] as? String, side == "BUY" || side == "SELL",
                      let configuration = o["order_configuration"] as? [String: Any], let (kind, terms) = configuration.first,
                      let terms = terms as? [String: Any], let sizeText = terms["base_size"] as? String, let size = Double(sizeText), size > 0 else {
                    return jsonResponse(400, #"{"error":"INVALID_ARGUMENT","message":"invalid order"}"#)
                }
                if let id = s.byClient[client] { return jsonResponse(200, Self.created(s.orders[id]!)) }
                if side == "BUY" && size * s.price * (1 + feeRate) > s.balances["USD", default: 0] {
                    return jsonResponse(200, #"{"success":false,"failure_reason":"UNKNOWN_FAILURE_REASON","order_id":"","error_response":{"error":"INSUFFICIENT_FUND","message":"Insufficient balance in source account","error_details":"","preview_failure_reason":"PREVIEW_INSUFFICIENT_FUND"}}"#)
                }
                let id = String(format: "cb-%06d", s.orders.count + 1)
                var order = Order(id: id, clientOrderID: client, product: product, side: side, size: size, market: kind == "market_market_ioc")
                order.limitPrice = (terms["limit_price"] as? String).flatMap(Double.init)
                if order.market && fillSteps == 0 { fill(&order, all: true, state: &s) }
                s.orders[id] = order
                s.byClient[client] = id
                return jsonResponse(200, Self.created(order))
            case ("GET", base + "/orders/historical/batch"):
                let products = query["product_ids"].map { [String($0)] }
                let open = s.orders.values.filter { $0.status == "OPEN" && (products?.contains($0.product) ?? true) }
                return jsonResponse(200, #"{"orders":[\#(open.sorted { $0.id < $1.id }.map(Self.json).joined(separator: ","))],"has_next":false,"cursor":""}"#)
            case let ("GET", p) where p.hasPrefix(base + "/orders/historical/"):
                let id = String(p.dropFirst((base + "/orders/historical/").count))
                guard var order = s.orders[id] else { return jsonResponse(404, #"{"error":"NOT_FOUND","message":"order not found"}"#) }
                order.looks += 1
                if order.market && order.status == "OPEN" { fill(&order, all: order.looks >= fillSteps, state: &s) }
                if limitFills, !order.market, order.status == "OPEN", let limit = order.limitPrice, order.side == "BUY" ? s.price <= limit : s.price >= limit {
                    fill(&order, all: true, state: &s)
                }
                s.orders[id] = order
                return jsonResponse(200, #"{"order":\#(Self.json(order))}"#)
            case ("POST", base + "/orders/edit"):
                // Coinbase edits open good-till-cancelled limit orders: a new total size (above
                // what filled) and price.
                guard let o = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let id = o["order_id"] as? String else {
                    return jsonResponse(400, #"{"error":"INVALID_ARGUMENT","message":"order_id"}"#)
                }
                func refused(_ why: String) -> Response { jsonResponse(200, #"{"success":false,"errors":[{"edit_failure_reason":"\#(why)","preview_failure_reason":"UNKNOWN_PREVIEW_FAILURE_REASON"}]}"#) }
                guard var order = s.orders[id] else { return refused("EDIT_FAILURE_REASON_ORDER_NOT_FOUND") }
                guard order.status == "OPEN", !order.market else { return refused("EDIT_FAILURE_REASON_ORDER_NOT_OPEN") }
                if let size = (o["size"] as? String).flatMap(Double.init) {
                    guard size > order.filled else { return refused("EDIT_FAILURE_REASON_SIZE_BELOW_FILLED_SIZE") }
                    order.size = size
                }
                if let price = (o["price"] as? String).flatMap(Double.init) { order.limitPrice = price }
                s.orders[id] = order
                return jsonResponse(200, #"{"success":true,"errors":[]}"#)
            case ("POST", base + "/orders/batch_cancel"):
                guard let o = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let ids = o["order_ids"] as? [String] else {
                    return jsonResponse(400, #"{"error":"INVALID_ARGUMENT","message":"order_ids"}"#)
                }
                let results = ids.map { id -> String in
                    guard var order = s.orders[id], order.status == "OPEN" else {
                        return #"{"success":false,"failure_reason":"UNKNOWN_CANCEL_ORDER","order_id":"\#(id)"}"#
                    }
                    order.status = "CANCELLED"
                    s.orders[id] = order
                    return #"{"success":true,"failure_reason":"UNKNOWN_CANCEL_FAILURE_REASON","order_id":"\#(id)"}"#
                }
                return jsonResponse(200, #"{"results":[\#(results.joined(separator: ","))]}"#)
            default:
                return jsonResponse(404, #"{"error":"NOT_FOUND","message":"no route"}"#)
            }
        }
    }

    /// Fills half of what is left (or all of it) at the current price, fees in USD.
    func fill(_ order: inout Order, all: Bool, state s: inout State) {
        let left = order.size - order.filled
        let units = all ? left : left / 2
        let total = order.filled + units
        order.average = order.filled == 0 ? s.price : ((order.average ?? 0) * order.filled + s.price * units) / total
        order.filled = total
        order.fees += units * s.price * feeRate
        if total >= order.size { order.status = "FILLED" }
        let sign = order.side == "BUY" ? 1.0 : -1.0
        let base = String(order.product.split(separator: "-")[0])
        s.balances[base, default: 0] += sign * units
        s.balances["USD", default: 0] -= sign * units * s.price + units * s.price * feeRate
    }

    static func created(_ o: Order) -> String {
        #"{"success":true,"failure_reason":"UNKNOWN_FAILURE_REASON","order_id":"\#(o.id)","success_response":{"order_id":"\#(o.id)","product_id":"\#(o.product)","side":"\#(o.side)","client_order_id":"\#(o.clientOrderID)"}}"#
    }

    static func json(_ o: Order) -> String {
        let average = o.average.map { #""\#($0)""# } ?? #""0""#
        let configuration = o.market ? #"{"market_market_ioc":{"base_size":"\#(o.size)"}}"# : #"{"limit_limit_gtc":{"base_size":"\#(o.size)","limit_price":"\#(o.limitPrice ?? 1)","post_only":false}}"#
        return #"{"order_id":"\#(o.id)","product_id":"\#(o.product)","user_id":"u","order_configuration":\#(configuration),"side":"\#(o.side)","client_order_id":"\#(o.clientOrderID)","status":"\#(o.status)","time_in_force":"IMMEDIATE_OR_CANCEL","created_time":"2024-01-01T00:00:00Z","completion_percentage":"0","filled_size":"\#(o.filled)","average_filled_price":\#(average),"fee":"","number_of_fills":"0","filled_value":"0","pending_cancel":false,"size_in_quote":false,"total_fees":"\#(o.fees)","size_inclusive_of_fees":false,"total_value_after_fees":"0","trigger_status":"INVALID_ORDER_TYPE","order_type":"\#(o.market ? "MARKET" : "LIMIT")","reject_reason":"","settled":false,"product_type":"SPOT","reject_message":"","cancel_message":""}"#
    }
}

extension Data {
    /// Base64url without padding, as JWTs are encoded.
    init?(base64URL text: String) {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        self.init(base64Encoded: s)
    }
}
