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

    @Test func unknownShellIsAUsageError() throws {
        let r = try cli.run(["completions", "powershell"])
        #expect(r.status == 2 && r.stderr.contains("powershell"))
    }
}
