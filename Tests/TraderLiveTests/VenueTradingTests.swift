import Foundation
import JWTKit
import Testing
import TestSupport
import TraderCore
import TraderData
import TraderEngine
import TraderStore
import TraderStrategies
@testable import TraderLive

/// The venue trading path against a local server speaking Alpaca's trading API
/// (`AlpacaTradingServer`): the pooled client's retries and timeouts, the router's idempotent
/// submits, reconciliation, and a whole session whose orders the venue fills.
@Suite struct VenueTradingTests {
    static func client(_ server: AlpacaTradingServer, port: Int, retry: RetryPolicy = RetryPolicy(attempts: 3, initial: .milliseconds(10)),
                       timeout: Duration = .seconds(30), secret: String? = nil) -> AlpacaTradingClient {
        AlpacaTradingClient(baseURL: "http://127.0.0.1:\(port)", key: server.key, secret: secret ?? server.secret, retry: retry, timeout: timeout)
    }

    /// Runs `body` with a client of `server`, and shuts the client's pool down however `body` ends.
    static func with<T: Sendable>(_ server: AlpacaTradingServer, port: Int, retry: RetryPolicy = RetryPolicy(attempts: 3, initial: .milliseconds(10)),
                                  timeout: Duration = .seconds(30), secret: String? = nil,
                                  _ body: (AlpacaTradingClient) async throws -> T) async throws -> T {
        try await Self.client(server, port: port, retry: retry, timeout: timeout, secret: secret).using(body)
    }

    static func count(_ log: [String], _ request: String) -> Int { log.filter { $0 == request }.count }

    @Test func aRateLimitIsRetriedAfterTheVenuesRetryAfter() async throws {
        let server = AlpacaTradingServer()
        server.inject(.status(429, retryAfter: 1), method: "GET", path: "/v2/account")
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                let start = ContinuousClock.now
                let account = try await client.health()
                let waited = ContinuousClock.now - start
                #expect(account.status == "ACTIVE")
                #expect(Self.count(server.log, "GET /v2/account") == 2)
                #expect(client.http.statistics.retries == 1)
                // The venue asked for a second; the policy's own backoff is 10 ms.
                #expect(waited >= .milliseconds(950), "waited \(waited)")
            }
        }
    }

    @Test func serverErrorsAreRetriedUpToThePolicyThenReported() async throws {
        let server = AlpacaTradingServer()
        for _ in 0..<3 { server.inject(.status(503), method: "GET", path: "/v2/account") }
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                await #expect(throws: VenueHTTPError.status(venue: "alpaca", method: "GET", path: "/v2/account", code: 503, message: "injected 503")) {
                    try await client.health()
            }
            #expect(Self.count(server.log, "GET /v2/account") == 3)
            // A fourth request gets through.
            let status = try await client.health().status
            #expect(status == "ACTIVE")
            }
        }
    }

    @Test func aHangingVenueTimesOutAndTheRequestIsTriedAgain() async throws {
        let server = AlpacaTradingServer()
        server.inject(.hang, method: "GET", path: "/v2/account")
        try await server.serve { port in
            try await Self.with(server, port: port, timeout: .seconds(2)) { client in
                let status = try await client.health().status
                #expect(status == "ACTIVE")
                #expect(Self.count(server.log, "GET /v2/account") == 2)
            }
        }
    }

    @Test func refusedCredentialsAreNotRetried() async throws {
        let server = AlpacaTradingServer()
        try await server.serve { port in
            try await Self.with(server, port: port, secret: "wrong") { client in
                await #expect(throws: VenueHTTPError.unauthorized(venue: "alpaca", message: "request is not authorized")) { try await client.health() }
                #expect(server.log.count == 1)
            }
        }
    }

    static func marketBuy(_ identity: OrderIdentity, id: Int, units: Double) -> VenueLink.Command {
        .submit(kernelID: id, VenueOrderRequest(clientOrderID: identity.clientOrderID(id), symbol: "SPY", side: .buy, quantity: units,
                                                 kind: .market, timeInForce: .day))
    }

    @Test func aLostAcknowledgementDoesNotPlaceASecondOrder() async throws {
        let server = AlpacaTradingServer(price: 412.5)
        // The venue places the order and the answer is lost: the client retries the POST, the
        // venue refuses the client order id it has, and the router takes the order it placed.
        server.inject(.lostAnswer, method: "POST", path: "/v2/orders")
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                let (identity, link, router) = venueRouter(client, bot: "idem", session: 1, symbol: "SPY")
                link.send(Self.marketBuy(identity, id: 1, units: 10))
                try await router.sync()
                #expect(server.orders.count == 1)
                #expect(server.orders.first?.clientOrderID == identity.clientOrderID(1))
                #expect(Self.count(server.log, "POST /v2/orders") == 2)
                let reports = link.takeReports().map(\.report)
                #expect(reports.contains(.fill(executionID: "\(server.orders[0].id)/10", quantity: 10, price: 412.5, commission: 0)))
                #expect(server.position("SPY") == 10)
            }
        }
    }

    @Test func anUnconfirmedSubmitIsLookedUpAndSentOnlyWhenTheVenueHasNone() async throws {
        let server = AlpacaTradingServer(price: 50)
        for _ in 0..<2 { server.inject(.status(503), method: "POST", path: "/v2/orders") }
        try await server.serve { port in
            try await Self.with(server, port: port, retry: RetryPolicy(attempts: 2, initial: .milliseconds(5))) { client in
                let (identity, link, router) = venueRouter(client, bot: "unconfirmed", session: 2, symbol: "SPY")
                link.send(Self.marketBuy(identity, id: 7, units: 3))
                // Both tries fail; the router then asks the venue, which has no such order, and
                // sends it again: placed once.
                let notes = try await router.sync()
                #expect(notes.contains { $0.code == "venue" && $0.message.contains("unconfirmed") })
                #expect(server.orders.count == 1)
                #expect(Self.count(server.log, "POST /v2/orders") == 3)
                #expect(Self.count(server.log, "GET /v2/orders:by_client_order_id") >= 1)
                // Later looks find it and send nothing.
                try await router.sync()
                #expect(server.orders.count == 1)
                #expect(Self.count(server.log, "POST /v2/orders") == 3)
                let open = await router.openOrders
                #expect(open == 0)
                #expect(server.position("SPY") == 3)
            }
        }
    }

    @Test func partialFillsArriveAsTheirOwnReportsPricedToTheVenuesAverage() async throws {
        let server = AlpacaTradingServer(price: 10, fillSteps: 2)
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                let (identity, link, router) = venueRouter(client, bot: "partial", session: 3, symbol: "SPY")
                link.send(Self.marketBuy(identity, id: 1, units: 9))
                try await router.sync()
                server.setPrice(12)
                try await router.sync()
                let fills = reportedFills(link).map { ($0.units, $0.price) }
                #expect(fills.count == 2)
                #expect(fills.map(\.0) == [4, 5])
                #expect(fills[0].1 == 10 && abs(fills[1].1 - 12) < 1e-9)
            }
        }
    }

    @Test func aRefusedOrderIsBookedAsRejected() async throws {
        let server = AlpacaTradingServer(price: 100, cash: 500)
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                let (identity, link, router) = venueRouter(client, bot: "refused", session: 4, symbol: "SPY")
                link.send(Self.marketBuy(identity, id: 1, units: 10))
                try await router.sync()
                #expect(link.takeReports().map(\.report).contains(.rejected(reason: "alpaca: insufficient buying power")))
                #expect(server.orders.isEmpty)
            }
        }
    }

    /// A replay feed that moves the venue's price to each bar's close before delivering it.
    struct PricedReplay: MarketFeed {
        var replay: ReplayFeed
        let server: any PricedVenue
        var symbol: String { replay.symbol }
        var timeframe: Timeframe { replay.timeframe }
        mutating func next() async throws -> FeedEvent? {
            let event = try await replay.next()
            if case let .bar(bar)? = event { server.setPrice(bar.close) }
            return event
        }
    }

    @Test(arguments: ["sma-crossover", "mean-reversion"])
    func aVenueSessionTradesTheFillAtCloseBacktestAtTheVenue(strategy: String) async throws {
        let bars = try PaperParityTests.sample("GOOG")
        var atClose = ExecutionSettings()
        atClose.fill = .close
        let settings = atClose
        let spec = try StrategySpec(name: strategy)
        let backtest = try Backtester.run(spec, on: bars, settings: settings)
        #expect(backtest.trades.count > 5)
        let server = AlpacaTradingServer(price: bars.close[0], cash: 1e9)
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                let venue = VenueTrading(client: client, symbol: "GOOG", identity: OrderIdentity(bot: "venue", session: 5))
                let session = PaperSession(bot: "venue", strategy: spec, settings: settings, venue: venue)
                let outcome = try await session.run(PricedReplay(replay: ReplayFeed(series: bars), server: server))
                let result = outcome.result
                // The venue fills at the close that decided each order, as the backtest does; the
                // fill is booked when the next bar comes, so only the bar numbers differ.
                func terms(_ t: Trade) -> [Double] { [t.size, t.entryPrice, t.exitPrice, t.pnl] }
                #expect(result.trades.map(terms) == backtest.trades.map(terms))
                #expect(result.trades.map(\.entryBar) == backtest.trades.map { $0.entryBar + 1 })
                #expect(result.equity == backtest.equity)
                #expect(server.position("GOOG") == result.openTrades.reduce(0) { $0 + $1.size })
                #expect(server.orders.count == backtest.fills)
                #expect(server.orders.allSatisfy { $0.status == "filled" })
            }
        }
    }

    @Test func reconciliationCancelsTheSessionsUnknownOrdersAndHaltsOnAPositionItDoesNotBook() async throws {
        let bars = try PaperParityTests.sample("GOOG")
        let identity = OrderIdentity(bot: "reconcile", session: 6)
        let server = AlpacaTradingServer(price: bars.close[0], cash: 1e9)
        // Left by an earlier life of this session, and by someone else.
        server.placeOutside(clientOrderID: identity.clientOrderID(999), symbol: "GOOG", qty: 1)
        server.placeOutside(clientOrderID: "manual-order", symbol: "GOOG", qty: 2)
        server.setPosition("GOOG", 5)
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                let bus = EventBus(bufferSize: 100_000)  // read after the session: keeps every event
                let events = bus.subscribe()
                let session = PaperSession(bot: "reconcile", strategy: try StrategySpec(name: "sma-crossover"), settings: ExecutionSettings(),
                                           bus: bus, venue: VenueTrading(client: client, symbol: "GOOG", identity: identity))
                let outcome = try await session.run(PricedReplay(replay: ReplayFeed(series: bars), server: server))
                bus.finish()
                var seen: [SystemEvent] = []
                for await case let .system(_, event) in events where event.code == "reconcile" { seen.append(event) }
                #expect(seen.contains { $0.level == .warning && $0.message.contains(identity.clientOrderID(999)) && $0.message.hasPrefix("cancelled") },
                    "\(seen)")
                #expect(seen.contains { $0.message.contains("manual-order") && $0.message.contains("left alone") })
                #expect(seen.contains { $0.level == .error && $0.message.contains("holds 5.0 GOOG, the books 0.0") })
                // Reported once, not at every periodic comparison.
                #expect(seen.count == 3, "\(seen)")
                #expect(server.orders.first { $0.clientOrderID == identity.clientOrderID(999) }?.status == "canceled")
                #expect(server.orders.first { $0.clientOrderID == "manual-order" }?.status == "accepted")
                // Entries halted from the first bar: no order of the strategy reached the venue.
                #expect(outcome.result.trades.isEmpty)
                #expect(server.orders.count == 2)
            }
        }
    }
}

/// A router for `client` with its link and the session's ids.
func venueRouter<C: VenueTradingClient>(_ client: C, bot: String, session: Int64, symbol: String) -> (OrderIdentity, VenueLink, OrderRouter<C>) {
    let identity = OrderIdentity(bot: bot, session: session)
    let link = VenueLink()
    return (identity, link, OrderRouter(client: client, link: link, symbol: symbol, identity: identity))
}

/// The fills among the reports waiting in `link` (taken).
func reportedFills(_ link: VenueLink) -> [(units: Double, price: Double, fee: Double)] {
    link.takeReports().compactMap { r in
        if case let .fill(_, units, price, fee) = r.report { return (units, price, fee) }
        return nil
    }
}

/// A local venue whose fill price a test moves.
protocol PricedVenue: Sendable { func setPrice(_ price: Double) }
extension AlpacaTradingServer: PricedVenue {}
extension CoinbaseTradingServer: PricedVenue {}

/// Coinbase Advanced Trade's REST API, each request signed with its own ES256 JWT, against a
/// local server that verifies the signatures (`CoinbaseTradingServer`).
@Suite struct CoinbaseTradingTests {
    static func with<T: Sendable>(_ server: CoinbaseTradingServer, port: Int, pem: String? = nil,
                                  _ body: (CoinbaseTradingClient) async throws -> T) async throws -> T {
        let signer = try await CoinbaseJWTSigner(keyName: server.keyName, privateKeyPEM: pem ?? server.privateKeyPEM)
        return try await CoinbaseTradingClient(baseURL: "http://127.0.0.1:\(port)", signer: signer,
                                               retry: RetryPolicy(attempts: 3, initial: .milliseconds(10))).using(body)
    }

    @Test func everyRequestCarriesItsOwnVerifiedToken() async throws {
        let server = try await CoinbaseTradingServer()
        server.setBalance("BTC", 0.25)
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                let account = try await client.health()
                #expect(account.cash == 1_000_000)
                let held = try await client.position(symbol: "BTC-USD")
                #expect(held == 0.25)
                // Two currencies, one per page: the client followed the cursor, each request signed afresh.
                #expect(server.log.filter { $0 == "GET /api/v3/brokerage/accounts" }.count == 4)
                #expect(server.refused.isEmpty, "\(server.refused)")
            }
            let stranger = ES256PrivateKey().pemRepresentation
            try await Self.with(server, port: port, pem: stranger) { client in
                await #expect(throws: VenueHTTPError.self) { try await client.health() }
                #expect(server.refused.last?.hasPrefix("token refused") == true, "\(server.refused)")
            }
        }
    }

    @Test func theJWTNamesThisRequestOnly() {
        #expect(CoinbaseJWTSigner.uri(method: "GET", host: "api.coinbase.com", path: "/api/v3/brokerage/accounts?limit=250&cursor=x")
                == "GET api.coinbase.com/api/v3/brokerage/accounts")
    }

    @Test func aLostAnswerIsAnsweredWithTheFirstOrderAndItsFeesAreBooked() async throws {
        let server = try await CoinbaseTradingServer(price: 30_000)
        server.inject(.lostAnswer, method: "POST", path: "/api/v3/brokerage/orders")
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                let (identity, link, router) = venueRouter(client, bot: "coinbase", session: 9, symbol: "BTC-USD")
                link.send(.submit(kernelID: 1, VenueOrderRequest(clientOrderID: identity.clientOrderID(1), symbol: "BTC-USD", side: .buy,
                                                                 quantity: 0.5, kind: .market, timeInForce: .gtc)))
                try await router.sync()
                #expect(server.orders.count == 1)
                #expect(server.log.filter { $0 == "POST /api/v3/brokerage/orders" }.count == 2)
                let fills = reportedFills(link).map { ($0.units, $0.price, $0.fee) }
                #expect(fills.count == 1)
                #expect(fills.first.map { $0.0 == 0.5 && $0.1 == 30_000 && abs($0.2 - 0.5 * 30_000 * 0.006) < 1e-9 } == true)
                #expect(server.balance("BTC") == 0.5)
                #expect(server.refused.isEmpty)
            }
        }
    }

    @Test func aRefusalIsBookedAsRejected() async throws {
        let server = try await CoinbaseTradingServer(price: 30_000, usd: 100)
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                let (identity, link, router) = venueRouter(client, bot: "coinbase", session: 10, symbol: "BTC-USD")
                link.send(.submit(kernelID: 1, VenueOrderRequest(clientOrderID: identity.clientOrderID(1), symbol: "BTC-USD", side: .buy,
                                                                 quantity: 1, kind: .market, timeInForce: .gtc)))
                try await router.sync()
                #expect(link.takeReports().map(\.report).contains(.rejected(reason: "coinbase: INSUFFICIENT_FUND: Insufficient balance in source account")))
            }
        }
    }

    /// The venue charges 0.6 % of the notional per fill, which the backtest models as a rate
    /// commission: the session's books, with the venue's fees, equal the backtest's.
    @Test func aSessionAtCoinbaseTradesTheBacktestWithItsFees() async throws {
        let goog = try PaperParityTests.sample("GOOG")
        let bars = BarSeries(unchecked: "BTC-USD", timeframe: goog.timeframe, timestamps: Array(goog.timestamps), open: Array(goog.open),
                             high: Array(goog.high), low: Array(goog.low), close: Array(goog.close), volume: Array(goog.volume))
        var costly = ExecutionSettings()
        costly.fill = .close
        costly.commission = try CommissionModel(rate: 0.006)
        let settings = costly
        let spec = try StrategySpec(name: "sma-crossover")
        let backtest = try Backtester.run(spec, on: bars, settings: settings)
        let server = try await CoinbaseTradingServer(price: bars.close[0], usd: 1e9)
        try await server.serve { port in
            try await Self.with(server, port: port) { client in
                let venue = VenueTrading(client: client, symbol: "BTC-USD", identity: OrderIdentity(bot: "cb", session: 11))
                let outcome = try await PaperSession(bot: "cb", strategy: spec, settings: settings, venue: venue)
                    .run(VenueTradingTests.PricedReplay(replay: ReplayFeed(series: bars), server: server))
                func terms(_ t: Trade) -> [Double] { [t.size, t.entryPrice, t.exitPrice] }
                #expect(outcome.result.trades.map(terms) == backtest.trades.map(terms))
                for (a, b) in zip(outcome.result.trades, backtest.trades) { #expect(abs(a.pnl - b.pnl) < 1e-6 * max(1, abs(b.pnl))) }
                #expect(abs(outcome.result.metrics.equityFinal - backtest.metrics.equityFinal) < 1e-6 * backtest.metrics.equityFinal)
                #expect(server.orders.count == backtest.fills)
                #expect(server.refused.isEmpty)
            }
        }
    }
}
