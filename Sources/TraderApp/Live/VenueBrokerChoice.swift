import Foundation
public import TraderLive

/// Who fills a bot's orders.
public enum BrokerChoice: String, Sendable, CaseIterable {
    /// The simulated broker's rules on the feed's bars (nothing leaves the process).
    case paper
    /// Alpaca's trading API: its paper endpoint for `paper` and `run --mode paper`, its live one
    /// for `run --mode live`.
    case alpaca
    /// Coinbase Advanced Trade.
    case coinbase
}

/// Builds the venue clients of bots, with the credentials of the environment.
enum VenueClients {
    /// Alpaca's trading client for `request`: `APCA_API_KEY_ID` and `APCA_API_SECRET_KEY`, the
    /// request's `--broker-url`, else the paper or live endpoint.
    static func alpaca(url: String?, live: Bool, eventLoop: BotEventLoop? = nil) throws(AppError) -> AlpacaTradingClient {
        let env = ProcessInfo.processInfo.environment
        let key = env["APCA_API_KEY_ID"] ?? "", secret = env["APCA_API_SECRET_KEY"] ?? ""
        guard !key.isEmpty, !secret.isEmpty else {
            throw .usage("--broker alpaca needs Alpaca's API keys in the environment, and APCA_API_KEY_ID or APCA_API_SECRET_KEY is not set")
        }
        let url = url ?? (live ? AlpacaTradingClient.liveURL : AlpacaTradingClient.paperURL)
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .usage("--broker-url must be an http:// or https:// address, got '\(url)'")
        }
        return AlpacaTradingClient(baseURL: url, key: key, secret: secret, eventLoop: eventLoop)
    }

    /// Coinbase's trading client for `request`: `COINBASE_API_KEY_NAME` and
    /// `COINBASE_API_PRIVATE_KEY` (its EC key in PEM), the request's `--broker-url`, else
    /// Coinbase's API (which has no separate paper endpoint: the keys decide).
    static func coinbase(url: String?, eventLoop: BotEventLoop? = nil) async throws(AppError) -> CoinbaseTradingClient {
        let env = ProcessInfo.processInfo.environment
        let name = env["COINBASE_API_KEY_NAME"] ?? "", pem = env["COINBASE_API_PRIVATE_KEY"] ?? ""
        guard !name.isEmpty, !pem.isEmpty else {
            throw .usage("--broker coinbase needs Coinbase's API key in the environment, and COINBASE_API_KEY_NAME or COINBASE_API_PRIVATE_KEY is not set")
        }
        let url = url ?? CoinbaseTradingClient.url
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .usage("--broker-url must be an http:// or https:// address, got '\(url)'")
        }
        do {
            return CoinbaseTradingClient(baseURL: url, signer: try await CoinbaseJWTSigner(keyName: name, privateKeyPEM: pem), eventLoop: eventLoop)
        } catch {
            throw .usage("COINBASE_API_PRIVATE_KEY is not a P-256 private key in PEM: \(error)")
        }
    }

    /// Whether `broker` answers and takes the environment's credentials: its account, or the
    /// error saying why not. The client is shut down before returning.
    static func check(_ broker: BrokerChoice, url: String?, live: Bool) async throws -> VenueAccount {
        switch broker {
        case .paper:
            return VenueAccount(status: "ACTIVE", cash: 0, equity: 0)
        case .alpaca:
            return try await alpaca(url: url, live: live).using { try await $0.health() }
        case .coinbase:
            return try await coinbase(url: url).using { try await $0.health() }
        }
    }
}
