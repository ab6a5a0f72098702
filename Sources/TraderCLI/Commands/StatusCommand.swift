import ArgumentParser
import Foundation
import TraderApp
import TraderCore

/// `gpt-trader status`: the state of this installation — data, cache, database, what runs — or,
/// with `--url`, of a running server (its `GET /api/v1/status` serves the same document).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the data found, whether the cache and database are reachable, recent runs and what is running.",
        discussion: """
        The run database is --database-url, else GPT_TRADER_DATABASE_URL (postgres://user:pass@host:port/db
        or sqlite:PATH), else the config file's database.url, else ~/.gpt-trader/runs.sqlite; the cache
        is --cache-url or GPT_TRADER_CACHE_URL. Passwords are never printed.
        With --url http://host:port, the status of the server there (GET /api/v1/status), as it sees it.
        Exit code 0 even when a service is down: the report says so; 1 when --url cannot be reached.
        """)

    @OptionGroup(title: "Cache") var cacheOptions: CacheOptions
    @OptionGroup(title: "Run database") var database: DatabaseOptions
    @Option(help: ArgumentHelp("A running server's address (http://host:port); its status instead of this machine's.", valueName: "url"))
    var url: String?
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func validate() throws {
        if let url {
            guard let parsed = URL(string: url), parsed.scheme == "http", parsed.host != nil else {
                throw ValidationError("--url must be http://host:port, got '\(url)'"
                    + (url.hasPrefix("https://") ? " (https is not supported yet: use an SSH tunnel or the server's private address)" : ""))
            }
            // Credentials in the URL would never be sent (the server takes an API key), and a
            // URL that seems to carry them would be saved in shell history for nothing.
            if parsed.user != nil || parsed.password != nil {
                throw ValidationError("--url: a user or password in the URL is not used; the server takes an API key (config server.api_key)")
            }
        }
    }

    func run() async throws {
        let document: JSONValue
        if let url {
            document = try await StatusClient.fetch(url)
        } else {
            document = await SystemStatus.gather(locator: MarketDataLocator(), cache: try cacheOptions.settings(),
                                                 database: try database.location()).document(version: GPTTraderCommand.version)
        }
        switch output {
        case .json: print(document.serialized())
        case .table, .quiet: print(StatusRenderer(terminal: Terminal(noColorFlag: noColor)).render(document, source: url))
        }
    }
}
