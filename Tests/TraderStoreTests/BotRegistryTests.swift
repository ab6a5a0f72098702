import Foundation
import Testing
import TraderCore
@testable import TraderStore

/// Bots and the session journal, on every backend.
@Suite struct BotRegistryTests {
    static func bot(_ id: String = "paper-GOOG-sma", startedAt: Int64 = 1_000) -> BotRecord {
        BotRecord(id: id, mode: "paper", status: .running, pid: 4242, host: "host-a", arguments: ["paper", "--bot", id, "--note", "a \"quoted\" word"],
                  startedAt: startedAt, updatedAt: startedAt, bars: 0, equity: 10_000, detail: "started")
    }

    @Test(arguments: Backend.enabled)
    func aStopRequestReachesTheBotsNextHeartbeat(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            try await store.saveBot(Self.bot())
            try await store.saveBot(Self.bot("other", startedAt: 2_000))
            #expect(try await store.heartbeat(botID: "paper-GOOG-sma", status: .running, bars: 10, equity: 10_050.5, detail: "") == nil)
            let asked = try #require(try await store.requestStop(botID: "paper-GOOG-sma", request: .flatten))
            #expect(asked.stopRequest == .flatten && asked.bars == 10 && asked.equity == 10_050.5)
            #expect(try await store.heartbeat(botID: "paper-GOOG-sma", status: .stopping, bars: 11, equity: nil, detail: "flattening") == .flatten)
            #expect(try await store.requestStop(botID: "nobody", request: .stop) == nil)
            await #expect(throws: StoreError.self) { _ = try await store.heartbeat(botID: "nobody", status: .running, bars: 1, equity: 1, detail: "") }

            let listed = try await store.bots()
            #expect(listed.map(\.id) == ["other", "paper-GOOG-sma"], "most recently started first")
            let stored = try #require(try await store.bot(id: "paper-GOOG-sma"))
            #expect(stored.status == .stopping && stored.bars == 11 && stored.equity == nil && stored.detail == "flattening")
            #expect(stored.arguments == Self.bot().arguments && stored.pid == 4242 && stored.host == "host-a")

            // Resuming saves the record again: the stop request is cleared.
            var resumed = Self.bot(startedAt: 3_000)
            resumed.bars = 11
            try await store.saveBot(resumed)
            #expect(try await store.bot(id: "paper-GOOG-sma")?.stopRequest == nil)
            #expect(try await store.bots().first?.id == "paper-GOOG-sma")
        }
    }

    @Test(arguments: Backend.enabled)
    func aJournalEntryIsOneIdempotentTransaction(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            let order = StoredOrder(botID: "bot-j", symbol: "GOOG", side: .buy, type: "market", quantity: 5, status: .filled,
                                    filledQuantity: 5, averageFillPrice: 100, createdAt: 1, updatedAt: 2)
            let fill = StoredFill(orderID: order.id, botID: "bot-j", symbol: "GOOG", at: 2, quantity: 5, price: 100, commission: 0.5)
            let position = StoredPosition(symbol: "GOOG", quantity: 5, averagePrice: 100, realizedPnL: 0, updatedAt: 2)
            var accepted = order
            accepted.status = .accepted
            accepted.filledQuantity = 0
            accepted.averageFillPrice = nil
            accepted.updatedAt = 1
            // Two states of one order in one entry: one multi-row upsert may touch a row once.
            let entry = JournalEntry(botID: "bot-j", orders: [(accepted, "accepted"), (order, "filled")], fills: [fill], positions: [position],
                                     checkpoint: (UUID(), "{\"bars\": 2}"))
            try await store.recordJournal(entry)
            try await store.recordJournal(entry)  // written again after a restart: nothing doubles
            #expect(try await store.fills(orderID: order.id) == [fill])
            #expect(try await store.order(id: order.id)?.status == .filled)
            #expect(try await store.orderHistory(id: order.id).map(\.status) == [.accepted, .filled])
            #expect(try await store.positions(botID: "bot-j") == [position])
            #expect(try await store.latestCheckpoint(botID: "bot-j")?.state == "{\"bars\": 2}")

            // A bad part fails the whole entry: nothing of it is written.
            let next = StoredOrder(botID: "bot-j", symbol: "GOOG", side: .sell, type: "market", quantity: 5, status: .filled,
                                   filledQuantity: 5, averageFillPrice: 101, createdAt: 3, updatedAt: 3)
            let orphan = StoredFill(orderID: UUID(), botID: "bot-j", symbol: "GOOG", at: 3, quantity: -5, price: 101, commission: 0)
            await #expect(throws: (any Error).self) {
                try await store.recordJournal(JournalEntry(botID: "bot-j", orders: [(next, "filled")], fills: [orphan], positions: []))
            }
            #expect(try await store.order(id: next.id) == nil)
            #expect(try await store.positions(botID: "bot-j") == [position])
            await #expect(throws: StoreError.self) {
                try await store.recordJournal(JournalEntry(botID: "bot-j", fills: [StoredFill(orderID: order.id, botID: "elsewhere", symbol: "GOOG",
                                                                                               at: 1, quantity: 1, price: 1, commission: 0)]))
            }
        }
    }
}
