import Foundation

/// The `bots` table's statements and values, shared by both backends.
enum BotSQL {
    static let columns = ["id", "mode", "status", "pid", "host", "arguments", "started_at", "updated_at", "stop_request", "bars", "equity", "detail"]

    /// Insert or replace the whole record, the stop request cleared (a bot starting or resuming).
    static func upsert(placeholders p: [String]) -> String {
        """
        INSERT INTO bots (\(columns.joined(separator: ", "))) VALUES (\(p.joined(separator: ", ")))
        ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, status = excluded.status, pid = excluded.pid, host = excluded.host,
            arguments = excluded.arguments, started_at = excluded.started_at, updated_at = excluded.updated_at,
            stop_request = NULL, bars = excluded.bars, equity = excluded.equity, detail = excluded.detail
        """
    }

    static func check(_ bot: BotRecord) throws {
        if bot.id.isEmpty { throw StoreError.invalid(field: "bot.id", reason: "is empty") }
        if bot.mode.isEmpty { throw StoreError.invalid(field: "bot.mode", reason: "is empty") }
        if bot.bars < 0 { throw StoreError.invalid(field: "bot.bars", reason: "must not be negative") }
        if let e = bot.equity, !e.isFinite { throw StoreError.invalid(field: "bot.equity", reason: "must be a number") }
    }

    static func encode(arguments: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(arguments)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode(arguments text: String) throws -> [String] {
        do { return try JSONDecoder().decode([String].self, from: Data(text.utf8)) } catch {
            throw StoreError.corrupt(field: "bots.arguments", reason: "not a JSON array of strings")
        }
    }

    static func status(_ text: String) throws -> BotStatus {
        guard let s = BotStatus(rawValue: text) else { throw StoreError.corrupt(field: "bots.status", reason: "unknown status '\(text)'") }
        return s
    }

    static func stopRequest(_ text: String?) throws -> BotStopRequest? {
        guard let text else { return nil }
        guard let r = BotStopRequest(rawValue: text) else { throw StoreError.corrupt(field: "bots.stop_request", reason: "unknown request '\(text)'") }
        return r
    }
}
