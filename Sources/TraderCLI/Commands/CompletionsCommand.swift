import ArgumentParser

/// `gpt-trader completions bash|zsh|fish`: the shell completion script, generated from the command
/// tree itself, so it always knows every command and option; strategies complete from the
/// catalog and `--symbol` from the data the locator finds (asked at completion time).
struct CompletionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
        Install:
          bash   gpt-trader completions bash > ~/.local/share/bash-completion/completions/gpt-trader
          zsh    gpt-trader completions zsh > "${fpath[1]}/_gpt-trader"      (then: compinit)
          fish   gpt-trader completions fish > ~/.config/fish/completions/gpt-trader.fish
        """)

    @Argument(help: ArgumentHelp("bash, zsh or fish.", valueName: "shell"), completion: .list(["bash", "zsh", "fish"]))
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("unknown shell '\(shell)'; expected bash, zsh or fish")
        }
    }

    func run() throws {
        print(GPTTraderCommand.completionScript(for: CompletionShell(rawValue: shell)!))
    }
}
