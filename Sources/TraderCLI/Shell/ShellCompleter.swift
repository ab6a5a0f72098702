import Foundation

/// Answers Tab: what may replace the word before the cursor.
///
/// The first word completes command names (and the shell's own `help`, `exit`, `quit`); the next
/// words complete subcommands (`runs l` → `runs list`), then the options of the command reached,
/// then the values of the option or argument being typed. Everything comes from the command tree
/// as ArgumentParser describes it: fixed lists (`--strategy` from the strategy catalog, enum
/// options), files and folders, and values the command computes (`--symbol` from the symbols the
/// data locator finds), asked of the command the same way the bash and zsh scripts ask it.
/// Values of comma-separated lists (`--symbols GOOG,EU`) complete after the last comma.
struct ShellCompleter: Sendable {
    let tree: ShellCommandTree
    /// Options every command takes (the logging options).
    let globalOptions: [ShellCommandTree.Argument]
    /// Words the shell itself understands as a first word.
    let builtins: [String]
    /// Values a command computes: the command's path, the argument's `completionName`, and the
    /// words after the command, the last being the one typed so far.
    let customValues: @Sendable (_ path: [String], _ argument: String, _ words: [String]) -> [String]
    /// The folder relative file names are completed in (the working directory by default).
    var directory: String? = nil

    /// The completion of `text`, the line up to the cursor.
    func complete(_ text: String) -> Completion {
        let partial = ShellWords.partial(text)
        let current = partial.current
        if partial.words.isEmpty {
            return offer(names: tree.subcommands.map(\.name) + builtins, typed: current, at: partial.currentStart)
        }
        var words = partial.words
        if words.first == "help" { words.removeFirst() }  // `help runs l` completes like `runs l`
        var command = tree
        var after: [String] = []   // words after the command's name
        var pending: ShellCommandTree.Argument?
        var used = Set<String>()
        var positionalCount = 0
        var terminated = false
        for word in words {
            if let option = pending {
                pending = nil
                after.append(word)
                used.insert(option.completionName)
                continue
            }
            if !terminated, word == "--" { terminated = true; after.append(word); continue }
            if !terminated, word.hasPrefix("-"), word.count > 1 {
                let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
                if let (owner, option) = option(named: name, in: command) {
                    command = owner
                    if option.kind == .option, !word.contains("=") { pending = option } else { used.insert(option.completionName) }
                }
                after.append(word)
                continue
            }
            if positionalCount == 0, let sub = command.subcommand(named: word) {
                command = sub
                after = []
                used = []
                continue
            }
            after.append(word)
            positionalCount += 1
        }
        let start = partial.currentStart
        if let option = pending {
            return values(of: option, command: command, words: after + [current], typed: current, at: start)
        }
        if !terminated, current.hasPrefix("-") {
            if let eq = current.firstIndex(of: "="),
               let (owner, option) = option(named: String(current[..<eq]), in: command), option.kind == .option {
                let kept = String(current[...eq])
                let value = String(current[current.index(after: eq)...])
                return values(of: option, command: owner, words: after + [value], typed: value, at: start, keeping: kept)
            }
            let own = command.arguments + (positionalCount == 0 ? command.defaultCommand?.arguments ?? [] : [])
            let options = (own + globalOptions).filter {
                $0.kind != .positional && ($0.isRepeating || !used.contains($0.completionName))
            }
            let names = options.flatMap { $0.names.filter { $0.hasPrefix("--") } }
            return offer(names: names, typed: current, at: start)
        }
        var result = Completion(start: start, candidates: [])
        if positionalCount == 0, !command.subcommands.isEmpty {
            result = offer(names: command.subcommands.map(\.name), typed: current, at: start)
        }
        let positionals = command.positionals
        if let argument = positionalCount < positionals.count ? positionals[positionalCount] : positionals.last.flatMap({ $0.isRepeating ? $0 : nil }) {
            result.candidates += values(of: argument, command: command, words: after + [current], typed: current, at: start).candidates
        }
        return result
    }

    /// The option spelled `name` and the command it belongs to: `command`, else its default
    /// subcommand (`portfolio --symbols` is `portfolio run --symbols`); the logging options
    /// belong to every command.
    private func option(named name: String, in command: ShellCommandTree) -> (ShellCommandTree, ShellCommandTree.Argument)? {
        if let option = command.option(named: name) { return (command, option) }
        if let fallback = command.defaultCommand, let option = fallback.option(named: name) { return (fallback, option) }
        return globalOptions.first { $0.names.contains(name) }.map { (command, $0) }
    }

    /// Candidates for the value of `argument`; `kept` is text before the value that stays
    /// (`--symbol=`), and a list value completes after its last comma.
    private func values(of argument: ShellCommandTree.Argument, command: ShellCommandTree, words: [String],
                        typed: String, at start: Int, keeping kept: String = "") -> Completion {
        switch argument.values {
        case .none:
            return Completion(start: start, candidates: [])
        case .files(let extensions):
            return files(typed: typed, extensions: extensions, directoriesOnly: false, at: start, keeping: kept)
        case .directories:
            return files(typed: typed, extensions: [], directoriesOnly: true, at: start, keeping: kept)
        case .list(let list):
            return offer(list: list, typed: typed, at: start, keeping: kept)
        case .custom:
            return offer(list: customValues(command.path, argument.completionName, words), typed: typed, at: start, keeping: kept)
        }
    }

    /// Values from `list` that start with what was typed after its last comma.
    private func offer(list: [String], typed: String, at start: Int, keeping kept: String) -> Completion {
        var kept = kept
        var last = typed
        if let comma = typed.lastIndex(of: ",") {
            kept += typed[...comma]
            last = String(typed[typed.index(after: comma)...])
        }
        let matches = Array(Set(list.filter { $0.hasPrefix(last) })).sorted()
        return Completion(start: start, candidates: matches.map {
            Completion.Candidate(text: ShellWords.escape(kept + $0), display: $0)
        })
    }

    private func offer(names: [String], typed: String, at start: Int) -> Completion {
        let matches = Array(Set(names.filter { $0.hasPrefix(typed) })).sorted()
        return Completion(start: start, candidates: matches.map { Completion.Candidate(text: ShellWords.escape($0), display: $0) })
    }

    /// Entries of the folder named by what was typed (`data/sa` lists `data/` for `sa…`);
    /// folders end in `/` and stay open for more.
    private func files(typed: String, extensions: [String], directoriesOnly: Bool, at start: Int, keeping kept: String) -> Completion {
        let slash = typed.lastIndex(of: "/")
        let folder = slash.map { String(typed[...$0]) } ?? ""
        let namePrefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        var listed = folder.isEmpty ? "." : folder
        if !listed.hasPrefix("/"), let directory { listed = directory + "/" + listed }
        let fm = FileManager.default
        var candidates: [Completion.Candidate] = []
        for name in ((try? fm.contentsOfDirectory(atPath: listed)) ?? []).sorted() where name.hasPrefix(namePrefix) {
            if name.hasPrefix("."), !namePrefix.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: listed + "/" + name, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                candidates.append(.init(text: ShellWords.escape(kept + folder + name + "/"), display: name + "/", isComplete: false))
            } else if !directoriesOnly, extensions.isEmpty || extensions.contains(where: { name.lowercased().hasSuffix("." + $0.lowercased()) }) {
                candidates.append(.init(text: ShellWords.escape(kept + folder + name), display: name))
            }
        }
        return Completion(start: start, candidates: candidates)
    }
}
