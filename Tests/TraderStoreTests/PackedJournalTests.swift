import Foundation
import Testing
import TraderCore
@testable import TraderStore

/// A paper session's packed journal (`JournalEntry.packed`) reads back through the same calls as
/// row-form records: orders, histories, fills, the newest orders, a session's records, and where
/// a resume starts.
@Suite struct PackedJournalTests {
    static let session: Int64 = 1_700_000_000_000_000_000
    static let identity = OrderIdentity(bot: "packed", session: session)

    /// Order 1: a limit order accepted, replaced, filled in two parts. Order 2: accepted, then
    /// cancelled. Order 3: accepted (open after the first write), filled in the second.
    /// Order -1: a fill with no order before it (closing at the end).
    static func firstEvents() -> [OrderEvent] {
        var one = OrderEvent(kind: .accepted, number: 1, side: .buy, type: "limit", quantity: 10, limitPrice: 100, createdAt: 1_000, at: 1_000)
        var events = [one]
        one.kind = .replaced
        one.limitPrice = 101
        one.at = 1_500
        events.append(one)
        one.kind = .partiallyFilled
        one.filledQuantity = 4
        one.averageFillPrice = 100.5
        one.at = 2_000
        one.reason = "signal"
        one.execution = .init(at: 2_000, quantity: 4, price: 100.5, commission: 0.25)
        events.append(one)
        one.kind = .filled
        one.filledQuantity = 10
        one.averageFillPrice = 100.8
        one.at = 3_000
        one.execution = .init(at: 3_000, quantity: 6, price: 101, commission: 0.5)
        events.append(one)
        var two = OrderEvent(kind: .accepted, number: 2, side: .sell, type: "stop", quantity: 10, stopPrice: 95, createdAt: 3_000, at: 3_000)
        events.append(two)
        two.kind = .cancelled
        two.reason = "cancelled by the strategy"
        two.at = 3_001
        events.append(two)
        events.append(OrderEvent(kind: .accepted, number: 3, side: .sell, type: "market", quantity: 10, createdAt: 4_000, at: 4_000))
        return events
    }

    static func secondEvents() -> [OrderEvent] {
        var three = OrderEvent(kind: .filled, number: 3, side: .sell, type: "market", quantity: 10, filledQuantity: 10, averageFillPrice: 102,
                               createdAt: 4_000, at: 5_000, reason: "signal", execution: .init(at: 5_000, quantity: -10, price: 102, commission: 0.5))
        let closing = OrderEvent(kind: .filled, number: -1, side: .buy, type: "market", quantity: 2, filledQuantity: 2, averageFillPrice: 99,
                                 createdAt: 6_000, at: 6_000, reason: "end-of-data", execution: .init(at: 6_000, quantity: 2, price: 99, commission: 0))
        three.limitPrice = nil
        return [three, closing]
    }

    static func entries() -> (JournalEntry, JournalEntry) {
        let first = firstEvents(), second = secondEvents()
        let a = JournalEntry(botID: "packed", checkpoint: (identity.checkpoint(4), "{\"bars\": 4}"),
                             packed: PackedOrderEvents(session: session, symbol: "GOOG", first: 0, firstFill: 0, events: first, open: [first[6]]))
        let b = JournalEntry(botID: "packed", checkpoint: (identity.checkpoint(6), "{\"bars\": 6}"),
                             packed: PackedOrderEvents(session: session, symbol: "GOOG", first: first.count, firstFill: 2, events: second, closed: [3]))
        return (a, b)
    }

    @Test(arguments: Backend.enabled)
    func packedEventsReadBackAsOrdersHistoriesAndFills(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            let (a, b) = Self.entries()
            let id = Self.identity
            try await store.recordJournal(a)
            // Open after the first write: a row, what a restart reconciles.
            #expect(try await store.orders(botID: "packed", openOnly: true, limit: 10).map(\.id) == [id.order(3)])
            #expect(try await store.journalPosition(botID: "packed", session: Self.session) == JournalPosition(events: 7, fills: 2, openOrders: [3]))
            try await store.recordJournal(b)
            try await store.recordJournal(b)  // written again after a restart: the same chunk, nothing doubles
            #expect(try await store.orders(botID: "packed", openOnly: true, limit: 10).isEmpty)
            #expect(try await store.journalPosition(botID: "packed", session: Self.session) == JournalPosition(events: 9, fills: 4, openOrders: []))

            let one = try #require(try await store.order(id: id.order(1)))
            #expect(one.status == .filled && one.filledQuantity == 10 && one.averageFillPrice == 100.8 && one.limitPrice == 101)
            #expect(one.botID == "packed" && one.symbol == "GOOG" && one.side == .buy && one.type == "limit" && one.createdAt == 1_000)
            #expect(one.brokerOrderID == "paper-\(Self.session)-1" && one.updatedAt == 3_000)
            let history = try await store.orderHistory(id: id.order(1))
            #expect(history.map(\.status) == [.accepted, .accepted, .partiallyFilled, .filled])
            #expect(history.map(\.detail) == ["accepted by the paper broker", "replaced", "partially filled (signal)", "filled (signal)"])
            #expect(history.map(\.filledQuantity) == [0, 0, 4, 10])
            #expect(try await store.fills(orderID: id.order(1)) == [
                StoredFill(id: id.fill(0), orderID: id.order(1), botID: "packed", symbol: "GOOG", at: 2_000, quantity: 4, price: 100.5, commission: 0.25),
                StoredFill(id: id.fill(1), orderID: id.order(1), botID: "packed", symbol: "GOOG", at: 3_000, quantity: 6, price: 101, commission: 0.5),
            ])
            #expect(try await store.orderHistory(id: id.order(2)).last?.detail == "cancelled by the strategy")
            #expect(try await store.order(id: id.order(2))?.stopPrice == 95)
            // Fill numbers go on across chunks; a fill of the second chunk and the order it closed.
            #expect(try await store.fills(orderID: id.order(3)).map(\.id) == [id.fill(2)])
            #expect(try await store.order(id: id.order(3))?.status == .filled)
            #expect(try await store.fills(orderID: id.order(-1)).map(\.quantity) == [2])
            #expect(try await store.order(id: id.order(99)) == nil)
            #expect(try await store.order(id: UUID()) == nil)
            #expect(try await store.orderHistory(id: id.order(99)).isEmpty)

            // Newest first (by creation), packed and row-form orders together.
            var row = StoredOrder(botID: "packed", symbol: "GOOG", side: .buy, type: "market", quantity: 1, status: .accepted, createdAt: 3_500, updatedAt: 3_500)
            row.brokerOrderID = "venue-1"
            try await store.recordOrder(row, detail: "sent")
            let newest = try await store.orders(botID: "packed", openOnly: false, limit: 3)
            #expect(newest.map(\.id) == [id.order(-1), id.order(3), row.id])
            #expect(try await store.orders(botID: "packed", openOnly: false, limit: 100).count == 5)

            let records = try await store.sessionRecords(botID: "packed", session: Self.session)
            #expect(records.orders.map(\.id) == [id.order(1), id.order(2), id.order(3), id.order(-1)])
            #expect(records.fills.map(\.id) == (0..<4).map(id.fill))
            #expect(try await store.sessionRecords(botID: "packed", session: Self.session + 1) == SessionRecords(orders: [], fills: []))
        }
    }

    @Test(arguments: Backend.enabled)
    func theNewestOrdersComeFromTheNewestChunksOnly(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            // 100 writes of one order each; then the newest five, and all of them.
            for n in 0..<100 {
                let e = OrderEvent(kind: .filled, number: n, side: .buy, type: "market", quantity: 1, filledQuantity: 1, averageFillPrice: 10,
                                   createdAt: Int64(n * 10), at: Int64(n * 10 + 5), reason: "signal",
                                   execution: .init(at: Int64(n * 10 + 5), quantity: 1, price: 10, commission: 0))
                try await store.recordJournal(JournalEntry(botID: "many", packed: PackedOrderEvents(
                    session: Self.session, symbol: "BTC-USD", first: n, firstFill: n, events: [e])))
            }
            let id = OrderIdentity(bot: "many", session: Self.session)
            #expect(try await store.orders(botID: "many", openOnly: false, limit: 5).map(\.id) == (95..<100).reversed().map(id.order))
            #expect(try await store.orders(botID: "many", openOnly: false, limit: 1_000).count == 100)
            #expect(try await store.orders(botID: "many", openOnly: false, limit: 0).isEmpty)
            #expect(try await store.fills(orderID: id.order(42)).map(\.id) == [id.fill(42)])
            #expect(try await store.journalPosition(botID: "many", session: Self.session).events == 100)
        }
    }

    @Test(arguments: Backend.enabled)
    func aBadEventFailsTheWholeEntry(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            var events = Self.firstEvents()
            events[3].execution?.price = .nan
            let entry = JournalEntry(botID: "packed", positions: [], packed: PackedOrderEvents(session: Self.session, symbol: "GOOG", first: 0,
                                                                                               firstFill: 0, events: events))
            await #expect(throws: StoreError.invalid(field: "journal.packed.events[3].execution.price", reason: "must be a positive number")) {
                try await store.recordJournal(entry)
            }
            #expect(try await store.journalPosition(botID: "packed", session: Self.session).events == 0)
        }
    }

    @Test func aChunkRoundTripsEveryField() throws {
        let events = Self.firstEvents() + Self.secondEvents()
        let bytes = JournalChunks.pack(events)
        #expect(try JournalChunks.decode(bytes, count: events.count) == events)
        // Damaged bytes are a corrupt column, never a trap or a wrong record.
        #expect(throws: StoreError.self) { try JournalChunks.decode(Array(bytes.dropLast(3)), count: events.count) }
        #expect(throws: StoreError.self) { try JournalChunks.decode(bytes, count: events.count + 1) }
        // The first event's flags byte follows the format byte and the strings.
        var badKind = bytes
        var reader = PackedReader(bytes, field: "test")
        _ = try reader.byte()
        for _ in 0..<(try reader.varint()) { _ = try reader.string() }
        badKind[reader.offset] = 0x07
        #expect(throws: StoreError.corrupt(field: "journal_chunks.data", reason: "unknown event kind 7")) {
            try JournalChunks.decode(badKind, count: events.count)
        }
    }

    @Test func recordIDsNameTheirSessionKindAndNumber() {
        let id = Self.identity
        for n in [0, 1, 42, -1, -7, 1 << 40] {
            let parsed = OrderIdentity.parse(id.order(n))
            #expect(parsed?.recordKey == id.recordKey && parsed?.kind == 1 && parsed?.number == n)
            #expect(OrderIdentity.parse(id.fill(n))?.kind == 2)
        }
        #expect(OrderIdentity.parse(UUID()) == nil, "a random (version 4) UUID is no record id")
        #expect(OrderIdentity(bot: "other", session: Self.session).recordKey != id.recordKey)
    }
}
