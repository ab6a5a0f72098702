import Foundation

/// Alpaca's key and secret, sent as headers on every request.
public struct AlpacaKeySigner: RequestSigner {
    let key: String
    let secret: String

    public init(key: String, secret: String) {
        self.key = key
        self.secret = secret
    }

    public func headers(method: String, host: String, path: String) async throws -> [(String, String)] {
        [("APCA-API-KEY-ID", key), ("APCA-API-SECRET-KEY", secret)]
    }
}

/// Alpaca's REST trading API (`/v2/account`, `/v2/orders`, `/v2/positions`) as a
/// `VenueTradingClient`, over one pooled `VenueHTTPClient`. The paper endpoint
/// (`https://paper-api.alpaca.markets`) and the live one speak the same protocol.
public struct AlpacaTradingClient: VenueTradingClient {
    public var venue: String { "alpaca" }
    public let http: VenueHTTPClient<AlpacaKeySigner>

    /// The paper trading endpoint, the default: live trading is asked for by URL.
    public static let paperURL = "https://paper-api.alpaca.markets"
    public static let liveURL = "https://api.alpaca.markets"

    public init(baseURL: String = Self.paperURL, key: String, secret: String, retry: RetryPolicy = RetryPolicy(),
                timeout: Duration = .seconds(10), eventLoop: BotEventLoop? = nil) {
        http = VenueHTTPClient(venue: "alpaca", baseURL: baseURL, signer: AlpacaKeySigner(key: key, secret: secret), retry: retry, timeout: timeout,
                               eventLoop: eventLoop)
    }

    public func health() async throws -> VenueAccount {
        try AlpacaTradingMessage.account(try await http.get("/v2/account") ?? Data())
    }

    public func submit(_ request: VenueOrderRequest) async throws -> VenueOrder {
        do {
            let response = try await http.send("POST", "/v2/orders", body: AlpacaTradingMessage.orderBody(request))
            return try AlpacaTradingMessage.order(response.body)
        } catch let error as VenueHTTPError {
            // Alpaca answers 422 "client_order_id must be unique" to a second order with an id,
            // and 403 or 422 to orders it will not take (buying power, an unknown asset).
            guard let code = error.statusCode, code == 403 || code == 422, case let .status(_, _, _, _, message) = error else { throw error }
            if message.localizedCaseInsensitiveContains("client_order_id") { throw VenueOrderRefusal.duplicate(clientOrderID: request.clientOrderID) }
            throw VenueOrderRefusal.rejected(reason: "alpaca: \(message)")
        }
    }

    public func order(clientOrderID: String) async throws -> VenueOrder? {
        let id = clientOrderID.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_"])) ?? clientOrderID
        guard let data = try await http.get("/v2/orders:by_client_order_id?client_order_id=\(id)", accept: [404]) else { return nil }
        return try AlpacaTradingMessage.order(data)
    }

    public func openOrders(symbol: String) async throws -> [VenueOrder] {
        try AlpacaTradingMessage.orders(try await http.get("/v2/orders?status=open&limit=500&symbols=\(symbol)") ?? Data())
    }

    public func cancel(venueOrderID: String) async throws -> Bool {
        // 204: cancelling; 422: no longer cancelable (filled or done); 404: unknown.
        let response = try await http.send("DELETE", "/v2/orders/\(venueOrderID)", accept: [404, 422])
        return (200..<300).contains(response.status)
    }

    /// `PATCH /v2/orders/{id}`: Alpaca places a new order for the units left, under the
    /// request's client order id, and marks the old one `replaced`. It refuses (422) while the
    /// old order is `accepted` or `pending_*`, and when it has filled or ended.
    public func replace(venueOrderID: String, with request: VenueOrderRequest, filled: Double) async throws -> VenueOrder {
        do {
            let response = try await http.send("PATCH", "/v2/orders/\(venueOrderID)", body: AlpacaTradingMessage.replaceBody(request, filled: filled))
            return try AlpacaTradingMessage.order(response.body)
        } catch let error as VenueHTTPError {
            guard let code = error.statusCode, [403, 404, 422].contains(code), case let .status(_, _, _, _, message) = error else { throw error }
            throw VenueOrderRefusal.rejected(reason: "alpaca: \(message)")
        }
    }

    public func shutdown() async throws { try await http.shutdown() }

    public func position(symbol: String) async throws -> Double {
        guard let data = try await http.get("/v2/positions/\(symbol)", accept: [404]) else { return 0 }
        return try AlpacaTradingMessage.positionQuantity(data)
    }
}
