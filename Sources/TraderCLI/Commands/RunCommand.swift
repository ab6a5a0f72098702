import ArgumentParser
import Foundation
import Logging
import TraderApp
import TraderCore
import TraderLive
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `gpt-trader run`: runs the bots of a bot file, side by side, until their feeds end or a
/// signal stops them.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the bots of a bot file (paper or live).",
        discussion: """
        A bot file lists bots: data or feed, strategy and parameters, costs, risk limits (bot_v2's
        paper limits unless the bot says otherwise) and broker; see docs/live.md.

          gpt-trader run --mode paper --bot bots/sample.yaml
          gpt-trader run --mode paper --bot bots/sample.yaml --only goog-trend --resume

        Each bot is a bot of the run database: `gpt-trader bots` lists, stops and resumes them from
        another terminal. SIGINT or SIGTERM shuts the group down gracefully: every bot stops
        taking bars, writes its books and reports; the command exits 0.

        --mode live trades real money through a venue's broker: it needs the venue's credentials
        in the environment (APCA_API_KEY_ID and APCA_API_SECRET_KEY for Alpaca;
        COINBASE_API_KEY_NAME and COINBASE_API_PRIVATE_KEY for Coinbase) and asks for
        confirmation unless --yes.
        """)

    @Option(help: "paper or live.") var mode: String
    @Option(help: ArgumentHelp("The bot file (YAML).", valueName: "file")) var bot: String
    @Option(help: ArgumentHelp("Run only this bot of the file.", valueName: "name")) var only: String?
    @Flag(help: "Continue each bot's last session from its checkpoint.") var resume = false
    @Flag(help: "Live mode: do not ask for confirmation.") var yes = false
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false
    @Option(help: "Output: table (events as they happen, then a summary), json (the summary) or quiet.") var output: OutputFormat = .table
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func validate() throws {
        guard ["paper", "live"].contains(mode) else { throw ValidationError("--mode must be paper or live, got '\(mode)'") }
    }

    func run() async throws {
        var bots: [BotDefinition]
        do { bots = try BotFile.load(path: bot) } catch { throw AppError.usage("\(error)") }
        if let only {
            bots = bots.filter { $0.request.bot == only }
            guard !bots.isEmpty else { throw AppError.usage("--only: no bot '\(only)' in \(bot)") }
        }
        if mode == "live" {
            try checkLive(bots)
            for i in bots.indices { bots[i].request.live = true }
        }

        let terminal = Terminal(noColorFlag: noColor)
        let history = try await RunHistory.open(try database.location())
        try await RunHistory.using(history) {
            let bus = EventBus()
            let printer = output == .table ? LiveEventPrinter(terminal: terminal, bus: bus) : nil
            let services = bots.map { definition in
                BotRunService(definition: definition, tracking: PaperService.Tracking(
                    store: history.store, arguments: arguments(for: definition), resume: resume), bus: bus)
            }
            let group = BotRunService.group(services, logger: Logger(label: "gpt-trader.run"))
            // The one owner of the signals hands the first SIGINT or SIGTERM to the group as a
            // graceful shutdown; a second one ends the process at once.
            let signals = ShutdownOnce()
            let token = TerminationSignals.addInterruptHandler(signals: [SIGINT, SIGTERM]) {
                guard signals.first() else { TerminationSignals.terminate(SIGTERM) }
                Task { await group.triggerGracefulShutdown() }
            }
            defer { TerminationSignals.removeInterruptHandler(token) }
            try await group.run()
            bus.finish()
            await printer?.finished()
            try report(services, terminal: terminal)
        }
    }

    /// The command line that runs `definition` alone, for `bots resume`.
    func arguments(for definition: BotDefinition) -> [String] {
        var args = ["run", "--mode", mode, "--bot", URL(fileURLWithPath: bot).standardizedFileURL.path, "--only", definition.request.bot,
                    "--output", output.rawValue]
        if let url = database.databaseURL { args += ["--database-url", url] }
        return args
    }

    func checkLive(_ bots: [BotDefinition]) throws {
        let env = ProcessInfo.processInfo.environment
        for b in bots {
            let needed: [String]
            switch b.broker {
            case "alpaca": needed = ["APCA_API_KEY_ID", "APCA_API_SECRET_KEY"]
            case "coinbase": needed = ["COINBASE_API_KEY_NAME", "COINBASE_API_PRIVATE_KEY"]
            default: throw AppError.usage("\(b.location): bot '\(b.request.bot)': live mode needs a venue broker (alpaca or coinbase), not '\(b.broker)'")
            }
            let missing = needed.filter { (env[$0] ?? "").isEmpty }
            if !missing.isEmpty {
                throw AppError.usage("bot '\(b.request.bot)': live mode needs the venue's API keys in the environment, "
                                     + "and \(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") not set (refusing to start)")
            }
        }
        if !yes {
            guard isatty(0) != 0 else { throw AppError.usage("live mode trades real money: confirm with --yes (no terminal to ask)") }
            print("Live trading with real money: \(bots.map(\.request.bot).joined(separator: ", ")). Type 'yes' to start: ", terminator: "")
            guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else { throw AppError.usage("not confirmed; nothing started") }
        }
    }

    func report(_ services: [BotRunService], terminal: Terminal) throws {
        var failures: [String] = []
        var rows: [JSONValue] = []
        var table = TextTable(headers: ["BOT", "ENDED", "BARS", "TRADES", "RETURN %", "EQUITY"], alignments: [.left, .left, .right, .right, .right, .right])
        for s in services {
            let name = s.definition.request.bot
            switch s.result {
            case let .success(o)?:
                let m = o.result.metrics
                table.rows.append([name, o.ending.rawValue, String(o.result.timestamps.count), String(m.tradeCount),
                                   String(format: "%.2f", m.returnPct), String(format: "%.2f", m.equityFinal)])
                rows.append(.object([("bot", .string(name)), ("ended", .string(o.ending.rawValue)), ("bars", .integer(o.result.timestamps.count)),
                                     ("trades", .integer(m.tradeCount)), ("return_pct", .number(m.returnPct)), ("equity_final", .number(m.equityFinal))]))
            case let .failure(e)?:
                failures.append("\(name): \(e.message)")
                table.rows.append([name, "failed", "-", "-", "-", "-"])
                rows.append(.object([("bot", .string(name)), ("ended", .string("failed")), ("error", .string(e.message))]))
            case nil:
                table.rows.append([name, "not run", "-", "-", "-", "-"])
            }
        }
        switch output {
        case .json: print(JSONValue.array(rows).serialized())
        case .table: print(table.render(headerStyle: { terminal.paint($0, .bold) }))
        case .quiet: break
        }
        if !failures.isEmpty { throw AppError.runtime(failures.joined(separator: "; ")) }
    }
}

/// True the first time only: the first signal shuts down gracefully, a second one ends at once.
final class ShutdownOnce: Sendable {
    private let flag = Atomic<Bool>(false)
    func first() -> Bool { !flag.exchange(true, ordering: .relaxed) }
}
