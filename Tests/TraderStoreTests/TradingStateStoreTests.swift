import Foundation
import Testing
import TraderCore
@testable import TraderStore

/// Orders, fills, positions, checkpoints and the bar archive, on every backend.
@Suite struct TradingStateStoreTests {
    static func order(_ id: UUID = UUID(), bot: String = "bot-1", status: OrderStatus, filled: Double = 0, at: Int64) -> StoredOrder {
        StoredOrder(id: id, botID: bot, symbol: "GOOG", side: .buy, type: "limit", quantity: 10, limitPrice: 101.25, status: status,
                    filledQuantity: filled, averageFillPrice: filled > 0 ? 101.0 : nil, brokerOrderID: status == .submitted ? nil : "B-42",
                    createdAt: 1_000, updatedAt: at)
    }

    @Test(arguments: Backend.enabled)
    func orderKeepsEveryStateOnceAndNeverGoesBack(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            let id = UUID()
            try await store.recordOrder(Self.order(id, status: .submitted, at: 1_000), detail: "sent")
            try await store.recordOrder(Self.order(id, status: .accepted, at: 2_000), detail: "ack")
            try await store.recordOrder(Self.order(id, status: .accepted, filled: 4, at: 3_000), detail: "partial")
            try await store.recordOrder(Self.order(id, status: .accepted, filled: 4, at: 3_000), detail: "partial (retried)")
            try await store.recordOrder(Self.order(id, status: .filled, filled: 10, at: 4_000), detail: "done")
            // A late, reordered update of an older state does not overwrite the newer one.
            try await store.recordOrder(Self.order(id, status: .accepted, at: 2_500), detail: "late")

            let stored = try #require(try await store.order(id: id))
            #expect(stored.status == .filled && stored.filledQuantity == 10 && stored.updatedAt == 4_000)
            #expect(stored.brokerOrderID == "B-42" && stored.limitPrice == 101.25 && stored.side == .buy && stored.stopPrice == nil)
            let history = try await store.orderHistory(id: id)
            #expect(history.map(\.status) == [.submitted, .accepted, .accepted, .accepted, .filled])
            #expect(history.map(\.at) == [1_000, 2_000, 2_500, 3_000, 4_000])
            #expect(history.first { $0.at == 3_000 }?.detail == "partial", "the retried write stored nothing")
            #expect(try await store.order(id: UUID()) == nil)
        }
    }

    @Test(arguments: Backend.enabled)
    func openOrdersAreWhatARestartReconciles(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            let statuses: [OrderStatus] = [.submitted, .accepted, .triggered, .filled, .cancelled, .rejected, .expired]
            for (i, s) in statuses.enumerated() {
                var o = Self.order(status: s, at: Int64(10 + i))
                o.createdAt = Int64(i)
                try await store.recordOrder(o, detail: "")
            }
            try await store.recordOrder(Self.order(bot: "other", status: .accepted, at: 5), detail: "")
            let open = try await store.orders(botID: "bot-1", openOnly: true, limit: 100)
            #expect(open.map(\.status) == [.triggered, .accepted, .submitted])
            #expect(try await store.orders(botID: "bot-1", openOnly: false, limit: 100).count == 7)
            #expect(try await store.orders(botID: "bot-1", openOnly: false, limit: 2).map(\.status) == [.expired, .rejected])
            await #expect(throws: StoreError.self) { try await store.recordOrder(Self.order(status: .accepted, filled: 11, at: 1), detail: "") }
        }
    }

    @Test(arguments: Backend.enabled)
    func fillsAreStoredOnceAndNeedTheirOrder(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            let order = Self.order(status: .accepted, at: 1)
            try await store.recordOrder(order, detail: "")
            let a = StoredFill(orderID: order.id, botID: "bot-1", symbol: "GOOG", at: 20, quantity: 4, price: 100.5, commission: 0.4)
            let b = StoredFill(orderID: order.id, botID: "bot-1", symbol: "GOOG", at: 10, quantity: 6, price: 100.25, commission: 0.6)
            #expect(try await store.recordFill(a))
            #expect(try await store.recordFill(b))
            #expect(try await store.recordFill(a) == false)
            #expect(try await store.fills(orderID: order.id) == [b, a])
            let orphan = StoredFill(orderID: UUID(), botID: "bot-1", symbol: "GOOG", at: 1, quantity: 1, price: 1, commission: 0)
            await #expect(throws: StoreError.self) { try await store.recordFill(orphan) }
            await #expect(throws: StoreError.self) {
                try await store.recordFill(StoredFill(orderID: order.id, botID: "bot-1", symbol: "GOOG", at: 1, quantity: 1, price: .nan, commission: 0))
            }
        }
    }

    @Test(arguments: Backend.enabled)
    func positionsAreReplacedAsAWhole(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            let first = [StoredPosition(symbol: "GOOG", quantity: 10, averagePrice: 100, realizedPnL: 0, updatedAt: 1),
                         StoredPosition(symbol: "AAPL", quantity: -5, averagePrice: 150.5, realizedPnL: 12.5, updatedAt: 1)]
            try await store.replacePositions(botID: "bot-1", with: first)
            try await store.replacePositions(botID: "bot-2", with: [StoredPosition(symbol: "MSFT", quantity: 1, averagePrice: 1, realizedPnL: 0, updatedAt: 1)])
            #expect(try await store.positions(botID: "bot-1") == first.sorted { $0.symbol < $1.symbol })
            let second = [StoredPosition(symbol: "GOOG", quantity: 3, averagePrice: 101, realizedPnL: 7, updatedAt: 2)]
            try await store.replacePositions(botID: "bot-1", with: second)
            #expect(try await store.positions(botID: "bot-1") == second)
            // A bad position fails the whole replacement: the book stays as it was.
            let bad = second + [StoredPosition(symbol: "", quantity: 1, averagePrice: 1, realizedPnL: 0, updatedAt: 3)]
            await #expect(throws: StoreError.self) { try await store.replacePositions(botID: "bot-1", with: bad) }
            #expect(try await store.positions(botID: "bot-1") == second)
            #expect(try await store.positions(botID: "bot-2").count == 1)
        }
    }

    @Test(arguments: Backend.enabled)
    func checkpointsResumeFromTheNewest(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            #expect(try await store.latestCheckpoint(botID: "bot-1") == nil)
            var sequences: [Int64] = []
            let ids = (0..<5).map { _ in UUID() }
            for (i, id) in ids.enumerated() { sequences.append(try await store.saveCheckpoint(id: id, botID: "bot-1", state: #"{"step":\#(i)}"#)) }
            #expect(sequences == sequences.sorted() && Set(sequences).count == 5)
            #expect(try await store.saveCheckpoint(id: ids[2], botID: "bot-1", state: "ignored") == sequences[2])
            try await store.saveCheckpoint(id: UUID(), botID: "bot-2", state: "{}")
            let latest = try #require(try await store.latestCheckpoint(botID: "bot-1"))
            #expect(latest.id == ids[4] && latest.state == #"{"step":4}"# && latest.sequence == sequences[4])
            #expect(try await store.pruneCheckpoints(botID: "bot-1", keeping: 2) == 3)
            #expect(try await store.latestCheckpoint(botID: "bot-1")?.id == ids[4])
            #expect(try await store.pruneCheckpoints(botID: "bot-1", keeping: 2) == 0)
            #expect(try await store.latestCheckpoint(botID: "bot-2") != nil)
        }
    }

    static func bars(_ symbol: String, from start: Int, count: Int) -> BarSeries {
        let day: Int64 = 86_400_000_000_000
        let ts = (0..<count).map { Int64(start + $0) * day }
        let close = (0..<count).map { 100 + sin(Double(start + $0) / 7) * 10 + 0.1 / 3 }
        return BarSeries(unchecked: symbol, timeframe: .day1, timestamps: ts, open: close.map { $0 - 0.5 }, high: close.map { $0 + 1 },
                         low: close.map { $0 - 1 }, close: close, volume: (0..<count).map { Double($0 * 1_000) })
    }

    @Test(arguments: Backend.enabled)
    func barArchiveReplacesRangesAndReadsBackBitForBit(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            #expect(try await store.archivedBars(symbol: "GOOG", timeframe: .day1, from: nil, to: nil) == nil)
            let first = Self.bars("GOOG", from: 0, count: 3_000)
            try await store.archiveBars(first)
            try await store.archiveBars(first)   // the same bars again: one copy
            let overlap = Self.bars("GOOG", from: 2_500, count: 1_000)   // replaces 2,500…2,999, adds 3,000…3,499
            try await store.archiveBars(overlap)
            try await store.archiveBars(Self.bars("EURUSD", from: 0, count: 10))
            let all = try #require(try await store.archivedBars(symbol: "GOOG", timeframe: .day1, from: nil, to: nil))
            #expect(all.count == 3_500)
            #expect(Array(all.close[0..<2_500]) == Array(first.close[0..<2_500]))
            #expect(all.close.extracting(2_500..<3_500) == overlap.close)
            #expect(all.volume[2_500] == 0 && all.timestamps.array == all.timestamps.sorted())
            let day: Int64 = 86_400_000_000_000
            let range = try #require(try await store.archivedBars(symbol: "GOOG", timeframe: .day1, from: 100 * day, to: 199 * day))
            #expect(range.count == 100 && range.timestamps.first == 100 * day && range.symbol == "GOOG")
            #expect(try await store.archivedBars(symbol: "GOOG", timeframe: .day1, from: 10_000 * day, to: nil)?.count == 0)
            #expect(try await store.archivedBars(symbol: "GOOG", timeframe: .hour1, from: nil, to: nil) == nil)
            let series = try await store.archivedSeries()
            #expect(series == [ArchivedSeries(symbol: "EURUSD", timeframe: "1d", count: 10, first: 0, last: 9 * day),
                               ArchivedSeries(symbol: "GOOG", timeframe: "1d", count: 3_500, first: 0, last: 3_499 * day)])
            #expect(try await store.deleteArchivedBars(symbol: "GOOG", timeframe: .day1) == 3_500)
            #expect(try await store.archivedSeries().count == 1)
        }
    }
}
