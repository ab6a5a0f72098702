import ArgumentParser
import Foundation
import TraderApp
import TraderCore

/// `gpt-trader status`: the state of this installation — data, cache, database, what runs.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the data found, whether the cache and database are reachable, recent runs and what is running.",
        discussion: """
        The run database is --database-url, else GPT_TRADER_DATABASE_URL (postgres://user:pass@host:port/db
        or sqlite:PATH), else ~/.gpt-trader/runs.sqlite; the cache is --cache-url or GPT_TRADER_CACHE_URL.
        Passwords are never printed.
        Exit code 0 even when a service is down: the report says so.
        """)

    @OptionGroup(title: "Cache") var cacheOptions: CacheOptions
    @OptionGroup(title: "Run database") var database: DatabaseOptions
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func run() async throws {
        let s = await SystemStatus.gather(locator: MarketDataLocator(), cache: try cacheOptions.settings(), database: try database.location())
        switch output {
        case .json:
            func service(_ x: SystemStatus.ServiceStatus) -> JSONValue {
                .object([("configured", .bool(x.target != nil)), ("target", x.target.map(JSONValue.string) ?? .null),
                         ("reachable", x.reachable.map(JSONValue.bool) ?? .null), ("detail", x.detail.map(JSONValue.string) ?? .null)])
            }
            print(JSONValue.object([
                ("version", .string(GPTTraderCommand.version)),
                ("data", .object([("search_paths", .array(s.data.searchPaths.map(JSONValue.string))),
                                  ("store_directory", .string(s.data.storeDirectory)),
                                  ("stored_symbols", .array(s.data.storedSymbols.map(JSONValue.string))),
                                  ("csv_symbols", .array(s.data.csvSymbols.map(JSONValue.string)))])),
                ("cache", service(s.cache)),
                ("database", service(s.database)),
                ("schema_version", s.schemaVersion.map(JSONValue.integer) ?? .null),
                ("pending_migrations", s.pendingMigrations.map(JSONValue.integer) ?? .null),
                ("recent_runs", .array(s.recentRuns.map { r in
                    .object([("id", .string(r.id.lowercased())), ("created", .string(r.created.iso8601())), ("strategy", .string(r.strategy)),
                             ("symbol", .string(r.symbol)), ("return_pct", r.returnPct.map(JSONValue.number) ?? .null),
                             ("trades", .integer(r.trades))])
                })),
                ("running", .object([("bots", .integer(s.runningBots)), ("workflows", .integer(s.runningWorkflows))])),
            ]).serialized())
        case .table, .quiet:
            let terminal = Terminal(noColorFlag: noColor)
            func state(_ x: SystemStatus.ServiceStatus) -> String {
                switch x.reachable {
                case true?: terminal.paint("reachable", .green) + " — \(x.target ?? "")" + (x.detail.map { ", \($0)" } ?? "")
                case false?: terminal.paint("unreachable", .red) + " — \(x.target ?? ""): \(x.detail ?? "")"
                case nil: x.detail ?? "not configured"
                }
            }
            var t = TextTable(headers: ["", ""], alignments: [.left, .left])
            t.rows.append(["gpt-trader", GPTTraderCommand.version])
            t.rows.append(["Data", "\(s.data.csvSymbols.count) CSV symbol(s): \(s.data.csvSymbols.prefix(10).joined(separator: ", "))"
                + (s.data.csvSymbols.count > 10 ? ", …" : "")])
            t.rows.append(["Bar store", "\(s.data.storedSymbols.count) symbol(s) in \(s.data.storeDirectory)"])
            t.rows.append(["Cache", state(s.cache)])
            t.rows.append(["Database", state(s.database)])
            t.rows.append(["Running", "\(s.runningBots) bots, \(s.runningWorkflows) workflows"])
            print(t.render())
            if !s.recentRuns.isEmpty {
                print("")
                var runs = TextTable(headers: ["Run", "Created", "Strategy", "Symbol", "Return [%]", "# Trades"],
                                     alignments: [.left, .left, .left, .left, .right, .right])
                for r in s.recentRuns {
                    runs.rows.append([String(r.id.lowercased().prefix(8)), RunsCommand.created(r.created.nanos), r.strategy, r.symbol,
                                      r.returnPct.map { String(format: "%.2f", $0) } ?? "--", String(r.trades)])
                }
                print(runs.render(headerStyle: { terminal.paint($0, .bold) }))
            }
        }
    }
}
