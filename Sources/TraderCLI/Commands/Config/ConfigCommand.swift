import ArgumentParser
import Foundation
import TraderData
import TraderApp
import TraderCore

/// `gpt-trader config`: the layered configuration — write a template, show the effective values
/// and where each comes from, read or change one, check a file.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Create, show, read, change and check the configuration file.",
        discussion: """
        Layers, later wins: defaults < config file < environment < command-line flags.
          file         --config FILE, else ./gpt-trader.yaml, else ~/.gpt-trader/config.yaml
          environment  BOT_V2_<SECTION>_<KEY> (e.g. BOT_V2_BACKTEST_CAPITAL=50000), and the
                       program's own GPT_TRADER_DATABASE_URL, GPT_TRADER_CACHE_URL, GPT_TRADER_LOG_LEVEL, ...
        Sections: \(ConfigSchema.sections.joined(separator: ", ")).
        Secrets (database and cache passwords, broker and API keys) are never printed.

        Examples:
          gpt-trader config init
          gpt-trader config set backtest.capital 50000
          gpt-trader config get backtest.capital
          gpt-trader config show --output json
          gpt-trader config validate --config team.yaml
        """,
        subcommands: [ConfigInit.self, ConfigShow.self, ConfigGet.self, ConfigSet.self, ConfigValidate.self])

    /// The key `path` names, or a usage error listing the close ones.
    static func key(_ path: String) throws -> ConfigKey {
        if let key = ConfigSchema.key(path) { return key }
        let section = path.split(separator: ".").first.map(String.init) ?? path
        let near = ConfigSchema.keys(in: section).map(\.path)
        throw ValidationError("unknown configuration key '\(path)'; "
            + (near.isEmpty ? "sections: \(ConfigSchema.sections.joined(separator: ", "))" : "keys of \(section): \(near.joined(separator: ", "))"))
    }

    /// Where `init` and `set` write: `--config FILE`, else the file in use, else
    /// `~/.gpt-trader/config.yaml`.
    static func targetFile() -> String {
        ConfigurationSetup.explicitFile ?? ActiveConfiguration.current.file
            ?? AppConfiguration.homeFile(environment: ProcessInfo.processInfo.environment)
    }

    /// Writes `text` to `path` atomically (a failed write leaves the old file whole).
    static func write(_ text: String, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        do { try AtomicWrite.write(text, to: path) } catch { throw AppError(error, context: "config file") }
    }
}

struct ConfigInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a commented configuration file with every key and its default.")

    @Option(help: ArgumentHelp("Where to write (default: --config FILE, else ~/.gpt-trader/config.yaml).", valueName: "file")) var path: String?
    @Flag(help: "Write ./gpt-trader.yaml (the project's file) instead.") var local = false
    @Flag(help: "Replace an existing file.") var force = false

    func run() throws {
        let target = path ?? (local ? "gpt-trader.yaml" : (ConfigurationSetup.explicitFile
            ?? AppConfiguration.homeFile(environment: ProcessInfo.processInfo.environment)))
        if FileManager.default.fileExists(atPath: target) && !force {
            throw ValidationError("\(target) exists; use --force to replace it, or `config set KEY VALUE` to change one value")
        }
        try ConfigCommand.write(ConfigFileEditor.template(), to: target)
        print("wrote \(target)")
    }
}

struct ConfigShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show every effective value and where it comes from.")

    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Option(help: ArgumentHelp("Only this section.", valueName: "section")) var section: String?

    func validate() throws {
        if let section, !ConfigSchema.sections.contains(section) {
            throw ValidationError("unknown section '\(section)'; sections: \(ConfigSchema.sections.joined(separator: ", "))")
        }
    }

    func run() throws {
        let config = ActiveConfiguration.current
        let entries = config.ordered.filter { section == nil || $0.key.section == section }
        if output == .json {
            var sections: [(String, JSONValue)] = []
            for name in ConfigSchema.sections where section == nil || section == name {
                let fields = entries.filter { $0.key.section == name }.map { e -> (String, JSONValue) in
                    (e.key.name, e.key.secrecy == .none ? e.value : .string(e.key.display(e.value)))
                }
                sections.append((name, .object(fields)))
            }
            print(JSONValue.object([
                ("file", config.file.map(JSONValue.string) ?? .null),
                ("values", .object(sections)),
                ("origins", .object(entries.map { ($0.key.path, .string($0.origin)) })),
            ]).serialized())
            return
        }
        print("config file: \(config.file ?? "none (defaults; `gpt-trader config init` writes one)")")
        var table = TextTable(headers: ["key", "value", "from"], alignments: [.left, .left, .left])
        for e in entries { table.rows.append([e.key.path, e.key.display(e.value), e.origin]) }
        print(table.render())
    }
}

struct ConfigGet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Print one effective value (secrets as ***).")

    @Argument(help: ArgumentHelp("section.key, e.g. backtest.capital.", valueName: "key")) var key: String

    func run() throws {
        let k = try ConfigCommand.key(key)
        print(k.display(ActiveConfiguration.current[k.path]))
    }
}

struct ConfigSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set one value in the config file (the rest of the file, comments included, stays as it is).")

    @Argument(help: ArgumentHelp("section.key, e.g. backtest.capital.", valueName: "key")) var key: String
    @Argument(help: ArgumentHelp("The value.", valueName: "value")) var value: String

    func run() throws {
        let k = try ConfigCommand.key(key)
        let normalized: JSONValue
        do { normalized = try k.normalize(.string(value)) } catch { throw ValidationError("\(k.path) \(error.reason)") }
        let target = ConfigCommand.targetFile()
        // A file that cannot be read is refused, not replaced by a file of one key.
        let old = FileManager.default.fileExists(atPath: target) ? try AppConfiguration.readFile(target) : ""
        let updated = try ConfigFileEditor.setting(k, to: normalized, in: old)
        // The whole new file must load before it replaces the old one.
        let check: AppConfiguration
        do {
            check = try AppConfiguration.parsing(updated, file: target)
        } catch {
            throw AppError.usage("the change would leave \(target) invalid: \(error.message)")
        }
        try ConfigCommand.write(updated, to: target)
        print("\(k.path) = \(k.display(check[k.path])) in \(target)")
    }
}

struct ConfigValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check the configuration (file and environment); exit 2 with the first error's location.")

    func run() throws {
        // Loading happened at start: reaching here means file and environment are valid.
        let config = ActiveConfiguration.current
        let fromFile = config.ordered.filter { $0.origin.hasPrefix((config.file ?? "\u{0}") + ":") }.count
        let fromEnvironment = config.ordered.filter { $0.origin != "default" && !$0.origin.contains(":") }.count
        print("ok: \(config.file ?? "no config file") (\(fromFile) set in the file, \(fromEnvironment) from the environment)")
    }
}
