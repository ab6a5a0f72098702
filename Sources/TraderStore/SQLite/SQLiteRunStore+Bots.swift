import Foundation
import SQLiteNIO

extension SQLiteRunStore: BotRegistry {
    public func saveBot(_ bot: BotRecord) async throws {
        try BotSQL.check(bot)
        let operation = "save bot \(bot.id)"
        try await transaction(operation) {
            try await self.run(BotSQL.upsert(placeholders: Array(repeating: "?", count: BotSQL.columns.count)), [
                .text(bot.id), .text(bot.mode), .text(bot.status.rawValue), bot.pid.map { .integer(Int($0)) } ?? .null, .text(bot.host),
                .text(BotSQL.encode(arguments: bot.arguments)), .integer(Int(bot.startedAt)), .integer(Int(bot.updatedAt)), .null,
                .integer(bot.bars), Self.real(bot.equity), .text(bot.detail),
            ], operation)
        }
    }

    public func heartbeat(botID: String, status: BotStatus, bars: Int, equity: Double?, detail: String) async throws -> BotStopRequest? {
        let operation = "heartbeat of bot \(botID)"
        let rows = try await transaction(operation) {
            try await self.run("UPDATE bots SET status = ?, bars = ?, equity = ?, detail = ?, updated_at = ? WHERE id = ? RETURNING stop_request",
                               [.text(status.rawValue), .integer(bars), Self.real(equity.flatMap { $0.isFinite ? $0 : nil }), .text(detail),
                                .integer(Int(StoreClock.nowNanos())), .text(botID)], operation)
        }
        guard let row = rows.first else { throw StoreError.invalid(field: "bot", reason: "no bot '\(botID)' in this store") }
        return try BotSQL.stopRequest(row.column("stop_request")?.string)
    }

    public func requestStop(botID: String, request: BotStopRequest) async throws -> BotRecord? {
        let operation = "stop bot \(botID)"
        let rows = try await transaction(operation) {
            try await self.run("UPDATE bots SET stop_request = ? WHERE id = ? RETURNING *", [.text(request.rawValue), .text(botID)], operation)
        }
        return try rows.first.map(Self.bot)
    }

    public func bot(id: String) async throws -> BotRecord? {
        let rows = try await lock.withLock { try await self.run("SELECT * FROM bots WHERE id = ?", [.text(id)], "load bot \(id)") }
        return try rows.first.map(Self.bot)
    }

    public func bots() async throws -> [BotRecord] {
        let rows = try await lock.withLock { try await self.run("SELECT * FROM bots ORDER BY started_at DESC, id", [], "list bots") }
        return try rows.map(Self.bot)
    }

    static func bot(_ r: SQLiteRow) throws -> BotRecord {
        BotRecord(id: try text(r, "id"), mode: try text(r, "mode"), status: try BotSQL.status(try text(r, "status")),
                  pid: r.column("pid")?.integer.map { Int32(truncatingIfNeeded: $0) }, host: try text(r, "host"),
                  arguments: try BotSQL.decode(arguments: try text(r, "arguments")), startedAt: Int64(try int(r, "started_at")),
                  updatedAt: Int64(try int(r, "updated_at")), stopRequest: try BotSQL.stopRequest(r.column("stop_request")?.string),
                  bars: try int(r, "bars"), equity: r.column("equity")?.double, detail: try text(r, "detail"))
    }
}
