import Foundation
import Testing

/// `gpt-trader completions SHELL`: scripts each shell can load, naming the commands.
@Suite struct CompletionsCommandTests {
    let cli = CLIProcessTests()

    @Test(arguments: [("bash", "complete -o filenames -F"), ("zsh", "#compdef gpt-trader"), ("fish", "complete -c 'gpt-trader'")])
    func printsAScriptForEachShell(shell: String, marker: String) throws {
        let r = try cli.run(["completions", shell])
        #expect(r.status == 0)
        #expect(r.stdout.contains(marker), "\(shell) script lacks \(marker)")
        for command in ["backtest", "optimize", "cache", "analyze"] { #expect(r.stdout.contains(command)) }
    }

    @Test func strategiesCompleteFromTheCatalog() throws {
        let r = try cli.run(["completions", "bash"])
        #expect(r.stdout.contains("sma-crossover") && r.stdout.contains("mean-reversion"))
    }

    /// The scripts ask the executable for `--symbol` values at completion time (ArgumentParser's
    /// `---completion` protocol); it answers with the symbols the locator finds.
    @Test func symbolsCompleteFromTheData() throws {
        let r = try cli.run(["---completion", "backtest", "--", "--symbol", "0", "0"])
        #expect(r.stdout.split(separator: "\n").contains("GOOG") && r.stdout.split(separator: "\n").contains("EURUSD"))
    }

    /// Workflow names complete from the catalog, the user's files included.
    @Test func workflowNamesComplete() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("wf-complete-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/workflows", withIntermediateDirectories: true)
        try "name: my-flow\nsteps:\n  - id: a\n    action: data.load\n".write(toFile: home + "/workflows/my.yaml", atomically: true, encoding: .utf8)
        let r = try cli.run(["---completion", "workflow", "run", "--", "positional@0", "0", "0"], environment: ["GPT_TRADER_HOME": home])
        let names = r.stdout.split(separator: "\n").map(String.init)
        #expect(names.contains("my-flow") && names.contains("multi-strategy-ensemble") && names.contains("paper-trading") && names.count == 10)
    }

    @Test func unknownShellIsAUsageError() throws {
        let r = try cli.run(["completions", "powershell"])
        #expect(r.status == 2 && r.stderr.contains("powershell"))
    }
}
