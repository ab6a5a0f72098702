import Foundation
import Testing
import TestSupport
import TraderCore
import TraderData
@testable import TraderLive

/// The venues' historical-bars adapters against a local server speaking their REST endpoints
/// (`HistoricalBarsServer`): paging, windows, rate limits, retries and refusals.
@Suite struct HistoricalBarsTests {
    static func bars(_ n: Int, _ timeframe: Timeframe = .minute1, symbol: String = "X", seed: UInt64 = 7) throws -> [Bar] {
        let series = try SyntheticBars.generate(symbol: symbol, bars: n, seed: seed, start: Timestamp(nanos: 1_704_067_200 * Timestamp.nanosPerSecond),
                                                timeframe: timeframe)
        return (0..<series.count).map { series[$0] }
    }

    static let fast = RetryPolicy(attempts: 4, initial: .milliseconds(10))

    @Test func theTokenBucketLetsABurstThroughThenSpacesRequestsAtItsRate() {
        var bucket = TokenBucket(perSecond: 2, burst: 3)
        #expect((0..<3).map { _ in bucket.take(at: .zero) } == [.zero, .zero, .zero])
        // Each request beyond the burst waits half a second more than the one before it.
        #expect(bucket.take(at: .zero) == .milliseconds(500))
        #expect(bucket.take(at: .zero) == .seconds(1))
        // Two seconds on, the two reserved tokens are paid back and the rest refills.
        #expect(bucket.take(at: .seconds(2)) == .zero)
        #expect(bucket.take(at: .seconds(2)) == .zero)
        #expect(bucket.take(at: .seconds(2)) == .milliseconds(500))
    }

    @Test func alpacaPagesThroughEveryBarWithItsPageToken() async throws {
        let source = try Self.bars(2_500)
        let server = HistoricalBarsServer(bars: ["AAPL": source], pageSize: 1_000)
        let got = try await server.serve { port in
            try await AlpacaHistoricalBars(baseURL: "http://127.0.0.1:\(port)", key: server.key, secret: server.secret, rate: nil, retry: Self.fast)
                .using { try await $0.bars(symbol: "AAPL", timeframe: .minute1, from: source[0].timestamp, through: source.last!.timestamp) }
        }
        #expect(barDifference(got, source) == nil)
        let log = server.log
        #expect(log.count == 3, "2,500 bars in pages of 1,000")
        #expect(log.allSatisfy { $0.path == "/v2/stocks/AAPL/bars" && $0.query["timeframe"] == "1Min" && $0.query["feed"] == "iex"
                                 && $0.query["adjustment"] == "raw" })
        #expect(log.map { $0.query["page_token"] == nil } == [true, false, false])
    }

    @Test func alpacaCryptoPairsComeFromTheCryptoEndpoint() async throws {
        let source = try Self.bars(300, .hour1)
        let server = HistoricalBarsServer(bars: ["BTC/USD": source], pageSize: 100)
        let got = try await server.serve { port in
            try await AlpacaHistoricalBars(baseURL: "http://127.0.0.1:\(port)", key: server.key, secret: server.secret, rate: nil, retry: Self.fast)
                .using { try await $0.bars(symbol: "BTC/USD", timeframe: .hour1, from: source[0].timestamp, through: source.last!.timestamp) }
        }
        #expect(barDifference(got, source) == nil)
        #expect(server.log.allSatisfy { $0.path == "/v1beta3/crypto/us/bars" && $0.query["symbols"] == "BTC/USD" && $0.query["timeframe"] == "1Hour" })
    }

    @Test func coinbaseAsksInWindowsOfAtMost350Candles() async throws {
        let source = try Self.bars(1_000)
        let server = HistoricalBarsServer(bars: ["BTC-USD": source])
        let pages = try await server.serve { port in
            try await CoinbaseHistoricalBars(baseURL: "http://127.0.0.1:\(port)", rate: nil, retry: Self.fast).using { client in
                var pages: [HistoryPage] = []
                try await client.fetch(symbol: "BTC-USD", timeframe: .minute1, from: source[0].timestamp, through: source.last!.timestamp) { pages.append($0) }
                return pages
            }
        }
        // The server refuses a window over 350 candles, so three answers mean three good windows.
        #expect(pages.count == 3)
        #expect(pages.map(\.bars.count) == [350, 350, 300])
        #expect(pages[0].bars.first!.timestamp > pages[0].bars.last!.timestamp, "Coinbase answers newest first")
        #expect(barDifference(pages.flatMap(\.bars).sorted { $0.timestamp < $1.timestamp }, source) == nil)
        #expect(pages.last!.through == source.last!.timestamp)
        #expect(server.log.allSatisfy { $0.query["granularity"] == "ONE_MINUTE" })
    }

    @Test func aRateLimitAndServerErrorsAreRetriedWithoutLosingAPage() async throws {
        let source = try Self.bars(500)
        let server = HistoricalBarsServer(bars: ["ETH-USD": source])
        server.inject(.status(429, retryAfter: 0), path: "/api/v3/brokerage/market/products/ETH-USD/candles")
        server.inject(.status(503), path: "/api/v3/brokerage/market/products/ETH-USD/candles")
        let (got, retries) = try await server.serve { port in
            try await CoinbaseHistoricalBars(baseURL: "http://127.0.0.1:\(port)", rate: nil, retry: Self.fast).using { client in
                (try await client.bars(symbol: "ETH-USD", timeframe: .minute1, from: source[0].timestamp, through: source.last!.timestamp),
                 client.statistics.retries)
            }
        }
        #expect(barDifference(got, source) == nil)
        #expect(retries == 2)
        #expect(server.log.count == 4, "two windows, two of the requests tried twice")
    }

    @Test func theRateLimiterHoldsRequestsToTheVenuesPace() async throws {
        // 20 requests a second with a burst of 1: 6 windows need 5 waits of 50 ms, so at least
        // 250 ms; measured only as a lower bound, which a slow machine cannot break.
        let source = try Self.bars(6 * 350)
        let server = HistoricalBarsServer(bars: ["SOL-USD": source])
        let started = ContinuousClock.now
        let got = try await server.serve { port in
            try await CoinbaseHistoricalBars(baseURL: "http://127.0.0.1:\(port)", rate: RequestRateLimiter(perSecond: 20, burst: 1), retry: Self.fast)
                .using { try await $0.bars(symbol: "SOL-USD", timeframe: .minute1, from: source[0].timestamp, through: source.last!.timestamp) }
        }
        #expect(got.count == source.count)
        #expect(ContinuousClock.now - started >= .milliseconds(250))
    }

    @Test func refusalsAndBadBarsNameTheVenueAndTheField() async throws {
        var bad = try Self.bars(10)
        bad[3].high = bad[3].low / 2
        let source = bad
        let server = HistoricalBarsServer(bars: ["AAPL": source])
        try await server.serve { port in
            let wrongKey = AlpacaHistoricalBars(baseURL: "http://127.0.0.1:\(port)", key: server.key, secret: "nope", rate: nil, retry: Self.fast)
            await #expect { try await wrongKey.using { try await $0.bars(symbol: "AAPL", timeframe: .minute1, from: source[0].timestamp, through: source[9].timestamp) } }
                throws: { "\($0)".contains("alpaca") && "\($0)".contains("not authorized") }
            let client = AlpacaHistoricalBars(baseURL: "http://127.0.0.1:\(port)", key: server.key, secret: server.secret, rate: nil, retry: Self.fast)
            await #expect { try await client.using { try await $0.bars(symbol: "AAPL", timeframe: .minute1, from: source[0].timestamp, through: source[9].timestamp) } }
                throws: { "\($0)" .contains("alpaca: bars[3]") && "\($0)".contains("high") }
        }
        let coinbase = CoinbaseHistoricalBars(rate: nil)
        #expect(coinbase.unsupported(.hour4)?.contains("1m, 5m, 15m, 30m, 1h, 2h, 6h and 1d") == true)
        #expect(coinbase.unsupported(.hour1) == nil)
        try await coinbase.shutdown()
        #expect(AlpacaHistoricalBars.name(.minute15) == "15Min" && AlpacaHistoricalBars.name(.hour4) == "4Hour" && AlpacaHistoricalBars.name(.day1) == "1Day")
        #expect(AlpacaHistoricalBars.name(try Timeframe(parsing: "90m")) == nil)
    }
}
