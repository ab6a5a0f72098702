import ArgumentParser
import Foundation
import TraderApp

struct BotsResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Continue a stopped or lost bot from its last checkpoint, in this terminal.",
        discussion: "Runs the bot's own command line again with --resume (see `bots status NAME`).")

    @Argument(help: "The bot's name.") var bot: String
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        let arguments = try await RunHistory.using(history) { try await BotService(store: history.store).resumeArguments(bot) }
        let databaseFlag = database.databaseURL.map { ["--database-url", $0] } ?? []
        let code = await CLI.execute(arguments + (arguments.contains("--database-url") ? [] : databaseFlag))
        if code != 0 { throw ExitCode(code) }
    }
}
