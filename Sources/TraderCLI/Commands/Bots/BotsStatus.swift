import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderStore

struct BotsStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show one bot: state, positions, open and recent orders.")

    @Argument(help: "The bot's name.") var bot: String
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        let status = try await RunHistory.using(history) { try await BotService(store: history.store).status(bot) }
        if output == .json {
            var doc = Self.json(status.entry)
            if case var .object(fields) = doc {
                fields.append(("positions", .array(status.positions.map { p in
                    .object([("symbol", .string(p.symbol)), ("quantity", .number(p.quantity)), ("average_price", .number(p.averagePrice))])
                })))
                fields.append(("open_orders", .array(status.openOrders.map(Self.json))))
                fields.append(("recent_orders", .array(status.recentOrders.map(Self.json))))
                fields.append(("checkpoint", status.checkpoint.map { .string($0.state) } ?? .null))
                doc = .object(fields)
            }
            print(doc.serialized())
            return
        }
        let r = status.entry.record
        print("Bot        \(r.id) (\(r.mode))")
        let pending = status.entry.isAlive ? r.stopRequest.map { " (stop requested: \($0.rawValue))" } ?? "" : ""
        print("Status     \(status.entry.shownStatus)\(pending)")
        print("Process    \(r.pid.map(String.init) ?? "-") on \(r.host)")
        print("Started    \(BotsCommand.time(r.startedAt)), last seen \(BotsCommand.time(r.updatedAt))")
        print("Bars       \(r.bars), equity \(BotsCommand.money(r.equity))")
        if !r.detail.isEmpty { print("Detail     \(r.detail)") }
        print("Command    gpt-trader \(r.arguments.joined(separator: " "))")
        print("Positions  " + (status.positions.isEmpty ? "none" : status.positions.map {
            "\($0.symbol) \($0.quantity) @ \(String(format: "%.4f", $0.averagePrice))"
        }.joined(separator: ", ")))
        print("Open orders \(status.openOrders.count)")
        for o in status.recentOrders.prefix(5) {
            print("  \(BotsCommand.time(o.updatedAt))  \(o.side) \(o.quantity) \(o.symbol) \(o.type)  \(o.status.rawValue)"
                  + (o.averageFillPrice.map { " @ \(String(format: "%.4f", $0))" } ?? ""))
        }
    }

    static func json(_ e: BotService.Entry) -> JSONValue {
        let r = e.record
        return .object([
            ("id", .string(r.id)), ("mode", .string(r.mode)), ("status", .string(e.shownStatus)), ("recorded_status", .string(r.status.rawValue)),
            ("pid", r.pid.map { .integer(Int($0)) } ?? .null), ("host", .string(r.host)), ("bars", .integer(r.bars)),
            ("equity", r.equity.map(JSONValue.number) ?? .null), ("started_at", .string(BotsCommand.time(r.startedAt))),
            ("updated_at", .string(BotsCommand.time(r.updatedAt))), ("stop_request", r.stopRequest.map { .string($0.rawValue) } ?? .null),
            ("detail", .string(r.detail)), ("arguments", .array(r.arguments.map(JSONValue.string))),
        ])
    }

    static func json(_ o: StoredOrder) -> JSONValue {
        .object([("id", .string(o.id.uuidString.lowercased())), ("side", .string(o.side.description)), ("type", .string(o.type)),
                 ("quantity", .number(o.quantity)), ("status", .string(o.status.rawValue)), ("filled_quantity", .number(o.filledQuantity)),
                 ("average_fill_price", o.averageFillPrice.map(JSONValue.number) ?? .null), ("updated_at", .string(BotsCommand.time(o.updatedAt)))])
    }
}
