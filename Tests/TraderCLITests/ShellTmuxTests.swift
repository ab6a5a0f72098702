import Foundation
import TestSupport
import Testing

private let tmuxPath = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// The shell under a real terminal: tmux runs `gpt-trader shell` in a detached session, the test
/// types with `send-keys` and reads the screen with `capture-pane`. Each expectation waits for
/// the screen to show it (up to a minute; nothing here measures speed).
@Suite(.serialized, .enabled(if: tmuxPath != nil, "tmux is not installed (scripts/test installs it)"))
struct ShellTmuxTests {

    /// One tmux server on a socket of its own, with a throwaway `GPT_TRADER_HOME`.
    final class Terminal {
        let socket = "gpt-trader-shell-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        let home: String
        let config: String
        /// The tmux server's pid, to end it for sure (see `stop`).
        private var serverPID: pid_t?

        init() throws {
            home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-shell-home-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            config = home + "/tmux.conf"
            // A pane whose program ended stays, so what it printed last can be read.
            try "set -g remain-on-exit on\n".write(toFile: config, atomically: true, encoding: .utf8)
        }

        @discardableResult
        func tmux(_ arguments: [String]) throws -> Subprocess.Output {
            // The first command starts the server, which must not keep the test thread's blocked signals.
            try Subprocess.run(tmuxPath!, ["-L", socket, "-f", config] + arguments, resetSignals: true)
        }

        /// Starts `gpt-trader shell` in session `name`, 200 columns by 50 rows, under `sh`, which
        /// prints `[exit N]` when the shell ends (its Ctrl-C trap only keeps it waiting).
        ///
        /// `sh` and not tmux reports the exit: tmux learns of a pane's end from SIGCHLD, and while
        /// it runs libutempter's helper for the closing pane, SIGCHLD is set to its default action
        /// and a child that ends in that moment is never reaped (a big process like a debug build
        /// often ends then: its descriptors close before its memory is freed).
        func start(_ name: String) throws {
            let r = try tmux(["new-session", "-d", "-s", name, "-x", "200", "-y", "50", "-c", CLIProcessTests.root.path,
                              "/bin/sh", "-c", "trap : INT; \"$@\"; echo \"[exit $?]\"", "sh",
                              "/usr/bin/env", "-u", "GPT_TRADER_DATABASE_URL", "GPT_TRADER_HOME=\(home)",
                              CLIProcessTests.executable.path, "shell"])
            #expect(r.status == 0, "tmux new-session: \(r.stderr)")
            if serverPID == nil {
                serverPID = pid_t(try tmux(["display-message", "-p", "#{pid}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }

        /// Types `text` as it is.
        func type(_ name: String, _ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

        /// Presses keys by tmux's names (`Enter`, `Tab`, `Up`, `C-d`).
        func press(_ name: String, _ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

        func screen(_ name: String) throws -> String { try tmux(["capture-pane", "-p", "-t", name]).stdout }

        /// The last row with something on it, without trailing blanks.
        func lastLine(_ name: String) throws -> String {
            let rows = try screen(name).split(separator: "\n").map { String($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            return rows.last { !$0.isEmpty } ?? ""
        }

        struct Timeout: Error, CustomStringConvertible { let description: String }

        /// Waits until `condition` holds for the screen (polled every 100 ms, up to 60 s).
        func waitFor(_ name: String, _ what: String, _ condition: (_ screen: String, _ lastLine: String) throws -> Bool) throws {
            let deadline = Date().addingTimeInterval(60)
            while true {
                let screen = try screen(name)
                if try condition(screen, lastLine(name)) { return }
                if Date() > deadline { throw Timeout(description: "waited 60 s for \(what); the screen:\n\(screen)") }
                usleep(100_000)
            }
        }

        /// Ends the server (which ends the shells still running: their terminal hangs up), and
        /// if it is still there after 5 s — waiting for a pane it was never told had ended —
        /// kills it.
        func stop() {
            _ = try? tmux(["kill-server"])
            if let serverPID {
                let deadline = Date().addingTimeInterval(5)
                while kill(serverPID, 0) == 0, Date() < deadline { usleep(50_000) }
                if kill(serverPID, 0) == 0 { kill(serverPID, SIGKILL) }
            }
            try? FileManager.default.removeItem(atPath: home)
        }
    }

    /// `workflow run` on a terminal: the live view redraws one line per step in place (each
    /// step's line is on the screen once, with its final symbol), and Ctrl-C cancels the running
    /// step and returns to the prompt with 130.
    @Test func workflowProgressViewUnderARealTerminal() throws {
        let t = try Terminal()
        defer { t.stop() }
        try FileManager.default.createDirectory(atPath: t.home + "/workflows", withIntermediateDirectories: true)
        try "name: slow\nsteps:\n  - id: data\n    action: data.load\n  - id: pause\n    action: wait\n    depends_on: [data]\n    parameters: { for: 1h }\n"
            .write(toFile: t.home + "/workflows/slow.yaml", atomically: true, encoding: .utf8)
        try t.start("wf")
        try t.waitFor("wf", "the prompt") { _, last in last == "gpt-trader>" }
        try t.type("wf", "workflow run multi-strategy-ensemble --no-save")
        try t.press("wf", "Enter")
        try t.waitFor("wf", "the workflow's summary and a new prompt") { screen, last in
            screen.contains("workflow multi-strategy-ensemble  succeeded") && last == "gpt-trader>"
        }
        let rows = try t.screen("wf").split(separator: "\n").map(String.init)
        func viewRows(_ prefix: String) -> Int { rows.filter { $0.hasPrefix(prefix) }.count }
        #expect(viewRows("  ✓ data ") == 1, "one line per step, redrawn in place")
        #expect(viewRows("  ✓ execute ") == 1 && viewRows("  – defensive ") == 1)
        #expect(viewRows("  ✓ report ") == 1 && viewRows("  · ") == 0, "no step left pending")

        try t.press("wf", "C-l")
        try t.type("wf", "workflow run slow --no-save")
        try t.press("wf", "Enter")
        try t.waitFor("wf", "the pause step running") { screen, _ in screen.contains("▶ pause") && screen.contains("running") }
        try t.press("wf", "C-c")
        try t.waitFor("wf", "the prompt with 130 after Ctrl-C") { screen, last in
            screen.contains("⊘ pause") && screen.contains("workflow slow cancelled") && last == "gpt-trader [130]>"
        }
    }

    @Test func editingCompletionHistoryAndExitUnderARealTerminal() throws {
        let t = try Terminal()
        defer { t.stop() }

        try t.start("one")
        try t.waitFor("one", "the banner and the prompt") { screen, last in screen.contains("Tab completes") && last == "gpt-trader>" }

        // A command runs and prints its output; the prompt comes back.
        try t.type("one", "strategies")
        try t.press("one", "Enter")
        try t.waitFor("one", "the strategies and a new prompt") { screen, last in
            screen.contains("sma-crossover") && screen.contains("mean-reversion") && last == "gpt-trader>"
        }

        // Tab completes a command name...
        try t.type("one", "strat")
        try t.press("one", "Tab")
        try t.waitFor("one", "`strat` completed") { _, last in last == "gpt-trader> strategies" }
        try t.press("one", "C-u")
        try t.waitFor("one", "the line cleared by Ctrl-U") { _, last in last == "gpt-trader>" }

        // ...and a strategy name.
        try t.type("one", "backtest --strategy mom")
        try t.press("one", "Tab")
        try t.waitFor("one", "`mom` completed") { _, last in last == "gpt-trader> backtest --strategy momentum" }

        // Ctrl-C drops the line and gives a new prompt.
        try t.press("one", "C-c")
        try t.waitFor("one", "a fresh prompt after Ctrl-C") { screen, last in screen.contains("momentum ^C") && last == "gpt-trader>" }

        // Up recalls the last line run.
        try t.press("one", "Up")
        try t.waitFor("one", "Up to recall `strategies`") { _, last in last == "gpt-trader> strategies" }
        try t.press("one", "C-u")

        // Ctrl-C while a command runs stops the command, not the shell.
        try t.type("one", "optimize --param fast=2:120:1 --param slow=10:600:1 --no-save --no-cache")
        try t.press("one", "Enter")
        try t.waitFor("one", "the optimization's progress bar") { _, last in last.contains("sets/s") }
        try t.press("one", "C-c")
        try t.waitFor("one", "the prompt with status 130 after Ctrl-C") { screen, last in
            screen.contains("interrupted") && last == "gpt-trader [130]>"
        }

        // Ctrl-D on an empty line leaves with the last status... after a command that succeeds, 0.
        try t.type("one", "strategies")
        try t.press("one", "Enter")
        try t.waitFor("one", "the prompt after `strategies`") { _, last in last == "gpt-trader>" }
        try t.press("one", "C-d")
        try t.waitFor("one", "the shell to exit on Ctrl-D") { screen, _ in screen.split(separator: "\n").contains("[exit 0]") }

        // The history survives: a new shell recalls the line with Up and runs it.
        let history = try String(contentsOfFile: t.home + "/history", encoding: .utf8)
        #expect(history.split(separator: "\n").last == "strategies")
        #expect(!history.contains("backtest --strategy momentum"))   // a line dropped with Ctrl-C is not kept
        try t.start("two")
        try t.waitFor("two", "the second shell's prompt") { _, last in last == "gpt-trader>" }
        try t.press("two", "Up")
        try t.waitFor("two", "Up to recall the first session's line") { _, last in last == "gpt-trader> strategies" }
        try t.press("two", "Enter")
        try t.waitFor("two", "the recalled command's output") { screen, last in screen.contains("sma-crossover") && last == "gpt-trader>" }
        try t.press("two", "C-d")
        try t.waitFor("two", "the second shell to exit") { screen, _ in screen.split(separator: "\n").contains("[exit 0]") }
    }
}
