public import Foundation
public import Logging
public import TraderStore
import TraderCore

/// Which run database a command uses: `--database-url`, else `GPT_TRADER_DATABASE_URL`, else the
/// embedded default, a SQLite file at `$GPT_TRADER_HOME/runs.sqlite` (`~/.gpt-trader/runs.sqlite`),
/// so `runs list` sees every run of the user whatever directory it was started from.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// The environment variable read when no option is given.
    public static let environmentVariable = "GPT_TRADER_DATABASE_URL"

    /// Resolves the location; `option` names the flag in errors (`--database-url`).
    public static func resolve(flag: String?, option: String = "--database-url",
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(AppError) -> DatabaseLocation {
        if let flag { return try parse(flag, source: option) }
        if let text = environment[environmentVariable], !text.isEmpty { return try parse(text, source: environmentVariable) }
        return .sqlite(path: defaultPath(environment: environment))
    }

    /// `$GPT_TRADER_HOME/runs.sqlite`, with `GPT_TRADER_HOME` defaulting to `~/.gpt-trader`.
    public static func defaultPath(environment: [String: String]) -> String {
        home(environment: environment) + "/runs.sqlite"
    }

    /// The directory for the user's files (`GPT_TRADER_HOME`, else `~/.gpt-trader`).
    public static func home(environment: [String: String]) -> String {
        if let home = environment["GPT_TRADER_HOME"], !home.isEmpty { return home }
        return (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.gpt-trader"
    }

    /// `postgres://…` / `postgresql://…`, `sqlite:PATH` or `sqlite://PATH`; `source` names the
    /// option or variable the text came from.
    public static func parse(_ text: String, source: String) throws(AppError) -> DatabaseLocation {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do {
                _ = try PostgresStoreConfiguration(parsing: text)
            } catch {
                throw .usage("\(source): \(error)")
            }
            return .postgres(url: text)
        }
        for prefix in ["sqlite://", "sqlite:"] where text.hasPrefix(prefix) {
            let path = String(text.dropFirst(prefix.count))
            guard !path.isEmpty else { throw .usage("\(source): sqlite: needs a file path, e.g. sqlite:runs.sqlite") }
            // A SQLite database is a file: it has no user, password, host or options. Such a URL
            // is a mistake (probably meant for another database) and must not become a folder
            // named after its password.
            if prefix == "sqlite://", path[..<(path.firstIndex(of: "/") ?? path.endIndex)].contains("@") {
                throw .usage("\(source): sqlite URLs take a file path, not a user, password or host: \(Redaction.redactURL(text)) (use sqlite:PATH)")
            }
            if path.contains("?") {
                throw .usage("\(source): sqlite URLs take no options: \(Redaction.redactURL(text)) (use sqlite:PATH)")
            }
            return .sqlite(path: path)
        }
        throw .usage("\(source): expected postgres://user:password@host:port/database or sqlite:PATH, got '\(Redaction.redactURL(text))'")
    }

    /// What to show: the path, or the URL with its password replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): Self.redactURL(url)
        }
    }

    /// Opens the store (`migrate: false` leaves the schema as it is, for `db status`). A store
    /// that cannot be opened is a runtime error naming the location, never its password.
    public func open(migrate: Bool = true, logger: Logger = Logger(label: "gpt-trader.store")) async throws(AppError) -> any Store {
        do {
            switch self {
            case .sqlite(let path): return try await SQLiteRunStore.open(path: path, migrate: migrate, logger: logger)
            case .postgres(let url): return try await PostgresRunStore.open(url: url, migrate: migrate, logger: logger)
            }
        } catch let error as StoreError {
            throw .runtime("run database: \(error)")
        } catch {
            throw .runtime("run database \(description): \(error)")
        }
    }

    /// Whether the database exists already (a SQLite file that was never written does not).
    public var exists: Bool {
        switch self {
        case .sqlite(let path): FileManager.default.fileExists(atPath: path)
        case .postgres: true
        }
    }

    /// A database or cache URL fit to print: PostgreSQL URLs with the password replaced, others
    /// with their password and secret options replaced (`Redaction.redactURL`).
    public static func redactURL(_ text: String) -> String {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"), let url = try? DatabaseURL(parsing: text) { return url.redacted }
        return Redaction.redactURL(text)
    }
}
