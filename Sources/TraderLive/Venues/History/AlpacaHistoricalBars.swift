import Foundation
public import TraderCore

/// Alpaca's market-data REST API for historical bars: `/v2/stocks/{symbol}/bars` for stocks,
/// `/v1beta3/crypto/us/bars?symbols=` for crypto pairs (a symbol with a `/`, `BTC/USD`), paged
/// with `next_page_token`, at most `pageSize` (Alpaca: 10,000) bars a page, within Alpaca's
/// 200 requests a minute.
public struct AlpacaHistoricalBars: HistoricalBarsClient {
    public var venue: String { "alpaca" }
    public let http: VenueHTTPClient<AlpacaKeySigner>
    /// The stocks' data feed asked for: `iex` (every plan) or `sip` (paid plans).
    public let feed: String
    public let pageSize: Int

    public static let url = "https://data.alpaca.markets"
    /// Alpaca's basic plan: 200 requests a minute.
    public static let rate = (perSecond: 200.0 / 60, burst: 10)

    public init(baseURL: String = Self.url, key: String, secret: String, feed: String = "iex", pageSize: Int = 10_000,
                rate: RequestRateLimiter? = RequestRateLimiter(perSecond: Self.rate.perSecond, burst: Self.rate.burst),
                retry: RetryPolicy = RetryPolicy(attempts: 6)) {
        http = VenueHTTPClient(venue: "alpaca", baseURL: baseURL, signer: AlpacaKeySigner(key: key, secret: secret), retry: retry,
                               timeout: .seconds(30), rate: rate)
        self.feed = feed
        self.pageSize = pageSize
    }

    public var statistics: (requests: Int, retries: Int) { http.statistics }
    public func shutdown() async throws { try await http.shutdown() }

    /// Alpaca's name for `timeframe`: `{1-59}Min`, `{1-23}Hour`, `1Day`, `1Week`.
    static func name(_ timeframe: Timeframe) -> String? {
        let s = timeframe.seconds
        if s % 60 == 0, (1...59).contains(s / 60) { return "\(s / 60)Min" }
        if s % 3600 == 0, (1...23).contains(s / 3600) { return "\(s / 3600)Hour" }
        if s == 86_400 { return "1Day" }
        if s == 604_800 { return "1Week" }
        return nil
    }

    public func unsupported(_ timeframe: Timeframe) -> String? {
        Self.name(timeframe) == nil ? "alpaca has bars of 1-59 minutes (1m..59m), 1-23 hours (1h..23h), 1d and 1w, not \(timeframe)" : nil
    }

    public func fetch(symbol: String, timeframe: Timeframe, from: Timestamp, through: Timestamp,
                      page: (HistoryPage) async throws -> Void) async throws {
        guard let frame = Self.name(timeframe) else { throw VenueMessageError.malformed(venue: venue, reason: unsupported(timeframe)!) }
        let crypto = symbol.contains("/")
        let encoded = symbol.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", ".", "_"])) ?? symbol
        var query = "timeframe=\(frame)&start=\(Self.rfc3339(from))&end=\(Self.rfc3339(through))&limit=\(pageSize)&sort=asc"
        let path: String
        if crypto {
            path = "/v1beta3/crypto/us/bars?symbols=\(encoded)&"
        } else {
            path = "/v2/stocks/\(encoded)/bars?"
            query += "&adjustment=raw&feed=\(feed)"
        }
        var token: String?
        repeat {
            let data = try await http.get(path + query + (token.map { "&page_token=\($0)" } ?? "")) ?? Data()
            let (bars, next) = try Self.page(data, symbol: symbol, crypto: crypto)
            token = next
            let reached = next == nil ? through : bars.map(\.timestamp).max() ?? through
            try await page(HistoryPage(bars: bars, through: reached))
        } while token != nil
    }

    /// The bars and the next page's token in one answer.
    static func page(_ data: Data, symbol: String, crypto: Bool) throws(VenueMessageError) -> ([Bar], String?) {
        guard let root = VenueJSON.parse(data) as? [String: Any] else {
            throw .malformed(venue: "alpaca", reason: "bars answer is not a JSON object: \(VenueMessageError.excerpt(data))")
        }
        let list: Any?
        if crypto { list = (root["bars"] as? [String: Any])?[symbol] } else { list = root["bars"] }
        var bars: [Bar] = []
        if let items = list as? [[String: Any]] {
            bars.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                bars.append(try Fields(object: item, venue: "alpaca", path: "bars[\(i)]")
                    .bar(time: "t", open: "o", high: "h", low: "l", close: "c", volume: "v"))
            }
        } else if !(list == nil || list is NSNull) {
            throw .malformed(venue: "alpaca", reason: "bars is not a list of bars")
        }
        let token = root["next_page_token"] as? String
        return (bars, token?.isEmpty == false ? token : nil)
    }

    static func rfc3339(_ t: Timestamp) -> String { t.iso8601(dateOnlyAtMidnight: false) + "Z" }
}
