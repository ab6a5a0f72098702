import ArgumentParser
import Foundation
import TraderApp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `gpt-trader shell` (and bare `gpt-trader` at a terminal): the interactive shell, for a session
/// of many commands without retyping `gpt-trader` and with completion that knows the commands,
/// strategies and symbols.
struct ShellCommand: AsyncParsableCommand {
    static let name = "shell"

    static let configuration = CommandConfiguration(
        commandName: name,
        abstract: "Open an interactive shell: every command, with line editing, history and Tab completion.",
        discussion: """
        Type commands as after `gpt-trader` (`backtest --strategy momentum`, `runs list`); `help` lists
        them and the keys, `help COMMAND` shows a command's options, `exit`, `quit` or Ctrl-D leaves.
        Tab completes commands, options, strategies, symbols and files. Ctrl-C clears the line, or
        stops the running command. History: $GPT_TRADER_HOME/history (default ~/.gpt-trader/history),
        the last 1000 lines; a line starting with a space is not kept.
        Bare `gpt-trader` opens the shell when standard input and output are a terminal. With input
        from a pipe or a file, lines are read as they are, without prompt or editing.
        """)

    /// Whether standard input and output are a terminal (a person typing).
    static var isInteractive: Bool { isatty(0) == 1 && isatty(1) == 1 }

    func run() async throws {
        guard !ShellSession.isRunning else {
            print("You are in the gpt-trader shell already: type a command, or `exit` to leave.")
            return
        }
        var session = ShellSession.standard()
        let status = await session.run()
        if status != 0 { throw ExitCode(status) }
    }
}
