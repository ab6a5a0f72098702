import Foundation
import PostgresNIO

extension PostgresRunStore: BotRegistry {
    public func saveBot(_ bot: BotRecord) async throws {
        try BotSQL.check(bot)
        var binds = PostgresBindings(capacity: BotSQL.columns.count)
        binds.append(bot.id); binds.append(bot.mode); binds.append(bot.status.rawValue); binds.append(bot.pid.map(Int64.init))
        binds.append(bot.host); binds.append(BotSQL.encode(arguments: bot.arguments)); binds.append(bot.startedAt); binds.append(bot.updatedAt)
        binds.append(String?.none); binds.append(Int64(bot.bars)); binds.append(bot.equity); binds.append(bot.detail)
        let query = PostgresQuery(unsafeSQL: BotSQL.upsert(placeholders: (1...BotSQL.columns.count).map { "$\($0)" }), binds: binds)
        let logger = self.logger
        try await transaction("save bot \(bot.id)") { try await $0.query(query, logger: logger) }
    }

    public func heartbeat(botID: String, status: BotStatus, bars: Int, equity: Double?, detail: String) async throws -> BotStopRequest? {
        let now = StoreClock.nowNanos(), value = equity.flatMap { $0.isFinite ? $0 : nil }, count = Int64(bars), state = status.rawValue
        let logger = self.logger
        let rows = try await transaction("heartbeat of bot \(botID)") { connection in
            try await Self.rows(connection, """
                UPDATE bots SET status = \(state), bars = \(count), equity = \(value), detail = \(detail), updated_at = \(now)
                WHERE id = \(botID) RETURNING stop_request
                """, logger: logger)
        }
        guard let row = rows.first else { throw StoreError.invalid(field: "bot", reason: "no bot '\(botID)' in this store") }
        return try BotSQL.stopRequest(try row["stop_request"].decode(String?.self))
    }

    public func requestStop(botID: String, request: BotStopRequest) async throws -> BotRecord? {
        let value = request.rawValue
        let logger = self.logger
        let rows = try await transaction("stop bot \(botID)") { connection in
            try await Self.rows(connection, "UPDATE bots SET stop_request = \(value) WHERE id = \(botID) RETURNING *", logger: logger)
        }
        return try rows.first.map(Self.bot)
    }

    public func bot(id: String) async throws -> BotRecord? {
        try await withRetry("load bot \(id)") { try await Self.rows($0, "SELECT * FROM bots WHERE id = \(id)", logger: self.logger) }
            .first.map(Self.bot)
    }

    public func bots() async throws -> [BotRecord] {
        try await withRetry("list bots") { try await Self.rows($0, "SELECT * FROM bots ORDER BY started_at DESC, id", logger: self.logger) }
            .map(Self.bot)
    }

    static func bot(_ r: PostgresRandomAccessRow) throws -> BotRecord {
        BotRecord(id: try text(r, "id"), mode: try text(r, "mode"), status: try BotSQL.status(try text(r, "status")),
                  pid: try r["pid"].decode(Int64?.self).map { Int32(truncatingIfNeeded: $0) }, host: try text(r, "host"),
                  arguments: try BotSQL.decode(arguments: try text(r, "arguments")), startedAt: try int(r, "started_at"),
                  updatedAt: try int(r, "updated_at"), stopRequest: try BotSQL.stopRequest(try r["stop_request"].decode(String?.self)),
                  bars: Int(try int(r, "bars")), equity: try optionalDouble(r, "equity"), detail: try text(r, "detail"))
    }
}
