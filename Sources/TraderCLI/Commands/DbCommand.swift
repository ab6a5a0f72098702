import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderStore

/// `gpt-trader db`: the run database's schema.
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Show or apply the run database's schema migrations.",
        discussion: """
        The database is --database-url, else GPT_TRADER_DATABASE_URL, else ~/.gpt-trader/runs.sqlite.
        Commands that use the database apply pending migrations when they open it; `db status` looks
        without changing anything, `db migrate` applies them now.
        """,
        subcommands: [DbStatus.self, DbMigrate.self])
}

struct DbStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show applied and pending migrations.")

    @OptionGroup(title: "Run database") var database: DatabaseOptions
    @Option(help: "Output: table or json.") var output: OutputFormat = .table

    func run() async throws {
        let location = try database.location()
        let status: MigrationStatus
        if location.exists {
            let store = try await location.open(migrate: false)
            do {
                status = try await store.status()
                try? await store.close()
            } catch {
                try? await store.close()
                throw AppError.runtime("run database \(location): \(error)")
            }
        } else {
            status = MigrationStatus.empty(backend: "sqlite")
        }
        switch output {
        case .json:
            print(JSONValue.object([
                ("database", .string(location.description)), ("exists", .bool(location.exists)),
                ("version", .integer(status.currentVersion)), ("latest", .integer(MigrationStatus.latestVersion)),
                ("applied", .array(status.applied.map { .object([("version", .integer($0.version)), ("name", .string($0.name)),
                                                                  ("applied_at", .string(Timestamp(nanos: $0.appliedAt).iso8601()))]) })),
                ("pending", .array(status.pending.map { .object([("version", .integer($0.version)), ("name", .string($0.name))]) })),
            ]).serialized())
        case .table, .quiet:
            print("database  \(location)" + (location.exists ? "" : " (not created yet; the first saved run creates it)"))
            print("schema    v\(status.currentVersion) of v\(MigrationStatus.latestVersion)")
            var t = TextTable(headers: ["Version", "Name", "Applied (UTC)"], alignments: [.right, .left, .left])
            for a in status.applied { t.rows.append([String(a.version), a.name, RunsCommand.created(a.appliedAt)]) }
            for p in status.pending { t.rows.append([String(p.version), p.name, "pending"]) }
            print(t.render())
            if !status.pending.isEmpty { print("run `gpt-trader db migrate` to apply \(status.pending.count) pending migration(s)") }
        }
    }
}

struct DbMigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending migrations.")

    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func run() async throws {
        let location = try database.location()
        let store = try await location.open(migrate: false)
        let applied: [Migration]
        do {
            applied = try await store.migrate()
            try? await store.close()
        } catch {
            try? await store.close()
            throw AppError.runtime("run database \(location): \(error)")
        }
        if applied.isEmpty {
            print("\(location): up to date (schema v\(MigrationStatus.latestVersion))")
        } else {
            for m in applied { print("applied v\(m.version): \(m.name)") }
            print("\(location): schema v\(MigrationStatus.latestVersion)")
        }
    }
}
