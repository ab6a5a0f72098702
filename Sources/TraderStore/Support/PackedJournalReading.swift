public import Foundation
import TraderCore

/// What a backend provides to read packed journals (`JournalChunks`): the rows, selected three
/// ways. Everything else, unpacking and merging with the row-form records, is shared here, so
/// SQLite and PostgreSQL answer alike.
protocol PackedJournalSource: Sendable {
    /// The chunks of the session whose records' ids start with `recordKey` that may hold kernel
    /// order `number`, oldest first.
    func journalChunks(recordKey: Int64, number: Int) async throws -> [JournalChunks.Row]
    /// Every chunk of one session of the bot, oldest first.
    func journalChunks(botID: String, session: Int64) async throws -> [JournalChunks.Row]
    /// The bot's chunks, newest first (by session, then place), `limit` after skipping `offset`.
    func journalChunks(botID: String, newestFirst offset: Int, limit: Int) async throws -> [JournalChunks.Row]
}

extension PackedJournalSource {
    /// The packed events of the order `id`, oldest first, each with its fill number (executions
    /// only), and the session it is of; nil when `id` is no packed order's.
    func packedEvents(orderID id: UUID) async throws -> (identity: OrderIdentity, symbol: String, events: [(OrderEvent, fill: Int?)])? {
        guard let parsed = OrderIdentity.parse(id), parsed.kind == 1 else { return nil }
        var found: (identity: OrderIdentity, symbol: String, events: [(OrderEvent, fill: Int?)])?
        for row in try await journalChunks(recordKey: parsed.recordKey, number: parsed.number) {
            let identity = found?.identity ?? OrderIdentity(bot: row.botID, session: row.session)
            // Another session whose key collides (a 64-bit hash of bot and start) is not this one.
            guard identity.order(parsed.number) == id else { continue }
            var fill = row.firstFill
            var events = found?.events ?? []
            for e in try JournalChunks.decode(row.data, count: row.count) {
                if e.number == parsed.number { events.append((e, e.execution == nil ? nil : fill)) }
                if e.execution != nil { fill += 1 }
            }
            found = (identity, row.symbol, events)
        }
        return found.flatMap { $0.events.isEmpty ? nil : $0 }
    }

    func packedOrder(id: UUID) async throws -> StoredOrder? {
        guard let found = try await packedEvents(orderID: id), let last = found.events.last?.0 else { return nil }
        return last.order(found.identity, symbol: found.symbol)
    }

    func packedHistory(id: UUID) async throws -> [OrderStateChange] {
        try await packedEvents(orderID: id)?.events.map(\.0.stateChange) ?? []
    }

    func packedFills(orderID: UUID) async throws -> [StoredFill] {
        guard let found = try await packedEvents(orderID: orderID) else { return [] }
        return found.events.compactMap { e, fill in fill.flatMap { e.fill(found.identity, symbol: found.symbol, sequence: $0) } }
    }

    /// The bot's newest `limit` packed orders (by creation), each in its newest state.
    func packedOrders(botID: String, limit: Int) async throws -> [StoredOrder] {
        var newest: [SessionOrder: StoredOrder] = [:]
        var offset = 0
        // Pages grow from 2 chunks: the newest few usually hold a status page's orders.
        var page = 2
        reading: while limit > 0 {
            let rows = try await journalChunks(botID: botID, newestFirst: offset, limit: page)
            for row in rows {
                // Orders not seen yet were created before this chunk's last event: once `limit`
                // orders are newer than that, the rest cannot be among the newest.
                if newest.count >= limit, Self.createdAt(rank: limit, of: newest.values) > row.lastAt { break reading }
                let identity = OrderIdentity(bot: row.botID, session: row.session)
                for e in try JournalChunks.decode(row.data, count: row.count).reversed() {
                    let key = SessionOrder(session: row.session, number: e.number)
                    if newest[key] == nil { newest[key] = e.order(identity, symbol: row.symbol) }
                }
            }
            if rows.count < page { break }
            offset += rows.count
            page = min(page * 2, 64)
        }
        return Array(Self.newestFirst(Array(newest.values)).prefix(max(0, limit)))
    }

    /// Every packed order (newest state) and fill of one session.
    func packedSession(botID: String, session: Int64) async throws -> SessionRecords {
        let identity = OrderIdentity(bot: botID, session: session)
        var orders: [Int: StoredOrder] = [:], fills: [StoredFill] = []
        for row in try await journalChunks(botID: botID, session: session) {
            let events = try JournalChunks.decode(row.data, count: row.count)
            for e in events { orders[e.number] = e.order(identity, symbol: row.symbol) }
            fills += OrderEvent.fills(events, identity, symbol: row.symbol, firstFill: row.firstFill)
        }
        return SessionRecords(orders: Array(orders.values), fills: fills)
    }

    /// Newest first, as the row queries sort: by creation, then id.
    static func newestFirst(_ orders: [StoredOrder]) -> [StoredOrder] {
        orders.sorted { ($0.createdAt, $0.id.uuidString) > ($1.createdAt, $1.id.uuidString) }
    }

    /// Row-form and packed orders as one list, newest first: an order in both (a packed
    /// session's open order keeps a row) counts once, in its newer state.
    static func merge(rows: [StoredOrder], packed: [StoredOrder], limit: Int) -> [StoredOrder] {
        guard !packed.isEmpty else { return rows }
        return Array(newestFirst(Array(newest(rows: rows, packed: packed).values)).prefix(max(0, limit)))
    }

    /// One session's records, row-form and packed, oldest first.
    static func merge(rows: SessionRecords, packed: SessionRecords) -> SessionRecords {
        let byID = newest(rows: rows.orders, packed: packed.orders)
        var seen = Set<UUID>(), fills: [StoredFill] = []
        for f in packed.fills + rows.fills where seen.insert(f.id).inserted { fills.append(f) }
        return SessionRecords(orders: byID.values.sorted { ($0.createdAt, $0.id.uuidString) < ($1.createdAt, $1.id.uuidString) },
                              fills: fills.sorted { ($0.at, $0.id.uuidString) < ($1.at, $1.id.uuidString) })
    }

    /// Each order once, in its newer state (a row on a tie).
    private static func newest(rows: [StoredOrder], packed: [StoredOrder]) -> [UUID: StoredOrder] {
        var byID: [UUID: StoredOrder] = [:]
        for o in packed { byID[o.id] = o }
        for o in rows where byID[o.id].map({ o.updatedAt >= $0.updatedAt }) ?? true { byID[o.id] = o }
        return byID
    }

    private static func createdAt(rank: Int, of orders: Dictionary<some Hashable, StoredOrder>.Values) -> Int64 {
        orders.map(\.createdAt).sorted(by: >)[rank - 1]
    }
}

/// A kernel order of one session.
struct SessionOrder: Hashable {
    let session: Int64
    let number: Int
}
