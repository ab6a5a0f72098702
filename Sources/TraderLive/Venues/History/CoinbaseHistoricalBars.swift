import Foundation
public import TraderCore

/// Coinbase Advanced Trade's public candles endpoint,
/// `/api/v3/brokerage/market/products/{product}/candles`: at most 350 candles a request, so the
/// range is asked for in windows of 350 periods, each answered newest first; within the public
/// endpoints' 10 requests a second. No credentials are needed.
public struct CoinbaseHistoricalBars: HistoricalBarsClient {
    public var venue: String { "coinbase" }
    public let http: VenueHTTPClient<PublicAccess>
    /// Candles asked for per request (Coinbase's maximum: 350).
    public let window: Int

    public static let url = "https://api.coinbase.com"
    /// Coinbase's public endpoints: 10 requests a second.
    public static let rate = (perSecond: 10.0, burst: 10)

    public init(baseURL: String = Self.url, window: Int = 350,
                rate: RequestRateLimiter? = RequestRateLimiter(perSecond: Self.rate.perSecond, burst: Self.rate.burst),
                retry: RetryPolicy = RetryPolicy(attempts: 6)) {
        precondition((1...350).contains(window), "Coinbase answers at most 350 candles a request")
        http = VenueHTTPClient(venue: "coinbase", baseURL: baseURL, signer: PublicAccess(), retry: retry, timeout: .seconds(30), rate: rate)
        self.window = window
    }

    public var statistics: (requests: Int, retries: Int) { http.statistics }
    public func shutdown() async throws { try await http.shutdown() }

    static let granularities: [Int64: String] = [
        60: "ONE_MINUTE", 300: "FIVE_MINUTE", 900: "FIFTEEN_MINUTE", 1800: "THIRTY_MINUTE",
        3600: "ONE_HOUR", 7200: "TWO_HOUR", 21_600: "SIX_HOUR", 86_400: "ONE_DAY",
    ]

    public func unsupported(_ timeframe: Timeframe) -> String? {
        Self.granularities[timeframe.seconds] == nil ? "coinbase has candles of 1m, 5m, 15m, 30m, 1h, 2h, 6h and 1d, not \(timeframe)" : nil
    }

    public func fetch(symbol: String, timeframe: Timeframe, from: Timestamp, through: Timestamp,
                      page: (HistoryPage) async throws -> Void) async throws {
        guard let granularity = Self.granularities[timeframe.seconds] else {
            throw VenueMessageError.malformed(venue: venue, reason: unsupported(timeframe)!)
        }
        let product = symbol.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_"])) ?? symbol
        let step = timeframe.seconds
        // Candles start on multiples of their period: ask from the first start at or after `from`.
        var start = (from.nanos / Timestamp.nanosPerSecond + step - 1) / step * step
        let last = through.nanos / Timestamp.nanosPerSecond
        while start <= last {
            let end = min(start + step * Int64(window - 1), last)
            let path = "/api/v3/brokerage/market/products/\(product)/candles?start=\(start)&end=\(end)&granularity=\(granularity)&limit=\(window)"
            let bars = try Self.candles(try await http.get(path) ?? Data())
            try await page(HistoryPage(bars: bars, through: Timestamp(nanos: end * Timestamp.nanosPerSecond)))
            start = end + step
        }
    }

    /// The candles of one answer (newest first, as Coinbase sends them).
    static func candles(_ data: Data) throws(VenueMessageError) -> [Bar] {
        guard let root = VenueJSON.parse(data) as? [String: Any] else {
            throw .malformed(venue: "coinbase", reason: "candles answer is not a JSON object: \(VenueMessageError.excerpt(data))")
        }
        guard let items = root["candles"] as? [[String: Any]] else {
            if root["candles"] == nil || root["candles"] is NSNull { return [] }
            throw .malformed(venue: "coinbase", reason: "candles is not a list of candles")
        }
        var bars: [Bar] = []
        bars.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            bars.append(try Fields(object: item, venue: "coinbase", path: "candles[\(i)]")
                .bar(time: "start", open: "open", high: "high", low: "low", close: "close", volume: "volume"))
        }
        return bars
    }
}
