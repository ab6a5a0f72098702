import Foundation
import Testing
import TestSupport
import TraderCore
import TraderEngine
@testable import TraderLive
import TraderStore

/// Replacing an order already at the venue: Alpaca's replace by a new order (`PATCH
/// /v2/orders/{id}`) and Coinbase's edit in place (`POST /orders/edit`), against local servers
/// speaking their protocols, with what makes a replace hard: a lost answer, the old order filling
/// before the replacement reaches the market, a venue that refuses.
@Suite struct VenueReplaceTests {
    static func limitBuy(_ identity: OrderIdentity, units: Double, at price: Double, symbol: String = "SPY",
                         timeInForce: TimeInForce = .day) -> VenueLink.Command {
        .submit(kernelID: 1, VenueOrderRequest(clientOrderID: identity.clientOrderID(1), symbol: symbol, side: .buy, quantity: units,
                                               kind: .limit(price), timeInForce: timeInForce))
    }

    static func replacement(_ identity: OrderIdentity, revision: Int = 1, units: Double, at price: Double, symbol: String = "SPY",
                            timeInForce: TimeInForce = .day) -> VenueLink.Command {
        .replace(kernelID: 1, VenueOrderRequest(clientOrderID: identity.replacementClientOrderID(1, revision: revision), symbol: symbol,
                                                side: .buy, quantity: units, kind: .limit(price), timeInForce: timeInForce))
    }

    static func isEnd(_ report: OrderReport) -> Bool {
        switch report {
        case .cancelled, .rejected, .expired: true
        default: false
        }
    }

    @Test func alpacaReplacesByANewOrderWhichTheRouterFollowsToItsFill() async throws {
        let server = AlpacaTradingServer(price: 105, limitFills: true)
        try await server.serve { port in
            try await VenueTradingTests.with(server, port: port) { client in
                let (identity, link, router) = venueRouter(client, bot: "replace", session: 1, symbol: "SPY")
                link.send(Self.limitBuy(identity, units: 10, at: 100))
                try await router.sync()
                _ = link.takeReports()
                #expect(server.orders.map(\.status) == ["new"])
                link.send(Self.replacement(identity, units: 8, at: 106))
                let notes = try await router.sync()
                #expect(notes.isEmpty, "\(notes)")
                let orders = server.orders
                #expect(orders.count == 2)
                #expect(VenueTradingTests.count(server.log, "PATCH /v2/orders/\(orders[0].id)") == 1)
                #expect(orders[0].status == "replaced" && orders[0].replacedBy == orders[1].id)
                #expect(orders[1].clientOrderID == identity.replacementClientOrderID(1, revision: 1))
                #expect(orders[1].qty == 8 && orders[1].limitPrice == 106 && orders[1].replaces == orders[0].id)
                // The old order ended `replaced`: not the end of the kernel's order.
                #expect(!link.takeReports().map(\.report).contains(where: Self.isEnd))
                try await router.sync()
                #expect(link.takeReports().map(\.report) == [.fill(executionID: "\(orders[1].id)/8", quantity: 8, price: 105, commission: 0)])
                #expect(await router.openOrders == 0)
                #expect(server.position("SPY") == 8)
            }
        }
    }

    @Test func aReplaceWhoseAnswerWasLostIsFoundNotSentTwice() async throws {
        let server = AlpacaTradingServer(price: 105, limitFills: true)
        // The venue replaces the order and the answer is lost: the client sends the PATCH again,
        // Alpaca refuses it (the old order is `replaced`), and the router finds the new order
        // under the replacement's client order id.
        server.inject(.lostAnswer, method: "PATCH", path: "/v2/orders/")
        try await server.serve { port in
            try await VenueTradingTests.with(server, port: port) { client in
                let (identity, link, router) = venueRouter(client, bot: "replace-lost", session: 2, symbol: "SPY")
                link.send(Self.limitBuy(identity, units: 10, at: 100))
                try await router.sync()
                link.send(Self.replacement(identity, units: 10, at: 106))
                let notes = try await router.sync()
                #expect(!notes.contains { $0.message.contains("not done") }, "\(notes)")
                #expect(server.log.filter { $0.hasPrefix("PATCH ") }.count == 2)
                #expect(server.orders.count == 2)
                try await router.sync()
                let fills = reportedFills(link)
                #expect(fills.map(\.units) == [10] && fills.map(\.price) == [105])
                #expect(server.position("SPY") == 10)
            }
        }
    }

    @Test func anOldOrderThatFillsBeforeItsReplacementCountsAndTheRejectionDoesNot() async throws {
        let server = AlpacaTradingServer(price: 105)
        try await server.serve { port in
            try await VenueTradingTests.with(server, port: port) { client in
                let (identity, link, router) = venueRouter(client, bot: "replace-race", session: 3, symbol: "SPY")
                link.send(Self.limitBuy(identity, units: 10, at: 100))
                try await router.sync()
                _ = link.takeReports()
                // Alpaca's documented race: the old order fills before the new one reaches the
                // market, and the new one is rejected.
                server.raceNextReplace()
                link.send(Self.replacement(identity, units: 8, at: 106))
                var notes = try await router.sync()
                notes += try await router.sync()
                notes += try await router.sync()
                let reports = link.takeReports().map(\.report)
                // The 10 units the old order filled, not the 8 the replacement asked for.
                #expect(reports == [.fill(executionID: "\(server.orders[0].id)/10", quantity: 10, price: 105, commission: 0)])
                #expect(!notes.contains { $0.level == .error }, "\(notes)")
                #expect(await router.openOrders == 0)
                #expect(server.position("SPY") == 10)
            }
        }
    }

    @Test func aReplaceTheVenueKeepsRefusingIsDroppedAndTheOrderStandsAsPlaced() async throws {
        let server = AlpacaTradingServer(price: 105, limitFills: true)
        for _ in 0..<3 { server.inject(.status(422), method: "PATCH", path: "/v2/orders/") }
        try await server.serve { port in
            try await VenueTradingTests.with(server, port: port) { client in
                let (identity, link, router) = venueRouter(client, bot: "replace-refused", session: 4, symbol: "SPY")
                link.send(Self.limitBuy(identity, units: 10, at: 100))
                try await router.sync()
                link.send(Self.replacement(identity, units: 10, at: 106))
                var notes: [SystemEvent] = []
                for _ in 0..<4 { notes += try await router.sync() }
                #expect(server.log.filter { $0.hasPrefix("PATCH ") }.count == 3)
                #expect(notes.filter { $0.message.contains("not done after 3 tries") }.count == 1, "\(notes)")
                #expect(server.orders.count == 1)
                #expect(!link.takeReports().map(\.report).contains(where: Self.isEnd))
                // The order works on at its own terms.
                server.setPrice(99)
                try await router.sync()
                #expect(reportedFills(link).map { [$0.units, $0.price] } == [[10, 99]])
            }
        }
    }

    @Test func coinbaseEditsTheOrderInPlace() async throws {
        let server = try await CoinbaseTradingServer(price: 30_000, limitFills: true)
        try await server.serve { port in
            try await CoinbaseTradingTests.with(server, port: port) { client in
                let (identity, link, router) = venueRouter(client, bot: "cb-edit", session: 5, symbol: "BTC-USD")
                link.send(Self.limitBuy(identity, units: 0.5, at: 29_000, symbol: "BTC-USD", timeInForce: .gtc))
                try await router.sync()
                _ = link.takeReports()
                link.send(Self.replacement(identity, units: 0.4, at: 30_500, symbol: "BTC-USD", timeInForce: .gtc))
                let notes = try await router.sync()
                #expect(notes.isEmpty, "\(notes)")
                #expect(server.log.filter { $0 == "POST /api/v3/brokerage/orders/edit" }.count == 1)
                let orders = server.orders
                #expect(orders.count == 1)
                #expect(orders[0].size == 0.4 && orders[0].limitPrice == 30_500 && orders[0].clientOrderID == identity.clientOrderID(1))
                try await router.sync()
                let fills = reportedFills(link)
                #expect(fills.count == 1)
                #expect(fills.first.map { $0.units == 0.4 && $0.price == 30_000 && abs($0.fee - 0.4 * 30_000 * 0.006) < 1e-9 } == true)
                #expect(server.refused.isEmpty)
            }
        }
    }

    @Test func coinbaseEditsOnlyGoodTillCancelledLimitOrders() {
        let day = VenueOrderRequest(clientOrderID: "c", symbol: "BTC-USD", side: .buy, quantity: 1, kind: .limit(10), timeInForce: .day)
        #expect(throws: VenueOrderRefusal.rejected(reason: "coinbase: only good-till-cancelled limit and stop-limit orders can be edited")) {
            try CoinbaseTradingMessage.editBody(venueOrderID: "cb-1", day)
        }
        var gtc = day
        gtc.timeInForce = .gtc
        let body = try? CoinbaseTradingMessage.editBody(venueOrderID: "cb-1", gtc)
        #expect(body.flatMap { String(data: $0, encoding: .utf8) } == #"{"order_id":"cb-1","price":"10","size":"1"}"#)
    }

    /// The broker sends a routed order's replacement between bars under a derived client order
    /// id per revision, and refuses what a venue cannot do or the risk rules never saw.
    @Test func theBrokerReplacesARoutedOrderOnlyWithinItsTypeAndUnits() throws {
        let identity = OrderIdentity(bot: "replace-broker", session: 6)
        let link = VenueLink()
        var broker = try VenueBroker(symbol: "SPY", settings: VenueTrading.settings(ExecutionSettings()), link: link, identity: identity)
        broker.submit(try Order(id: 1, side: .buy, quantity: .units(10), type: .limit(price: 100), timeInForce: .day), reason: .order, signalEntry: false)
        var risk = NoRiskCheck()
        var events = EventRecorder()
        broker.fillMarketOrders(index: 0, time: Timestamp(nanos: 0), price: 101, risk: &risk, events: &events)
        #expect(link.takeCommands().count == 1)
        #expect(broker.replace(orderId: 1, with: try Order(side: .buy, quantity: .units(8), type: .limit(price: 102), timeInForce: .day)))
        let first = identity.replacementClientOrderID(1, revision: 1)
        #expect(link.takeCommands() == [.replace(kernelID: 1, VenueOrderRequest(clientOrderID: first, symbol: "SPY", side: .buy, quantity: 8,
                                                                                 kind: .limit(102), timeInForce: .day))])
        // More units than routed, another type: refused, nothing sent.
        #expect(!broker.replace(orderId: 1, with: try Order(side: .buy, quantity: .units(9), type: .limit(price: 102))))
        #expect(!broker.replace(orderId: 1, with: try Order(side: .buy, quantity: .units(8), type: .stop(price: 90))))
        #expect(link.takeCommands().isEmpty)
        // A second replacement gets its own id, in the session's family of ids.
        #expect(broker.replace(orderId: 1, with: try Order(side: .buy, quantity: .equityFraction(0.5), type: .limit(price: 103), timeInForce: .gtc)))
        guard case let .replace(_, request)? = link.takeCommands().first else { Issue.record("no replace sent"); return }
        #expect(request.quantity == 8 && request.kind == .limit(103) && request.timeInForce == .gtc)
        #expect(request.clientOrderID == identity.replacementClientOrderID(1, revision: 2) && request.clientOrderID != first)
        #expect(request.clientOrderID.hasPrefix(identity.clientOrderPrefix) && request.clientOrderID != identity.clientOrderID(1))
    }
}
