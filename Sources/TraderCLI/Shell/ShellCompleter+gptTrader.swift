import ArgumentParser

extension ShellCompleter {
    /// The completer of the `gpt-trader` shell: its command tree, the logging options every
    /// command takes, the shell's own words, and computed values asked of the command itself.
    static var gptTrader: ShellCompleter {
        ShellCompleter(tree: .gptTrader, globalOptions: loggingOptions, builtins: ["help", "exit", "quit"],
                       customValues: askCommand)
    }

    /// `LogSettings.options` as arguments the completer knows.
    static var loggingOptions: [ShellCommandTree.Argument] {
        LogSettings.options.map { option in
            ShellCommandTree.Argument(kind: option.values == nil ? .flag : .option, names: option.names,
                                      values: option.values.map { $0.isEmpty ? .files(extensions: []) : .list($0) } ?? .none,
                                      completionName: option.names[0])
        }
    }

    /// Values an argument's own completion function computes (`--symbol`: the symbols the data
    /// locator finds), asked through ArgumentParser's `---completion` request — what the bash
    /// and zsh scripts run as `gpt-trader ---completion …` — here in process.
    @Sendable static func askCommand(path: [String], argument: String, words: [String]) -> [String] {
        let typed = words.last ?? ""
        let request = ["---completion"] + path + ["--", argument, String(max(words.count - 1, 0)), String(typed.count)] + words
        do {
            _ = try GPTTraderCommand.parseAsRoot(request)
            return []
        } catch {
            guard GPTTraderCommand.exitCode(for: error) == .success else { return [] }
            return GPTTraderCommand.fullMessage(for: error).split(separator: "\n").map(String.init)
        }
    }
}
