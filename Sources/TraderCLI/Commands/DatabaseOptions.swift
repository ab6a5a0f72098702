import ArgumentParser
import TraderApp

/// `--database-url`, over `GPT_TRADER_DATABASE_URL`, over the default SQLite file.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"),
            help: ArgumentHelp("Run database: postgres://user:pass@host:port/db or sqlite:PATH (default: $GPT_TRADER_DATABASE_URL, else ~/.gpt-trader/runs.sqlite).",
                               valueName: "url"))
    var databaseURL: String?

    func location() throws -> DatabaseLocation {
        try DatabaseLocation.resolve(flag: databaseURL)
    }
}

/// The database options of a command that saves what it computes, plus `--no-save`.
struct SaveOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @Flag(name: .customLong("no-save"), help: "Do not save this run in the run database.") var noSave = false

    /// The history to save into, opened before the work starts so a database that is down fails
    /// the command at once instead of after the computation; nil with `--no-save`.
    func history() async throws -> RunHistory? {
        if noSave { return nil }
        do {
            return try await RunHistory.open(try database.location())
        } catch let error as AppError {
            throw AppError(error.message + " (run with --no-save to skip saving)", kind: error.kind)
        }
    }
}

extension RunHistory {
    /// Runs `body` with an optional history, closing it afterwards (also when `body` throws).
    static func using<T>(_ history: RunHistory?, _ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            await history?.close()
            return value
        } catch {
            await history?.close()
            throw error
        }
    }
}
