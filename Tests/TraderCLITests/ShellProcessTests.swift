import Foundation
import TestSupport
import Testing

/// `gpt-trader shell` with lines from a pipe: each runs as the CLI would run it, errors are the
/// CLI's one-line errors, and no prompt or escape code is written.
@Suite struct ShellProcessTests {
    func shell(_ input: String, arguments: [String] = ["shell"], home: String = CLIProcessTests.home) throws -> Subprocess.Output {
        try Subprocess.run(CLIProcessTests.executable.path, arguments,
                           environment: CLIProcessTests.environment(["GPT_TRADER_HOME": home]),
                           directory: CLIProcessTests.root.path, input: input)
    }

    @Test func pipedLinesRunAsCommands() throws {
        let r = try shell("strategies\n\n# a comment\nruns list --limit 1 --output json\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("sma-crossover") && r.stdout.contains("momentum"))
        #expect(!r.stdout.contains("gpt-trader>") && !r.stdout.contains("\u{1B}"))
    }

    @Test func errorsAreOneLineAndTheLastStatusIsTheShells() throws {
        let r = try shell("backtest --no-such-option\nstrategies\nbacktest --strategy nope\n")
        #expect(r.status == 2)
        #expect(r.stderr.contains("error:") && r.stderr.contains("no-such-option") && r.stderr.contains("nope"))
        #expect(r.stdout.contains("sma-crossover"))          // the shell went on after the error
        let bad = try shell("backtest --fast 'unclosed\n")
        #expect(bad.status == 2 && bad.stderr.contains("unterminated single quote"))
    }

    @Test func exitQuitHelpAndShellInsideTheShell() throws {
        let r = try shell("help\nshell\nexit 3\nstrategies\n")
        #expect(r.status == 3)
        #expect(r.stdout.contains("backtest") && r.stdout.contains("Ctrl-D"))
        #expect(r.stdout.contains("in the gpt-trader shell already"))
        #expect(!r.stdout.contains("sma-crossover"))         // nothing runs after exit
        #expect(try shell("quit\n").status == 0)
        let help = try shell("help runs\n")
        #expect(help.stdout.contains("list") && help.stdout.contains("show"))
    }

    /// The level of `--verbose`/`--quiet` holds for its own line only; the format and file of
    /// the log are the session's (a line naming others is refused).
    @Test func loggingOptionsWorkPerLine() throws {
        let backtest = "backtest --output quiet --no-save --cache-url redis://127.0.0.1:1/0"
        let r = try shell("--verbose \(backtest) --fast 7\nno-such-command\n\(backtest) --fast 8\n")
        let parts = r.stderr.components(separatedBy: "no-such-command")
        #expect(parts.count == 2)
        #expect(parts[0].contains(" debug "))                  // --verbose held for its line
        #expect(!(parts.last ?? "").contains(" debug "))       // and not for the next
        let quiet = try shell("\(backtest) --quiet\n")
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        let fixed = try shell("strategies --log-format json\n")
        #expect(fixed.status == 2 && fixed.stderr.contains("gpt-trader shell"))
        let configured = try shell("strategies --config other.yaml\n")
        #expect(configured.status == 2 && configured.stderr.contains("--config holds for the whole shell"))
    }

    @Test func pipedSessionsKeepNoHistory() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("shell-home-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        _ = try shell("strategies\n", home: home)
        #expect(!FileManager.default.fileExists(atPath: home + "/history"))
    }

    @Test func bareGPTTraderWithoutATerminalStillPrintsHelp() throws {
        let r = try shell("strategies\n", arguments: [])
        #expect(r.stdout.contains("USAGE") && r.stdout.contains("shell"))
        #expect(!r.stdout.contains("sma-crossover"))
    }
}
