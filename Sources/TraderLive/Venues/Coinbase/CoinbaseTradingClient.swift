import Foundation
import Synchronization

/// Coinbase Advanced Trade's REST API (`/api/v3/brokerage/...`) as a `VenueTradingClient`, over
/// one pooled `VenueHTTPClient` signing every request with its own JWT (`CoinbaseJWTSigner`).
///
/// Coinbase places no second order under a client order id (it answers with the first), so a
/// submit sent again is safe; lookups go by the venue's order id, remembered from each submit
/// (an order this process never submitted is looked up as not found, and the router's resubmit
/// then returns it).
public struct CoinbaseTradingClient: VenueTradingClient {
    public var venue: String { "coinbase" }
    public let http: VenueHTTPClient<CoinbaseJWTSigner>
    private let known = Known()

    final class Known: Sendable {
        let ids = Mutex<[String: String]>([:])
    }

    public static let url = "https://api.coinbase.com"

    public init(baseURL: String = Self.url, signer: CoinbaseJWTSigner, retry: RetryPolicy = RetryPolicy(), timeout: Duration = .seconds(10),
                eventLoop: BotEventLoop? = nil) {
        http = VenueHTTPClient(venue: "coinbase", baseURL: baseURL, signer: signer, retry: retry, timeout: timeout, eventLoop: eventLoop)
    }

    public func health() async throws -> VenueAccount {
        let balances = try await self.balances()
        return VenueAccount(status: "ACTIVE", cash: balances["USD"] ?? 0, equity: balances["USD"] ?? 0)
    }

    public func submit(_ request: VenueOrderRequest) async throws -> VenueOrder {
        let response = try await http.send("POST", "/api/v3/brokerage/orders", body: try CoinbaseTradingMessage.orderBody(request), accept: [400])
        let id = try CoinbaseTradingMessage.created(response.body)
        known.ids.withLock { $0[request.clientOrderID] = id }
        return try await read(id) ?? VenueOrder(venueOrderID: id, clientOrderID: request.clientOrderID, symbol: request.symbol, side: request.side,
                                                quantity: request.quantity, filledQuantity: 0, averageFillPrice: nil, status: .submitted)
    }

    public func order(clientOrderID: String) async throws -> VenueOrder? {
        guard let id = known.ids.withLock({ $0[clientOrderID] }) else { return nil }
        return try await read(id)
    }

    public func openOrders(symbol: String) async throws -> [VenueOrder] {
        try CoinbaseTradingMessage.orders(try await http.get("/api/v3/brokerage/orders/historical/batch?order_status=OPEN&product_ids=\(symbol)") ?? Data())
    }

    public func cancel(venueOrderID: String) async throws -> Bool {
        let body = try JSONSerialization.data(withJSONObject: ["order_ids": [venueOrderID]])
        let response = try await http.send("POST", "/api/v3/brokerage/orders/batch_cancel", body: body)
        let results = (VenueJSON.parse(response.body) as? [String: Any])?["results"] as? [[String: Any]] ?? []
        return results.first?["success"] as? Bool ?? false
    }

    /// `POST /orders/edit`: Coinbase edits a good-till-cancelled limit or stop-limit order in
    /// place (same order id, same client order id) to a new total size and prices; the order is
    /// then read back. The request's client order id is not used: the order keeps its own.
    public func replace(venueOrderID: String, with request: VenueOrderRequest, filled: Double) async throws -> VenueOrder {
        let body = try CoinbaseTradingMessage.editBody(venueOrderID: venueOrderID, request)
        let response = try await http.send("POST", "/api/v3/brokerage/orders/edit", body: body, accept: [400])
        try CoinbaseTradingMessage.edited(response.body)
        guard let order = try await read(venueOrderID) else { throw VenueOrderRefusal.rejected(reason: "coinbase: order \(venueOrderID) not found") }
        return order
    }

    public func shutdown() async throws { try await http.shutdown() }

    /// The base currency's balance (available plus on hold) of `symbol` (`BTC` of `BTC-USD`).
    public func position(symbol: String) async throws -> Double {
        let base = String(symbol.split(separator: "-").first ?? Substring(symbol))
        return try await balances()[base] ?? 0
    }

    private func read(_ id: String) async throws -> VenueOrder? {
        guard let data = try await http.get("/api/v3/brokerage/orders/historical/\(id)", accept: [404]) else { return nil }
        return try CoinbaseTradingMessage.order(data)
    }

    /// Balances by currency, every page of `/accounts`.
    func balances() async throws -> [String: Double] {
        var out: [String: Double] = [:]
        var cursor = ""
        repeat {
            let data = try await http.get("/api/v3/brokerage/accounts?limit=250" + (cursor.isEmpty ? "" : "&cursor=\(cursor)")) ?? Data()
            let root = try CoinbaseTradingMessage.object(data)
            for (i, a) in (root["accounts"] as? [[String: Any]] ?? []).enumerated() {
                let f = Fields(object: a, venue: "coinbase", path: "accounts[\(i)]")
                let currency = try f.string("currency")
                func amount(_ key: String) throws -> Double {
                    guard let o = a[key] as? [String: Any] else { return 0 }
                    return try Fields(object: o, venue: "coinbase", path: "accounts[\(i)].\(key)").number("value")
                }
                out[currency, default: 0] += try amount("available_balance") + amount("hold")
            }
            cursor = root["has_next"] as? Bool == true ? root["cursor"] as? String ?? "" : ""
        } while !cursor.isEmpty
        return out
    }
}
