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
    static func alpaca(_ request: PaperRequest) throws(AppError) -> AlpacaTradingClient {
        let env = ProcessInfo.processInfo.environment
        let key = env["APCA_API_KEY_ID"] ?? "", secret = env["APCA_API_SECRET_KEY"] ?? ""
        guard !key.isEmpty, !secret.isEmpty else {
            throw .usage("--broker alpaca needs Alpaca's API keys in the environment, and APCA_API_KEY_ID or APCA_API_SECRET_KEY is not set")
        }
        let url = request.brokerURL ?? (request.live ? AlpacaTradingClient.liveURL : AlpacaTradingClient.paperURL)
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .usage("--broker-url must be an http:// or https:// address, got '\(url)'")
        }
        return AlpacaTradingClient(baseURL: url, key: key, secret: secret)
    }
}
