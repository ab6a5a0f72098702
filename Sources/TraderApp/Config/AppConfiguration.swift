import Foundation
import TraderData
public import TraderCore
import TraderYAML

/// The effective configuration: defaults, then the config file, then environment variables
/// (`BOT_V2_<SECTION>_<KEY>`, and the program's own `GPT_TRADER_*` where a key has one), each
/// value remembering where it came from. Command-line flags override it in the commands.
///
/// The file is `--config FILE` (or `$GPT_TRADER_CONFIG`), else `./gpt-trader.yaml`, else
/// `$GPT_TRADER_HOME/config.yaml` (default `~/.gpt-trader/config.yaml`); none is fine.
/// Every mistake is one error naming the key and where it was written (file:line:column, or the
/// variable).
public struct AppConfiguration: Sendable {
    public struct Entry: Sendable {
        public let key: ConfigKey
        public let value: JSONValue
        /// "default", "FILE:LINE", or the environment variable's name.
        public let origin: String
    }

    public private(set) var entries: [String: Entry]
    /// The file read, if any.
    public let file: String?

    /// Only the defaults.
    public static let defaults = AppConfiguration(
        entries: Dictionary(uniqueKeysWithValues: ConfigSchema.keys.map { ($0.path, Entry(key: $0, value: $0.defaultValue, origin: "default")) }),
        file: nil)

    init(entries: [String: Entry], file: String?) {
        self.entries = entries
        self.file = file
    }

    /// The file `load` reads: `explicit`, else `$GPT_TRADER_CONFIG`, else the first that
    /// exists of `./gpt-trader.yaml` and `$GPT_TRADER_HOME/config.yaml`.
    public static func file(explicit: String?, environment: [String: String], currentDirectory: String) -> (path: String, required: Bool)? {
        if let explicit { return (explicit, true) }
        if let env = environment["GPT_TRADER_CONFIG"], !env.isEmpty { return (env, true) }
        for candidate in [currentDirectory + "/gpt-trader.yaml", DatabaseLocation.home(environment: environment) + "/config.yaml"]
        where FileManager.default.fileExists(atPath: candidate) {
            return (candidate, false)
        }
        return nil
    }

    /// The default place `config init` and `config set` write to.
    public static func homeFile(environment: [String: String]) -> String { DatabaseLocation.home(environment: environment) + "/config.yaml" }

    public static func load(explicit: String? = nil, environment: [String: String], currentDirectory: String) throws(AppError) -> AppConfiguration {
        var config = AppConfiguration.defaults
        let located = file(explicit: explicit, environment: environment, currentDirectory: currentDirectory)
        if let located {
            let text = try readFile(located.path)
            do { try config.apply(yaml: text, file: located.path) } catch { throw .usage(error.description) }
        }
        config = AppConfiguration(entries: config.entries, file: located?.path)
        try config.apply(environment: environment)
        return config
    }

    /// The text of the config file at `path`: a regular file of at most `YAMLLimits.standard`'s
    /// size (`--config /dev/zero` is refused at once), in UTF-8.
    public static func readFile(_ path: String) throws(AppError) -> String {
        do { return try YAMLFile.read(path) } catch { throw .usage("cannot read config file \(error)") }
    }

    /// Only the defaults and `text` (no environment): what `config set` checks before writing.
    public static func parsing(_ text: String, file: String) throws(AppError) -> AppConfiguration {
        var config = AppConfiguration.defaults
        do { try config.apply(yaml: text, file: file) } catch { throw .usage(error.description) }
        return AppConfiguration(entries: config.entries, file: file)
    }

    /// Applies a config file's values.
    mutating func apply(yaml text: String, file: String) throws(YAMLError) {
        let root = try YAMLNode.parse(text, file: file)
        for section in try root.mapping("the config file") {
            guard ConfigSchema.sections.contains(section.key) else {
                throw section.keyLocation.error("unknown section '\(DisplayText.quote(section.key))'; known: \(ConfigSchema.sections.joined(separator: ", "))")
            }
            if case .scalar(.null) = section.value.kind { continue }   // an empty section
            for entry in try section.value.mapping("section \(section.key)") {
                let path = "\(section.key).\(entry.key)"
                guard let key = ConfigSchema.key(path) else {
                    let known = ConfigSchema.keys(in: section.key).map(\.name).joined(separator: ", ")
                    throw entry.keyLocation.error("unknown key '\(DisplayText.quote(entry.key))' in section \(section.key); known: \(known)")
                }
                guard case .scalar(let raw) = entry.value.kind else { throw entry.value.location.error("\(path) must be \(key.kind.expectation)") }
                let value: JSONValue
                do { value = try key.normalize(raw == .null ? key.defaultValue : raw) } catch {
                    throw entry.value.location.error("\(path) \(error.reason)")
                }
                entries[path] = Entry(key: key, value: value, origin: "\(file):\(entry.value.location.line)")
            }
        }
    }

    /// Applies `BOT_V2_<SECTION>_<KEY>` variables, then the program's own variables for keys that
    /// have one (they are what the rest of the program reads, so they win).
    mutating func apply(environment: [String: String]) throws(AppError) {
        let byVariable = Dictionary(uniqueKeysWithValues: ConfigSchema.keys.map { ($0.environmentVariable, $0) })
        for (variable, text) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix("BOT_V2_") {
            guard let key = byVariable[variable] else {
                let sections = ConfigSchema.sections.map { "BOT_V2_\($0.uppercased())_" }
                if sections.contains(where: variable.hasPrefix) {
                    throw .usage("\(variable): not a configuration key (see `gpt-trader config show` for the keys)")
                }
                continue   // another program's BOT_V2_ variable
            }
            try set(key, text: text, origin: variable)
        }
        for key in ConfigSchema.keys {
            guard let alias = key.alias, let text = environment[alias], !text.isEmpty else { continue }
            // A malformed value is reported by the code that reads the variable, in its words.
            try? set(key, text: Self.aliasText(key, text), origin: alias)
        }
    }

    /// `GPT_TRADER_CACHE=off` style values of the program's own variables, as the key's text.
    static func aliasText(_ key: ConfigKey, _ text: String) -> String {
        guard case .bool = key.kind else { return text }
        switch text.lowercased() {
        case "on", "1", "yes", "true": return "true"
        case "off", "0", "no", "false": return "false"
        default: return text
        }
    }

    mutating func set(_ key: ConfigKey, text: String, origin: String) throws(AppError) {
        do { entries[key.path] = Entry(key: key, value: try key.normalize(.string(text)), origin: origin) } catch {
            throw .usage("\(origin): \(key.path) \(error.reason)")
        }
    }

    // MARK: - Reading

    public subscript(path: String) -> JSONValue { entries[path]?.value ?? .null }

    public func string(_ path: String) -> String { self[path].stringValue ?? "" }

    public func number(_ path: String) -> Double { self[path].doubleValue ?? .nan }

    public func integer(_ path: String) -> Int {
        if case .integer(let i) = self[path] { return i }
        return 0
    }

    public func bool(_ path: String) -> Bool { self[path] == .bool(true) }

    /// The variables to give the rest of the program: each aliased key that is not at its
    /// default, and whose variable is not already set.
    public func aliasEnvironment(current environment: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        for key in ConfigSchema.keys {
            guard let alias = key.alias, environment[alias]?.isEmpty ?? true, let entry = entries[key.path], entry.origin != "default" else { continue }
            if entry.value == .string("") { continue }
            out[alias] = entry.value.plainText
        }
        return out
    }

    /// Entries in schema order.
    public var ordered: [Entry] { ConfigSchema.keys.compactMap { entries[$0.path] } }
}
