import Foundation
import Logging
import Synchronization
import TraderApp

/// The shell's loop: read a line, split it into words, run it as a `gpt-trader` command line in
/// this process, show its status, again — until `exit`, `quit`, Ctrl-D or the end of input.
///
/// Each line goes through `CLI.execute`, the same parsing, commands and error lines as the CLI,
/// so the shell has no command of its own beyond `help`, `exit` and `quit`. A non-zero status
/// shows in the next prompt (`gpt-trader [2]> `); the shell's own status at the end is the last
/// command's, as with `sh`.
struct ShellSession {
    /// Whether a session is running in this process (`shell` inside the shell is refused).
    static var isRunning: Bool { running.load(ordering: .relaxed) }
    private static let running = Atomic<Bool>(false)

    let reader: any LineReader
    /// A person at a terminal: prompts, a banner, history kept.
    let interactive: Bool
    var history: ShellHistory
    let completer: ShellCompleter
    /// Runs one command line (its logging options taken out).
    var execute: @Sendable ([String]) async -> Int32 = { await CLI.execute($0) }

    /// The session for this process: the editor and the history file on a terminal, plain lines
    /// otherwise.
    static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ShellSession {
        let interactive = ShellCommand.isInteractive
        let path = DatabaseLocation.home(environment: environment) + "/history"
        let reader: any LineReader
        if !interactive {
            reader = PlainLineReader()
        } else if environment["TERM"] == "dumb" {
            reader = PlainLineReader(prompting: true)  // a terminal that cannot be drawn on
        } else {
            reader = TerminalLineReader()
        }
        return ShellSession(reader: reader, interactive: interactive,
                            history: ShellHistory(path: interactive ? path : nil), completer: .gptTrader)
    }

    /// Runs the loop; returns the shell's exit status.
    mutating func run() async -> Int32 {
        Self.running.store(true, ordering: .relaxed)
        Interruption.shellOwnsSignal.store(true, ordering: .relaxed)
        let foreground = ForegroundCommand(interactive: interactive)
        defer {
            foreground.close()
            Interruption.shellOwnsSignal.store(false, ordering: .relaxed)
            Self.running.store(false, ordering: .relaxed)
        }
        if interactive {
            print("gpt-trader \(GPTTraderCommand.version): `help` lists commands and keys; Tab completes; Ctrl-D leaves.")
        }
        var status: Int32 = 0
        while true {
            fflush(nil)
            switch await read(prompt: status == 0 ? "gpt-trader> " : "gpt-trader [\(status)]> ") {
            case .endOfInput:
                return status
            case .cancelled:
                continue
            case .line(let text):
                if interactive {
                    let reported = history.writeError != nil
                    history.add(text)
                    if !reported, let problem = history.writeError { printError("warning: \(problem)") }
                }
                switch await perform(text, foreground: foreground, status: status) {
                case .exit(let code): return code
                case .status(let code): status = code
                }
            }
        }
    }

    private enum Outcome { case status(Int32), exit(Int32) }

    /// Blocks a thread of its own, not one of the concurrency runtime's, while the user types.
    private func read(prompt: String) async -> LineInput {
        let reader = reader, entries = history.entries, completer = completer
        return await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: reader.read(prompt: prompt, history: entries, complete: { completer.complete($0) }))
            }.start()
        }
    }

    private func perform(_ text: String, foreground: ForegroundCommand, status: Int32) async -> Outcome {
        let words: [String]
        do {
            words = try ShellWords.split(text)
        } catch {
            printError("error: \(error)")
            return .status(2)
        }
        guard let first = words.first else { return .status(status) }
        switch first {
        case "exit", "quit":
            guard words.count <= 2 else { printError("error: \(first) takes at most one status"); return .status(2) }
            guard let code = words.count == 2 ? Int32(words[1]) : status else {
                printError("error: \(first): '\(words[1])' is not a number")
                return .status(2)
            }
            return .exit(code)
        case "help" where words.count == 1:
            print(help())
            return .status(0)
        default:
            let execute = execute
            let arguments: [String]
            let level: Logger.Level
            do {
                (level, arguments) = try Self.logging(of: words)
            } catch {
                printError("error: \(error)")
                return .status(2)
            }
            let sessionLevel = LoggingSetup.level
            LoggingSetup.level = level
            defer { LoggingSetup.level = sessionLevel }
            let code = await foreground.run { await execute(arguments) }
            fflush(nil)
            return .status(code)
        }
    }

    /// The logging options of one line: its level holds for that command; the format and the
    /// file were fixed when the process started (logging is set up once), so a line may only
    /// repeat them. `--config` too belongs to the process, not to a line.
    static func logging(of words: [String], environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(LogSettingsError) -> (Logger.Level, [String]) {
        let configured: String?
        do {
            (configured, _) = try ConfigurationSetup.extract(from: words)
        } catch {
            configured = ""
        }
        if configured != nil {
            throw LogSettingsError(message: "--config holds for the whole shell: give it to `gpt-trader shell`")
        }
        let (line, rest) = try LogSettings.extract(from: words, environment: environment)
        let (unset, _) = try LogSettings.extract(from: [], environment: environment)
        let session = LoggingSetup.settings ?? unset
        if (line.format != unset.format && line.format != session.format) || (line.file != unset.file && line.file != session.file) {
            throw LogSettingsError(message: "--log-format and --log-file hold for the whole shell: give them to `gpt-trader shell`")
        }
        return (line.level != unset.level ? line.level : LoggingSetup.level, rest)
    }

    /// `help`: the commands with what they do, the shell's own words, the keys, the history file.
    private func help() -> String {
        let commands = completer.tree.subcommands.filter { $0.name != "help" && $0.name != ShellCommand.name }
        let width = (commands.map(\.name.count).max() ?? 0) + 2
        var lines = ["Commands (as after `gpt-trader`; `help COMMAND` or `COMMAND --help` shows its options):"]
        for c in commands {
            lines.append("  " + c.name.padding(toLength: width, withPad: " ", startingAt: 0) + (c.abstract ?? ""))
        }
        lines += [
            "",
            "Shell: help, exit [STATUS], quit. Words split as in sh: 'single', \"double\" quotes, \\ escapes, # comments.",
            "Keys: Tab completes commands, options, strategies, symbols and files (twice: lists the choices);",
            "  Up/Down (Ctrl-P/N) walk the history; Left/Right (Ctrl-B/F), Home/End (Ctrl-A/E) move;",
            "  Ctrl-Left/Right or Alt-B/F move by word; Backspace, Delete; Ctrl-K/Ctrl-U delete to the end/start,",
            "  Ctrl-W the word before; Ctrl-L clears the screen; Ctrl-C clears the line, or stops the running",
            "  command; Ctrl-D on an empty line leaves.",
        ]
        if let path = history.path {
            lines.append("History: \(path) (last \(history.limit) lines; a line starting with a space is not kept).")
        }
        return lines.joined(separator: "\n")
    }
}
