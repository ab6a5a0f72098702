public import Foundation
import SQLiteNIO
public import TraderCore

extension SQLiteRunStore: TradingStateStore {
    public func recordOrder(_ order: StoredOrder, detail: String) async throws {
        try TradingValidation.check(order)
        let operation = "record order \(order.id.uuidString)"
        try await transaction(operation) { try await self.writeOrder(order, detail: detail, operation) }
    }

    /// The order's row and its state change; inside a transaction.
    private func writeOrder(_ order: StoredOrder, detail: String, _ operation: String) async throws {
        let id = order.id.uuidString
        try await run(TradingSQL.upsertOrder(placeholders: Array(repeating: "?", count: TradingSQL.orderColumns.count)),
                      [.text(id), .text(order.botID), .text(order.symbol), .text(order.side.description), .text(order.type),
                       .float(order.quantity), Self.real(order.limitPrice), Self.real(order.stopPrice), .text(order.status.rawValue),
                       .float(order.filledQuantity), Self.real(order.averageFillPrice), order.brokerOrderID.map(SQLiteData.text) ?? .null,
                       .integer(Int(order.createdAt)), .integer(Int(order.updatedAt))], operation)
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
                let o = latest[i]
                b.append(contentsOf: [.text(o.id.uuidString), .text(o.botID), .text(o.symbol), .text(o.side.description), .text(o.type),
                                      .float(o.quantity), Self.real(o.limitPrice), Self.real(o.stopPrice), .text(o.status.rawValue),
                                      .float(o.filledQuantity), Self.real(o.averageFillPrice), o.brokerOrderID.map(SQLiteData.text) ?? .null,
                                      .integer(Int(o.createdAt)), .integer(Int(o.updatedAt))])
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
            if let positions = entry.positions { try await self.writePositions(botID: entry.botID, positions, operation) }
            if let (id, state) = entry.checkpoint { _ = try await self.writeCheckpoint(id: id, botID: entry.botID, state: state, operation) }
        }
    }

    public func order(id: UUID) async throws -> StoredOrder? {
        let rows = try await lock.withLock { try await self.run("SELECT * FROM orders WHERE id = ?", [.text(id.uuidString)], "load order \(id)") }
        return try rows.first.map(Self.order)
    }

    public func orders(botID: String, openOnly: Bool, limit: Int) async throws -> [StoredOrder] {
        let sql = "SELECT * FROM orders WHERE bot_id = ?" + (openOnly ? " AND status NOT IN \(TradingSQL.terminalStatuses)" : "")
            + " ORDER BY created_at DESC, id DESC LIMIT ?"
        let rows = try await lock.withLock { try await self.run(sql, [.text(botID), .integer(max(0, limit))], "list orders of \(botID)") }
        return try rows.map(Self.order)
    }

    public func orderHistory(id: UUID) async throws -> [OrderStateChange] {
        let rows = try await lock.withLock {
            try await self.run("SELECT * FROM order_states WHERE order_id = ? ORDER BY at, rowid", [.text(id.uuidString)], "order history \(id)")
        }
        return try rows.map { r in
            OrderStateChange(at: Int64(try Self.int(r, "at")), status: try TradingSQL.status(try Self.text(r, "status"), field: "order_states.status"),
                             filledQuantity: try Self.double(r, "filled_quantity"), detail: try Self.text(r, "detail"))
        }
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
        return try rows.map { r in
            StoredFill(id: try Self.uuid(r, "id", table: "fills"), orderID: try Self.uuid(r, "order_id", table: "fills"), botID: try Self.text(r, "bot_id"),
                       symbol: try Self.text(r, "symbol"), at: Int64(try Self.int(r, "at")), quantity: try Self.double(r, "quantity"),
                       price: try Self.double(r, "price"), commission: try Self.double(r, "commission"))
        }
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
}
