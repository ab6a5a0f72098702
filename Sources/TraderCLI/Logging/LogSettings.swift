import Foundation
import Logging

/// The process-wide logging options, taken out of the arguments before the command is parsed so
/// that they work with every command: `--log-level trace|debug|info|notice|warning|error|critical`,
/// `--verbose` (debug), `--quiet` (errors only), `--log-format human|json`, `--log-file PATH`; and
/// the environment's `GPT_TRADER_LOG_LEVEL`, `GPT_TRADER_LOG_FORMAT`, `GPT_TRADER_LOG_FILE` under
/// them.
struct LogSettings: Equatable {
    enum Format: String, CaseIterable { case human, json }

    /// The options `extract` takes, for the shell's completion: the names, and the values
    /// accepted (empty: any text, such as a path) or nil for a flag.
    static let options: [(names: [String], values: [String]?)] = [
        (["--log-level"], Logger.Level.allCases.map(\.rawValue)),
        (["--log-format"], Format.allCases.map(\.rawValue)),
        (["--log-file"], []),
        (["--verbose", "-v"], nil),
        (["--quiet"], nil),
    ]

    var level: Logger.Level = .warning
    var format: Format = .human
    var file: String?

    /// The settings and the arguments left for the command; a bad value is a usage error naming
    /// the option (or the variable).
    static func extract(from arguments: [String], environment: [String: String]) throws(LogSettingsError) -> (LogSettings, [String]) {
        var s = LogSettings()
        if let text = environment["GPT_TRADER_LOG_LEVEL"], !text.isEmpty { s.level = try level(text, "GPT_TRADER_LOG_LEVEL") }
        if let text = environment["GPT_TRADER_LOG_FORMAT"], !text.isEmpty { s.format = try format(text, "GPT_TRADER_LOG_FORMAT") }
        if let text = environment["GPT_TRADER_LOG_FILE"], !text.isEmpty { s.file = text }
        var rest: [String] = []
        var i = 0
        func value(_ name: String) throws(LogSettingsError) -> String {
            // `--name value` or `--name=value`.
            let argument = arguments[i]
            if let eq = argument.firstIndex(of: "=") { return String(argument[argument.index(after: eq)...]) }
            guard i + 1 < arguments.count else { throw LogSettingsError(message: "\(name) needs a value") }
            i += 1
            return arguments[i]
        }
        while i < arguments.count {
            let argument = arguments[i]
            if argument == "--" { rest += arguments[i...]; break }
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            switch name {
            case "--log-level": s.level = try level(try value(name), name)
            case "--log-format": s.format = try format(try value(name), name)
            case "--log-file": s.file = try value(name)
            case "--verbose", "-v": s.level = .debug
            case "--quiet": s.level = .error
            default: rest.append(argument)
            }
            i += 1
        }
        return (s, rest)
    }

    private static func level(_ text: String, _ name: String) throws(LogSettingsError) -> Logger.Level {
        guard let l = Logger.Level(rawValue: text.lowercased()) else {
            throw LogSettingsError(message: "\(name): '\(text)' is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return l
    }

    private static func format(_ text: String, _ name: String) throws(LogSettingsError) -> Format {
        guard let f = Format(rawValue: text.lowercased()) else { throw LogSettingsError(message: "\(name): '\(text)' is not human or json") }
        return f
    }
}

struct LogSettingsError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
