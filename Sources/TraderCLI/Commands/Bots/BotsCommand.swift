import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderStore

/// `gpt-trader bots`: the paper and live bots of the run database, from any terminal.
struct BotsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bots",
        abstract: "List, inspect, stop and resume paper and live bots.",
        discussion: """
        A `paper` session registers itself as a bot in the run database: from another terminal,

          gpt-trader bots list
          gpt-trader bots status paper-GOOG-sma-crossover
          gpt-trader bots stop paper-GOOG-sma-crossover [--flatten]    (the kill switch)
          gpt-trader bots resume paper-GOOG-sma-crossover

        A bot recorded as running whose process is gone (killed, crashed) shows as `lost`;
        `bots resume` continues it from its last checkpoint.
        """,
        subcommands: [BotsList.self, BotsStatus.self, BotsStop.self, BotsResume.self],
        defaultSubcommand: BotsList.self)

    /// A stored time (nanoseconds since 1970) to the second, in UTC.
    static func time(_ nanos: Int64) -> String { RunsCommand.created(nanos) }

    static func money(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "-" }
}

struct BotsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the bots, most recently started first.")

    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        let entries = try await RunHistory.using(history) { try await BotService(store: history.store).list() }
        if output == .json {
            print(JSONValue.array(entries.map(BotsStatus.json)).serialized())
            return
        }
        guard !entries.isEmpty else {
            print("No bots yet: start one with `gpt-trader paper`.")
            return
        }
        let terminal = Terminal(noColorFlag: noColor)
        var table = TextTable(headers: ["BOT", "MODE", "STATUS", "PID", "BARS", "EQUITY", "STARTED", "LAST SEEN"],
                              alignments: [.left, .left, .left, .right, .right, .right, .left, .left])
        for e in entries {
            let r = e.record
            table.rows.append([r.id, r.mode, e.shownStatus, r.pid.map(String.init) ?? "-", String(r.bars), BotsCommand.money(r.equity),
                               BotsCommand.time(r.startedAt), BotsCommand.time(r.updatedAt)])
        }
        table.paint = { row, column, text in
            guard column == 2 else { return text }
            switch entries[row].shownStatus {
            case "running": return terminal.paint(text, .green)
            case "lost", "failed", "halted": return terminal.paint(text, .red)
            default: return text
            }
        }
        print(table.render(headerStyle: { terminal.paint($0, .bold) }))
    }
}
