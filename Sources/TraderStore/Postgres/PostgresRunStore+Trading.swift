public import Foundation
import Logging
import NIOCore
import PostgresNIO
public import TraderCore

extension PostgresRunStore: TradingStateStore, PackedJournalSource {
    public func recordOrder(_ order: StoredOrder, detail: String) async throws {
        try TradingValidation.check(order)
        let logger = self.logger
        try await transaction("record order \(order.id.uuidString)") { try await Self.writeOrder($0, order, detail: detail, logger: logger) }
    }

    /// The order's row and its state change; inside a transaction.
    static func writeOrder(_ connection: PostgresConnection, _ order: StoredOrder, detail: String, logger: Logger) async throws {
        let id = order.id.uuidString
        var binds = PostgresBindings(capacity: TradingSQL.orderColumns.count)
        appendOrder(order, to: &binds)
        let upsert = PostgresQuery(unsafeSQL: TradingSQL.upsertOrder(placeholders: (1...TradingSQL.orderColumns.count).map { "$\($0)" }), binds: binds)
        try await connection.query(upsert, logger: logger)
        try await connection.query("""
            INSERT INTO order_states (order_id, at, status, filled_quantity, detail)
            VALUES (\(id), \(order.updatedAt), \(order.status.rawValue), \(order.filledQuantity), \(detail)) ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    public func recordJournal(_ entry: JournalEntry) async throws {
        try TradingValidation.check(entry)
        guard !entry.isEmpty else { return }
        let logger = self.logger
        let latest = entry.latestOrders
        try await transaction("record the journal of \(entry.botID)") { connection in
            // Multi-row statements: a journal entry of thousands of records is a few statements.
            try await Self.insertRows(connection, table: "orders", columns: TradingSQL.orderColumns, rowCount: latest.count, logger: logger,
                                      suffix: TradingSQL.orderConflict) { i, b in
                Self.appendOrder(latest[i], to: &b)
            }
            try await Self.insertRows(connection, table: "order_states", columns: TradingSQL.orderStateColumns, rowCount: entry.orders.count,
                                      logger: logger, suffix: " ON CONFLICT DO NOTHING") { i, b in
                let (o, detail) = entry.orders[i]
                b.append(o.id.uuidString); b.append(o.updatedAt); b.append(o.status.rawValue); b.append(o.filledQuantity); b.append(detail)
            }
            try await Self.insertRows(connection, table: "fills", columns: TradingSQL.fillColumns, rowCount: entry.fills.count, logger: logger,
                                      suffix: " ON CONFLICT (id) DO NOTHING") { i, b in
                let f = entry.fills[i]
                b.append(f.id.uuidString); b.append(f.orderID.uuidString); b.append(f.botID); b.append(f.symbol); b.append(f.at)
                b.append(f.quantity); b.append(f.price); b.append(f.commission)
            }
            if let packed = entry.packed { try await Self.writePacked(connection, packed, botID: entry.botID, logger: logger) }
            if let positions = entry.positions { try await Self.writePositions(connection, botID: entry.botID, positions, logger: logger) }
            if let (id, state) = entry.checkpoint { _ = try await Self.writeCheckpoint(connection, id: id, botID: entry.botID, state: state, logger: logger) }
        }
    }

    /// The chunk of `packed`'s events (once: a retried write is the same key), its open orders'
    /// rows and the removal of the rows of orders that closed. Inside a transaction.
    static func writePacked(_ connection: PostgresConnection, _ packed: PackedOrderEvents, botID: String, logger: Logger) async throws {
        let identity = OrderIdentity(bot: botID, session: packed.session)
        if !packed.events.isEmpty {
            let summary = JournalChunks.Summary(packed.events)
            var b = PostgresBindings(capacity: JournalChunks.columns.count)
            b.append(botID); b.append(packed.session); b.append(packed.first); b.append(packed.events.count); b.append(packed.firstFill)
            b.append(summary.fills); b.append(identity.recordKey); b.append(summary.lowOrder); b.append(summary.highOrder)
            b.append(summary.firstAt); b.append(summary.lastAt); b.append(packed.symbol); b.append(ByteBuffer(bytes: JournalChunks.pack(packed.events)))
            let sql = "INSERT INTO journal_chunks (\(JournalChunks.columns.joined(separator: ", "))) VALUES ("
                + (1...JournalChunks.columns.count).map { "$\($0)" }.joined(separator: ", ") + ") ON CONFLICT DO NOTHING"
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: b), logger: logger)
        }
        let open = packed.open.map { $0.order(identity, symbol: packed.symbol) }
        try await insertRows(connection, table: "orders", columns: TradingSQL.orderColumns, rowCount: open.count, logger: logger,
                             suffix: TradingSQL.orderConflict) { i, b in appendOrder(open[i], to: &b) }
        if !packed.closed.isEmpty {
            let ids = packed.closed.map { identity.order($0).uuidString }
            try await connection.query("DELETE FROM orders WHERE id = ANY(\(ids))", logger: logger)
        }
    }

    static func appendOrder(_ o: StoredOrder, to b: inout PostgresBindings) {
        b.append(o.id.uuidString); b.append(o.botID); b.append(o.symbol); b.append(o.side.description); b.append(o.type)
        b.append(o.quantity); b.append(o.limitPrice); b.append(o.stopPrice); b.append(o.status.rawValue); b.append(o.filledQuantity)
        b.append(o.averageFillPrice); b.append(o.brokerOrderID); b.append(o.createdAt); b.append(o.updatedAt)
    }

    public func order(id: UUID) async throws -> StoredOrder? {
        let key = id.uuidString
        let row = try await withRetry("load order \(key)") { try await Self.rows($0, "SELECT * FROM orders WHERE id = \(key)", logger: self.logger) }
            .first.map(Self.order)
        if let row { return row }
        return try await packedOrder(id: id)
    }

    public func orders(botID: String, openOnly: Bool, limit: Int) async throws -> [StoredOrder] {
        var binds = PostgresBindings()
        binds.append(botID)
        binds.append(max(0, limit))
        let sql = "SELECT * FROM orders WHERE bot_id = $1" + (openOnly ? " AND status NOT IN \(TradingSQL.terminalStatuses)" : "")
            + " ORDER BY created_at DESC, id DESC LIMIT $2"
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        let orders = try await withRetry("list orders of \(botID)") { try await Self.rows($0, query, logger: self.logger) }
            .map(Self.order)
        // A packed session's open orders are rows too.
        if openOnly { return orders }
        return Self.merge(rows: orders, packed: try await packedOrders(botID: botID, limit: limit), limit: limit)
    }

    public func sessionRecords(botID: String, session: Int64) async throws -> SessionRecords {
        let prefix = OrderIdentity.paperOrderPrefix(session: session) + "%"
        let (orderRows, fillRows) = try await withRetry("records of a session of \(botID)") { connection in
            (try await Self.rows(connection, "SELECT * FROM orders WHERE bot_id = \(botID) AND broker_order_id LIKE \(prefix)", logger: self.logger),
             try await Self.rows(connection, """
                SELECT * FROM fills WHERE order_id IN (SELECT id FROM orders WHERE bot_id = \(botID) AND broker_order_id LIKE \(prefix))
                """, logger: self.logger))
        }
        let rows = SessionRecords(orders: try orderRows.map(Self.order), fills: try fillRows.map(Self.fill))
        return Self.merge(rows: rows, packed: try await packedSession(botID: botID, session: session))
    }

    public func journalPosition(botID: String, session: Int64) async throws -> JournalPosition {
        let prefix = OrderIdentity.paperOrderPrefix(session: session)
        let like = prefix + "%"
        let (ends, open) = try await withRetry("journal position of \(botID)") { connection in
            (try await Self.rows(connection, """
                SELECT COALESCE(MAX(first + count), 0) AS events, COALESCE(MAX(first_fill + fills), 0) AS fills
                FROM journal_chunks WHERE bot_id = \(botID) AND session = \(session)
                """, logger: self.logger),
             try await Self.rows(connection, PostgresQuery(unsafeSQL: "SELECT broker_order_id FROM orders WHERE bot_id = $1 AND broker_order_id LIKE $2 "
                                                              + "AND status NOT IN \(TradingSQL.terminalStatuses)", binds: Self.binds(botID, like)),
                                 logger: self.logger))
        }
        let numbers = open.compactMap { (try? $0["broker_order_id"].decode(String.self)).flatMap { Int($0.dropFirst(prefix.count)) } }
        return JournalPosition(events: Int(try ends.first.map { try Self.int($0, "events") } ?? 0),
                               fills: Int(try ends.first.map { try Self.int($0, "fills") } ?? 0), openOrders: numbers.sorted())
    }

    private static func binds(_ values: String...) -> PostgresBindings {
        var b = PostgresBindings(capacity: values.count)
        for v in values { b.append(v) }
        return b
    }

    public func orderHistory(id: UUID) async throws -> [OrderStateChange] {
        let key = id.uuidString
        let rows = try await withRetry("order history \(key)") {
            try await Self.rows($0, "SELECT * FROM order_states WHERE order_id = \(key) ORDER BY at, ctid", logger: self.logger)
        }
        if rows.isEmpty { return try await packedHistory(id: id) }
        return try rows.map { r in
            OrderStateChange(at: try Self.int(r, "at"), status: try TradingSQL.status(try Self.text(r, "status"), field: "order_states.status"),
                             filledQuantity: try Self.double(r, "filled_quantity"), detail: try Self.text(r, "detail"))
        }
    }

    @discardableResult
    public func recordFill(_ fill: StoredFill) async throws -> Bool {
        try TradingValidation.check(fill)
        let logger = self.logger
        return try await transaction("record fill \(fill.id)") { try await Self.writeFill($0, fill, logger: logger) }
    }

    /// Inserts the fill unless stored; true when it was new. Inside a transaction.
    static func writeFill(_ connection: PostgresConnection, _ f: StoredFill, logger: Logger) async throws -> Bool {
        !(try await rows(connection, """
            INSERT INTO fills (id, order_id, bot_id, symbol, at, quantity, price, commission)
            VALUES (\(f.id.uuidString), \(f.orderID.uuidString), \(f.botID), \(f.symbol), \(f.at), \(f.quantity), \(f.price), \(f.commission))
            ON CONFLICT (id) DO NOTHING RETURNING id
            """, logger: logger).isEmpty)
    }

    public func fills(orderID: UUID) async throws -> [StoredFill] {
        let key = orderID.uuidString
        let rows = try await withRetry("fills of order \(key)") {
            try await Self.rows($0, "SELECT * FROM fills WHERE order_id = \(key) ORDER BY at, id", logger: self.logger)
        }
        if rows.isEmpty { return try await packedFills(orderID: orderID) }
        return try rows.map(Self.fill)
    }

    static func fill(_ r: PostgresRandomAccessRow) throws -> StoredFill {
        StoredFill(id: try uuid(r, "id"), orderID: try uuid(r, "order_id"), botID: try text(r, "bot_id"), symbol: try text(r, "symbol"),
                   at: try int(r, "at"), quantity: try double(r, "quantity"), price: try double(r, "price"), commission: try double(r, "commission"))
    }

    public func replacePositions(botID: String, with positions: [StoredPosition]) async throws {
        for p in positions { try TradingValidation.check(p) }
        let logger = self.logger
        try await transaction("replace positions of \(botID)") { try await Self.writePositions($0, botID: botID, positions, logger: logger) }
    }

    static func writePositions(_ connection: PostgresConnection, botID: String, _ positions: [StoredPosition], logger: Logger) async throws {
        try await connection.query("DELETE FROM positions WHERE bot_id = \(botID)", logger: logger)
        try await insertRows(connection, table: "positions", columns: ["bot_id", "symbol", "quantity", "average_price", "realized_pnl", "updated_at"],
                             rowCount: positions.count, logger: logger) { i, b in
            let p = positions[i]
            b.append(botID); b.append(p.symbol); b.append(p.quantity); b.append(p.averagePrice); b.append(p.realizedPnL); b.append(p.updatedAt)
        }
    }

    public func positions(botID: String) async throws -> [StoredPosition] {
        let rows = try await withRetry("positions of \(botID)") {
            try await Self.rows($0, "SELECT * FROM positions WHERE bot_id = \(botID) ORDER BY symbol", logger: self.logger)
        }
        return try rows.map { r in
            StoredPosition(symbol: try Self.text(r, "symbol"), quantity: try Self.double(r, "quantity"), averagePrice: try Self.double(r, "average_price"),
                           realizedPnL: try Self.double(r, "realized_pnl"), updatedAt: try Self.int(r, "updated_at"))
        }
    }

    @discardableResult
    public func saveCheckpoint(id: UUID, botID: String, state: String) async throws -> Int64 {
        if botID.isEmpty { throw StoreError.invalid(field: "botID", reason: "is empty") }
        let logger = self.logger
        return try await transaction("save checkpoint \(id.uuidString)") {
            try await Self.writeCheckpoint($0, id: id, botID: botID, state: state, logger: logger)
        }
    }

    static func writeCheckpoint(_ connection: PostgresConnection, id: UUID, botID: String, state: String, logger: Logger) async throws -> Int64 {
        let key = id.uuidString
        let now = StoreClock.nowNanos()
        try await connection.query("INSERT INTO checkpoints (id, bot_id, created_at, state) VALUES (\(key), \(botID), \(now), \(state)) ON CONFLICT (id) DO NOTHING",
                                   logger: logger)
        guard let row = try await rows(connection, "SELECT seq FROM checkpoints WHERE id = \(key)", logger: logger).first else {
            throw StoreError.corrupt(field: "checkpoints.seq", reason: "saved checkpoint not found")
        }
        return try int(row, "seq")
    }

    public func latestCheckpoint(botID: String) async throws -> StoredCheckpoint? {
        let rows = try await withRetry("latest checkpoint of \(botID)") {
            try await Self.rows($0, "SELECT * FROM checkpoints WHERE bot_id = \(botID) ORDER BY seq DESC LIMIT 1", logger: self.logger)
        }
        return try rows.first.map { r in
            StoredCheckpoint(sequence: try Self.int(r, "seq"), id: try Self.uuid(r, "id"), botID: try Self.text(r, "bot_id"),
                             createdAt: try Self.int(r, "created_at"), state: try Self.text(r, "state"))
        }
    }

    @discardableResult
    public func pruneCheckpoints(botID: String, keeping: Int) async throws -> Int {
        let keep = max(0, keeping)
        return try await transaction("prune checkpoints of \(botID)") { connection in
            try await Self.rows(connection, """
                DELETE FROM checkpoints WHERE bot_id = \(botID) AND seq NOT IN
                    (SELECT seq FROM checkpoints WHERE bot_id = \(botID) ORDER BY seq DESC LIMIT \(keep)) RETURNING seq
                """, logger: self.logger).count
        }
    }

    static func order(_ r: PostgresRandomAccessRow) throws -> StoredOrder {
        StoredOrder(id: try uuid(r, "id"), botID: try text(r, "bot_id"), symbol: try text(r, "symbol"), side: try TradingSQL.side(try text(r, "side")),
                    type: try text(r, "order_type"), quantity: try double(r, "quantity"), limitPrice: try optionalDouble(r, "limit_price"),
                    stopPrice: try optionalDouble(r, "stop_price"), status: try TradingSQL.status(try text(r, "status"), field: "orders.status"),
                    filledQuantity: try double(r, "filled_quantity"), averageFillPrice: try optionalDouble(r, "average_fill_price"),
                    brokerOrderID: try? r["broker_order_id"].decode(String?.self), createdAt: try int(r, "created_at"), updatedAt: try int(r, "updated_at"))
    }

    // MARK: - Packed journal chunks

    func journalChunks(recordKey: Int64, number: Int) async throws -> [JournalChunks.Row] {
        try await chunkRows("WHERE record_key = \(recordKey) AND low_order <= \(number) AND high_order >= \(number) ORDER BY session, first")
    }

    func journalChunks(botID: String, session: Int64) async throws -> [JournalChunks.Row] {
        try await chunkRows("WHERE bot_id = \(botID) AND session = \(session) ORDER BY first")
    }

    func journalChunks(botID: String, newestFirst offset: Int, limit: Int) async throws -> [JournalChunks.Row] {
        try await chunkRows("WHERE bot_id = \(botID) ORDER BY session DESC, first DESC LIMIT \(max(0, limit)) OFFSET \(max(0, offset))")
    }

    private func chunkRows(_ clause: PostgresQuery) async throws -> [JournalChunks.Row] {
        var select = clause
        select.sql = "SELECT bot_id, symbol, session, first, count, first_fill, last_at, data FROM journal_chunks " + select.sql
        let query = select
        return try await withRetry("read the packed journal") { try await Self.rows($0, query, logger: self.logger) }.map { r in
            let data: ByteBuffer
            do { data = try r["data"].decode(ByteBuffer.self) } catch { throw StoreError.corrupt(field: "journal_chunks.data", reason: "not bytes") }
            return JournalChunks.Row(botID: try Self.text(r, "bot_id"), symbol: try Self.text(r, "symbol"), session: try Self.int(r, "session"),
                                     first: Int(try Self.int(r, "first")), count: Int(try Self.int(r, "count")),
                                     firstFill: Int(try Self.int(r, "first_fill")), lastAt: try Self.int(r, "last_at"),
                                     data: Array(data.readableBytesView))
        }
    }
}
