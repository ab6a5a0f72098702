import ArgumentParser
import Foundation
import TraderApp

struct BotsStop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop a running bot (the kill switch); --flatten closes its positions first.",
        discussion: "Waits until the bot has stopped (its next heartbeat, within a second) unless --no-wait.")

    @Argument(help: "The bot's name.") var bot: String
    @Flag(help: "Close every open position at the last price before stopping.") var flatten = false
    @Flag(name: .customLong("no-wait"), help: "Return once the request is recorded.") var noWait = false
    @Option(parsing: .unconditional, help: "Seconds to wait for the bot to stop.", transform: NumberArgument.whole) var timeout: Int = 30
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func validate() throws {
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be 1 to 3600 seconds, got \(timeout)") }
    }

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        try await RunHistory.using(history) {
            let service = BotService(store: history.store)
            _ = try await service.requestStop(bot, flatten: flatten)
            print("stop requested for \(bot)\(flatten ? " (flatten)" : "")")
            guard !noWait else { return }
            guard let stopped = try await service.waitUntilStopped(bot, limit: .seconds(timeout)) else {
                throw AppError.runtime("bot '\(bot)' did not stop within \(timeout) s (it checks once a second: is its process stuck?)")
            }
            print("\(bot) stopped after \(stopped.bars) bars, equity \(BotsCommand.money(stopped.equity))")
        }
    }
}
