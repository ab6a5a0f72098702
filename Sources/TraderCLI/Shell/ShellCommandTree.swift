import Foundation

/// The commands, options and arguments the shell completes, read from ArgumentParser's own
/// description of the command tree (`_dumpHelp()`, the JSON behind `--experimental-dump-help`,
/// the same description its bash, zsh and fish scripts are generated from), so a command or
/// option added to the CLI completes in the shell with no change here.
struct ShellCommandTree: Sendable, Equatable {
    /// Where an argument's values come from.
    enum Values: Sendable, Equatable {
        case none
        /// A fixed list (an enum's cases, or `completion: .list`).
        case list([String])
        /// Files, optionally only with these extensions.
        case files(extensions: [String])
        case directories
        /// Computed by the command at completion time (`completion: .custom`), e.g. symbols.
        case custom
    }

    /// An option, a flag or a positional argument of a command.
    struct Argument: Sendable, Equatable {
        enum Kind: String, Sendable, Equatable { case positional, option, flag }
        var kind: Kind
        /// Spelled as typed: `--symbol`, `-s`; empty for a positional argument.
        var names: [String]
        var isRepeating = false
        var values = Values.none
        /// How ArgumentParser names this argument in a `---completion` request: `--symbol`, or
        /// `positional@N` for the Nth positional argument.
        var completionName: String
    }

    var name: String
    var abstract: String?
    /// The command names from the root's child down to this one (`["runs", "list"]`).
    var path: [String]
    var subcommands: [ShellCommandTree]
    var arguments: [Argument]
    /// The subcommand run when none is named (`portfolio` runs `portfolio run`), whose options
    /// the command therefore takes too.
    var defaultSubcommand: String?

    func subcommand(named word: String) -> ShellCommandTree? {
        subcommands.first { $0.name == word }
    }

    /// The default subcommand, if there is one.
    var defaultCommand: ShellCommandTree? { defaultSubcommand.flatMap(subcommand(named:)) }

    /// The option or flag spelled `name` (`--symbol`, `-v`).
    func option(named name: String) -> Argument? {
        arguments.first { $0.kind != .positional && $0.names.contains(name) }
    }

    var positionals: [Argument] { arguments.filter { $0.kind == .positional } }

    /// The tree of `gpt-trader`, read once.
    static let gptTrader: ShellCommandTree = {
        (try? decode(GPTTraderCommand._dumpHelp())) ?? ShellCommandTree(name: "gpt-trader", path: [], subcommands: [], arguments: [])
    }()

    /// Reads ArgumentParser's JSON description of a command; hidden commands and arguments are
    /// left out, as its help leaves them out.
    static func decode(_ json: String) throws -> ShellCommandTree {
        let tool = try JSONDecoder().decode(DumpedTool.self, from: Data(json.utf8))
        return tree(tool.command, path: [])
    }

    private static func tree(_ command: DumpedCommand, path: [String]) -> ShellCommandTree {
        var positional = 0
        var arguments: [Argument] = []
        for a in command.arguments ?? [] {
            guard let kind = Argument.Kind(rawValue: a.kind) else { continue }
            let names = (a.names ?? []).map { ($0.kind == "long" ? "--" : "-") + $0.name }
            var completionName = names.first ?? ""
            if kind == .positional {
                completionName = "positional@\(positional)"
                positional += 1
            } else if let preferred = a.preferredName {
                completionName = (preferred.kind == "long" ? "--" : "-") + preferred.name
            }
            guard a.shouldDisplay ?? true else { continue }
            arguments.append(Argument(kind: kind, names: names, isRepeating: a.isRepeating ?? false,
                                      values: values(of: a), completionName: completionName))
        }
        let subcommands = (command.subcommands ?? []).filter { $0.shouldDisplay ?? true }.map {
            tree($0, path: path + [$0.commandName])
        }
        return ShellCommandTree(name: command.commandName, abstract: command.abstract, path: path,
                                subcommands: subcommands, arguments: arguments, defaultSubcommand: command.defaultSubcommand)
    }

    private static func values(of a: DumpedArgument) -> Values {
        switch a.completionKind {
        case .list(let values)?: return .list(values)
        case .file(let extensions)?: return .files(extensions: extensions)
        case .directory?: return .directories
        case .custom?: return .custom
        case .other?, nil:
            if let all = a.allValues { return .list(all) }
            // Nothing declared: a value named like a path (`file`, `file.csv`, `name|file`, `dir`)
            // completes as one, which is what the completion scripts' fallback to file names does.
            let kinds = (a.valueName ?? "").split(separator: "|")
            if kinds.contains(where: { $0 == "file" || $0.contains(".") }) { return .files(extensions: []) }
            if kinds.contains(where: { $0 == "dir" || $0 == "folder" }) { return .directories }
            return .none
        }
    }
}

// The parts of ArgumentParser's `ToolInfoV0` JSON that completion reads (its own types are in a
// module the package does not export).
private struct DumpedTool: Decodable {
    var command: DumpedCommand
}

private struct DumpedCommand: Decodable {
    var commandName: String
    var abstract: String?
    var shouldDisplay: Bool?
    var defaultSubcommand: String?
    var subcommands: [DumpedCommand]?
    var arguments: [DumpedArgument]?
}

private struct DumpedArgument: Decodable {
    struct Name: Decodable {
        var kind: String
        var name: String
    }
    var kind: String
    var shouldDisplay: Bool?
    var isRepeating: Bool?
    var names: [Name]?
    var preferredName: Name?
    var valueName: String?
    var allValues: [String]?
    var completionKind: DumpedCompletion?
}

/// `{"list":{"values":[…]}}`, `{"file":{"extensions":[…]}}`, `{"directory":{}}`, `{"custom":{}}`, …
private enum DumpedCompletion: Decodable {
    case list([String]), file([String]), directory, custom, other

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard let key = container.allKeys.first else { self = .other; return }
        switch key.stringValue {
        case "list":
            self = .list(try container.nestedContainer(keyedBy: Key.self, forKey: key)
                .decodeIfPresent([String].self, forKey: Key(stringValue: "values")) ?? [])
        case "file":
            self = .file(try container.nestedContainer(keyedBy: Key.self, forKey: key)
                .decodeIfPresent([String].self, forKey: Key(stringValue: "extensions")) ?? [])
        case "directory": self = .directory
        case "custom", "customAsync", "customDeprecated": self = .custom
        default: self = .other
        }
    }
}
