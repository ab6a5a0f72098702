public import Foundation
import NIOCore
import SQLiteNIO
public import TraderCore

extension SQLiteRunStore: TradingStateStore, PackedJournalSource {
    public func recordOrder(_ order: StoredOrder, detail: String) async throws {
        try TradingValidation.check(order)
        let operation = "record order \(order.id.uuidString)"
        try await transaction(operation) { try await self.writeOrder(order, detail: detail, operation) }
    }

    /// The order's row and its state change; inside a transaction.
    private func writeOrder(_ order: StoredOrder, detail: String, _ operation: String) async throws {
        let id = order.id.uuidString
        try await run(TradingSQL.upsertOrder(placeholders: Array(repeating: "?", count: TradingSQL.orderColumns.count)),
                      Self.orderValues(order), operation)
        try await run("INSERT INTO order_states (order_id, at, status, filled_quantity, detail) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                      [.text(id), .integer(Int(order.updatedAt)), .text(order.status.rawValue), .float(order.filledQuantity), .text(detail)],
                      operation)
    }

    public func recordJournal(_ entry: JournalEntry) async throws {
        try TradingValidation.check(entry)
        guard !entry.isEmpty else { return }
        let operation = "record the journal of \(entry.botID)"
        let latest = entry.latestOrders
        try await transaction(operation) {
            // Multi-row statements: a journal entry of thousands of records is a few statements.
            try await self.insertRows(table: "orders", columns: TradingSQL.orderColumns, rowCount: latest.count, operation: operation,
                                      suffix: TradingSQL.orderConflict) { i, b in
                b.append(contentsOf: Self.orderValues(latest[i]))
            }
            try await self.insertRows(table: "order_states", columns: TradingSQL.orderStateColumns, rowCount: entry.orders.count,
                                      operation: operation, suffix: " ON CONFLICT DO NOTHING") { i, b in
                let (o, detail) = entry.orders[i]
                b.append(contentsOf: [.text(o.id.uuidString), .integer(Int(o.updatedAt)), .text(o.status.rawValue), .float(o.filledQuantity), .text(detail)])
            }
            try await self.insertRows(table: "fills", columns: TradingSQL.fillColumns, rowCount: entry.fills.count, operation: operation,
                                      suffix: " ON CONFLICT (id) DO NOTHING") { i, b in
                let f = entry.fills[i]
                b.append(contentsOf: [.text(f.id.uuidString), .text(f.orderID.uuidString), .text(f.botID), .text(f.symbol), .integer(Int(f.at)),
                                      .float(f.quantity), .float(f.price), .float(f.commission)])
            }
            if let packed = entry.packed { try await self.writePacked(packed, botID: entry.botID, operation) }
            if let positions = entry.positions { try await self.writePositions(botID: entry.botID, positions, operation) }
            if let (id, state) = entry.checkpoint { _ = try await self.writeCheckpoint(id: id, botID: entry.botID, state: state, operation) }
        }
    }

    /// The chunk of `packed`'s events (once: a retried write is the same key), its open orders'
    /// rows and the removal of the rows of orders that closed. Inside a transaction.
    private func writePacked(_ packed: PackedOrderEvents, botID: String, _ operation: String) async throws {
        let identity = OrderIdentity(bot: botID, session: packed.session)
        if !packed.events.isEmpty {
            let summary = JournalChunks.Summary(packed.events)
            let values: [SQLiteData] = [
                .text(botID), .integer(Int(packed.session)), .integer(packed.first), .integer(packed.events.count), .integer(packed.firstFill),
                .integer(summary.fills), .integer(Int(identity.recordKey)), .integer(summary.lowOrder), .integer(summary.highOrder),
                .integer(Int(summary.firstAt)), .integer(Int(summary.lastAt)), .text(packed.symbol),
                .blob(ByteBuffer(bytes: JournalChunks.pack(packed.events))),
            ]
            try await run("INSERT INTO journal_chunks (\(JournalChunks.columns.joined(separator: ", "))) VALUES ("
                          + Array(repeating: "?", count: values.count).joined(separator: ", ") + ") ON CONFLICT DO NOTHING", values, operation)
        }
        let open = packed.open.map { $0.order(identity, symbol: packed.symbol) }
        try await insertRows(table: "orders", columns: TradingSQL.orderColumns, rowCount: open.count, operation: operation,
                             suffix: TradingSQL.orderConflict) { i, b in b.append(contentsOf: Self.orderValues(open[i])) }
        for number in packed.closed {
            try await run("DELETE FROM orders WHERE id = ?", [.text(identity.order(number).uuidString)], operation)
        }
    }

    static func orderValues(_ o: StoredOrder) -> [SQLiteData] {
        [.text(o.id.uuidString), .text(o.botID), .text(o.symbol), .text(o.side.description), .text(o.type), .float(o.quantity),
         real(o.limitPrice), real(o.stopPrice), .text(o.status.rawValue), .float(o.filledQuantity), real(o.averageFillPrice),
         o.brokerOrderID.map(SQLiteData.text) ?? .null, .integer(Int(o.createdAt)), .integer(Int(o.updatedAt))]
    }

    public func order(id: UUID) async throws -> StoredOrder? {
        let rows = try await lock.withLock { try await self.run("SELECT * FROM orders WHERE id = ?", [.text(id.uuidString)], "load order \(id)") }
        if let row = rows.first { return try Self.order(row) }
        return try await packedOrder(id: id)
    }

    public func orders(botID: String, openOnly: Bool, limit: Int) async throws -> [StoredOrder] {
        let sql = "SELECT * FROM orders WHERE bot_id = ?" + (openOnly ? " AND status NOT IN \(TradingSQL.terminalStatuses)" : "")
            + " ORDER BY created_at DESC, id DESC LIMIT ?"
        let rows = try await lock.withLock { try await self.run(sql, [.text(botID), .integer(max(0, limit))], "list orders of \(botID)") }
        let orders = try rows.map(Self.order)
        // A packed session's open orders are rows too.
        if openOnly { return orders }
        return Self.merge(rows: orders, packed: try await packedOrders(botID: botID, limit: limit), limit: limit)
    }

    public func orderHistory(id: UUID) async throws -> [OrderStateChange] {
        let rows = try await lock.withLock {
            try await self.run("SELECT * FROM order_states WHERE order_id = ? ORDER BY at, rowid", [.text(id.uuidString)], "order history \(id)")
        }
        if rows.isEmpty { return try await packedHistory(id: id) }
        return try rows.map { r in
            OrderStateChange(at: Int64(try Self.int(r, "at")), status: try TradingSQL.status(try Self.text(r, "status"), field: "order_states.status"),
                             filledQuantity: try Self.double(r, "filled_quantity"), detail: try Self.text(r, "detail"))
        }
    }

    public func sessionRecords(botID: String, session: Int64) async throws -> SessionRecords {
        let prefix = [SQLiteData.text(botID), .text(OrderIdentity.paperOrderPrefix(session: session) + "%")]
        let (orderRows, fillRows) = try await lock.withLock {
            (try await self.run("SELECT * FROM orders WHERE bot_id = ? AND broker_order_id LIKE ?", prefix, "orders of a session of \(botID)"),
             try await self.run("SELECT * FROM fills WHERE order_id IN (SELECT id FROM orders WHERE bot_id = ? AND broker_order_id LIKE ?)",
                                prefix, "fills of a session of \(botID)"))
        }
        let rows = SessionRecords(orders: try orderRows.map(Self.order), fills: try fillRows.map(Self.fill))
        return Self.merge(rows: rows, packed: try await packedSession(botID: botID, session: session))
    }

    public func journalPosition(botID: String, session: Int64) async throws -> JournalPosition {
        let operation = "journal position of \(botID)"
        let prefix = OrderIdentity.paperOrderPrefix(session: session)
        let (ends, open) = try await lock.withLock {
            (try await self.run("SELECT COALESCE(MAX(first + count), 0) AS events, COALESCE(MAX(first_fill + fills), 0) AS fills "
                                + "FROM journal_chunks WHERE bot_id = ? AND session = ?", [.text(botID), .integer(Int(session))], operation),
             try await self.run("SELECT broker_order_id FROM orders WHERE bot_id = ? AND broker_order_id LIKE ? AND status NOT IN "
                                + TradingSQL.terminalStatuses, [.text(botID), .text(prefix + "%")], operation))
        }
        let numbers = open.compactMap { $0.column("broker_order_id")?.string.flatMap { Int($0.dropFirst(prefix.count)) } }
        return JournalPosition(events: try ends.first.map { try Self.int($0, "events") } ?? 0,
                               fills: try ends.first.map { try Self.int($0, "fills") } ?? 0, openOrders: numbers.sorted())
    }

    @discardableResult
    public func recordFill(_ fill: StoredFill) async throws -> Bool {
        try TradingValidation.check(fill)
        let operation = "record fill \(fill.id)"
        return try await transaction(operation) { try await self.writeFill(fill, operation) }
    }

    /// Inserts the fill unless stored; true when it was new. Inside a transaction.
    private func writeFill(_ fill: StoredFill, _ operation: String) async throws -> Bool {
        !(try await run(
            "INSERT INTO fills (id, order_id, bot_id, symbol, at, quantity, price, commission) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id",
            [.text(fill.id.uuidString), .text(fill.orderID.uuidString), .text(fill.botID), .text(fill.symbol), .integer(Int(fill.at)),
             .float(fill.quantity), .float(fill.price), .float(fill.commission)], operation).isEmpty)
    }

    public func fills(orderID: UUID) async throws -> [StoredFill] {
        let rows = try await lock.withLock {
            try await self.run("SELECT * FROM fills WHERE order_id = ? ORDER BY at, id", [.text(orderID.uuidString)], "fills of order \(orderID)")
        }
        if rows.isEmpty { return try await packedFills(orderID: orderID) }
        return try rows.map(Self.fill)
    }

    static func fill(_ r: SQLiteRow) throws -> StoredFill {
        StoredFill(id: try uuid(r, "id", table: "fills"), orderID: try uuid(r, "order_id", table: "fills"), botID: try text(r, "bot_id"),
                   symbol: try text(r, "symbol"), at: Int64(try int(r, "at")), quantity: try double(r, "quantity"),
                   price: try double(r, "price"), commission: try double(r, "commission"))
    }

    public func replacePositions(botID: String, with positions: [StoredPosition]) async throws {
        for p in positions { try TradingValidation.check(p) }
        let operation = "replace positions of \(botID)"
        try await transaction(operation) { try await self.writePositions(botID: botID, positions, operation) }
    }

    private func writePositions(botID: String, _ positions: [StoredPosition], _ operation: String) async throws {
        try await run("DELETE FROM positions WHERE bot_id = ?", [.text(botID)], operation)
        try await insertRows(table: "positions", columns: ["bot_id", "symbol", "quantity", "average_price", "realized_pnl", "updated_at"],
                             rowCount: positions.count, operation: operation) { i, binds in
            let p = positions[i]
            binds.append(contentsOf: [.text(botID), .text(p.symbol), .float(p.quantity), .float(p.averagePrice), .float(p.realizedPnL),
                                      .integer(Int(p.updatedAt))])
        }
    }

    public func positions(botID: String) async throws -> [StoredPosition] {
        let rows = try await lock.withLock { try await self.run("SELECT * FROM positions WHERE bot_id = ? ORDER BY symbol", [.text(botID)], "positions of \(botID)") }
        return try rows.map { r in
            StoredPosition(symbol: try Self.text(r, "symbol"), quantity: try Self.double(r, "quantity"), averagePrice: try Self.double(r, "average_price"),
                           realizedPnL: try Self.double(r, "realized_pnl"), updatedAt: Int64(try Self.int(r, "updated_at")))
        }
    }

    @discardableResult
    public func saveCheckpoint(id: UUID, botID: String, state: String) async throws -> Int64 {
        if botID.isEmpty { throw StoreError.invalid(field: "botID", reason: "is empty") }
        let operation = "save checkpoint \(id.uuidString)"
        return try await transaction(operation) { try await self.writeCheckpoint(id: id, botID: botID, state: state, operation) }
    }

    private func writeCheckpoint(id: UUID, botID: String, state: String, _ operation: String) async throws -> Int64 {
        let key = id.uuidString
        try await run("INSERT INTO checkpoints (id, bot_id, created_at, state) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                      [.text(key), .text(botID), .integer(Int(StoreClock.nowNanos())), .text(state)], operation)
        guard let row = try await run("SELECT seq FROM checkpoints WHERE id = ?", [.text(key)], operation).first else {
            throw StoreError.corrupt(field: "checkpoints.seq", reason: "saved checkpoint not found")
        }
        return Int64(try Self.int(row, "seq"))
    }

    public func latestCheckpoint(botID: String) async throws -> StoredCheckpoint? {
        let rows = try await lock.withLock {
            try await self.run("SELECT * FROM checkpoints WHERE bot_id = ? ORDER BY seq DESC LIMIT 1", [.text(botID)], "latest checkpoint of \(botID)")
        }
        return try rows.first.map { r in
            StoredCheckpoint(sequence: Int64(try Self.int(r, "seq")), id: try Self.uuid(r, "id", table: "checkpoints"), botID: try Self.text(r, "bot_id"),
                             createdAt: Int64(try Self.int(r, "created_at")), state: try Self.text(r, "state"))
        }
    }

    @discardableResult
    public func pruneCheckpoints(botID: String, keeping: Int) async throws -> Int {
        let operation = "prune checkpoints of \(botID)"
        return try await transaction(operation) {
            try await self.run("""
                DELETE FROM checkpoints WHERE bot_id = ? AND seq NOT IN
                    (SELECT seq FROM checkpoints WHERE bot_id = ? ORDER BY seq DESC LIMIT ?) RETURNING seq
                """, [.text(botID), .text(botID), .integer(max(0, keeping))], operation).count
        }
    }

    // MARK: - Rows

    static func order(_ r: SQLiteRow) throws -> StoredOrder {
        StoredOrder(id: try uuid(r, "id", table: "orders"), botID: try text(r, "bot_id"), symbol: try text(r, "symbol"),
                    side: try TradingSQL.side(try text(r, "side")), type: try text(r, "order_type"), quantity: try double(r, "quantity"),
                    limitPrice: r.column("limit_price")?.double, stopPrice: r.column("stop_price")?.double,
                    status: try TradingSQL.status(try text(r, "status"), field: "orders.status"), filledQuantity: try double(r, "filled_quantity"),
                    averageFillPrice: r.column("average_fill_price")?.double, brokerOrderID: r.column("broker_order_id")?.string,
                    createdAt: Int64(try int(r, "created_at")), updatedAt: Int64(try int(r, "updated_at")))
    }

    static func uuid(_ r: SQLiteRow, _ column: String, table: String) throws -> UUID {
        guard let id = UUID(uuidString: try text(r, column)) else { throw StoreError.corrupt(field: "\(table).\(column)", reason: "not a UUID") }
        return id
    }

    // MARK: - Packed journal chunks

    func journalChunks(recordKey: Int64, number: Int) async throws -> [JournalChunks.Row] {
        try await chunkRows("WHERE record_key = ? AND low_order <= ? AND high_order >= ? ORDER BY session, first",
                            [.integer(Int(recordKey)), .integer(number), .integer(number)])
    }

    func journalChunks(botID: String, session: Int64) async throws -> [JournalChunks.Row] {
        try await chunkRows("WHERE bot_id = ? AND session = ? ORDER BY first", [.text(botID), .integer(Int(session))])
    }

    func journalChunks(botID: String, newestFirst offset: Int, limit: Int) async throws -> [JournalChunks.Row] {
        try await chunkRows("WHERE bot_id = ? ORDER BY session DESC, first DESC LIMIT ? OFFSET ?",
                            [.text(botID), .integer(max(0, limit)), .integer(max(0, offset))])
    }

    private func chunkRows(_ clause: String, _ binds: [SQLiteData]) async throws -> [JournalChunks.Row] {
        let rows = try await lock.withLock {
            try await self.run("SELECT bot_id, symbol, session, first, count, first_fill, last_at, data FROM journal_chunks " + clause,
                               binds, "read the packed journal")
        }
        return try rows.map { r in
            guard let data = r.column("data")?.blob else { throw StoreError.corrupt(field: "journal_chunks.data", reason: "not a blob") }
            return JournalChunks.Row(botID: try Self.text(r, "bot_id"), symbol: try Self.text(r, "symbol"), session: Int64(try Self.int(r, "session")),
                                     first: try Self.int(r, "first"), count: try Self.int(r, "count"), firstFill: try Self.int(r, "first_fill"),
                                     lastAt: Int64(try Self.int(r, "last_at")), data: Array(data.readableBytesView))
        }
    }
}
