@testable import TraderCLI
import Foundation
import Testing
import TraderStrategies

/// Tab completion over the real command tree: commands, subcommands, options, values.
@Suite struct ShellCompleterTests {
    /// The shell's completer, with computed values stubbed: `--symbol` and friends give three
    /// symbols, and the request is recorded.
    static let completer: ShellCompleter = {
        var c = ShellCompleter.gptTrader
        c = ShellCompleter(tree: c.tree, globalOptions: c.globalOptions, builtins: c.builtins,
                           customValues: { _, _, _ in ["GOOG", "EURUSD", "GLD"] })
        return c
    }()

    func texts(_ line: String, _ completer: ShellCompleter = completer) -> [String] {
        completer.complete(line).candidates.map(\.text)
    }

    @Test func firstWordCompletesCommandsAndTheShellsWords() {
        #expect(texts("strat") == ["strategies"])
        #expect(texts("ba") == ["backtest"])
        #expect(texts("ex") == ["exit"])
        let all = texts("")
        for name in ["backtest", "optimize", "runs", "data", "status", "help", "quit", "shell"] { #expect(all.contains(name), "\(name)") }
        #expect(Self.completer.complete("ba").start == 0)
    }

    @Test func nestedSubcommands() {
        #expect(texts("runs l") == ["list"])
        #expect(Set(texts("data ")).isSuperset(of: ["import", "generate", "list", "info", "remove"]))
        #expect(texts("help runs sh") == ["show"])
        #expect(texts("--verbose runs l") == ["list"])
    }

    @Test func optionsOfTheCommandReached() {
        #expect(texts("backtest --strat") == ["--strategy"])
        #expect(texts("runs list --li") == ["--limit"])
        #expect(texts("backtest --verb") == ["--verbose"])   // the logging options go with every command
        #expect(texts("optimize --par") == ["--param"])
        // An option given once is not offered again; a repeatable one is.
        #expect(!texts("backtest --strategy momentum --str").contains("--strategy"))
        #expect(texts("optimize --param fast=1:5 --par") == ["--param"])
        #expect(Self.completer.complete("backtest --strat").start == 9)
    }

    @Test func strategyValuesComeFromTheCatalog() {
        #expect(texts("backtest --strategy mom") == ["momentum"])
        #expect(Set(texts("backtest --strategy ")) == Set(StrategyCatalog.names + ["auto"]))
        #expect(texts("backtest --strategy=mom") == ["--strategy=momentum"])
        #expect(texts("backtest --strategy ensemble --members momentum,bre") == ["momentum,breakout"])
        #expect(Self.completer.complete("backtest --strategy ensemble --members momentum,bre").candidates.map(\.display) == ["breakout"])
    }

    @Test func symbolValuesComeFromTheCommandsOwnCompletion() {
        #expect(texts("backtest --symbol G") == ["GLD", "GOOG"])
        #expect(texts("backtest --symbols GOOG,EU") == ["GOOG,EURUSD"])
        #expect(texts("portfolio --symbols E") == ["EURUSD"])
        #expect(texts("analyze GO") == ["GOOG"])
        #expect(texts("regime E") == ["EURUSD"])
    }

    @Test func enumAndListValues() {
        #expect(texts("completions f") == ["fish"])
        #expect(texts("backtest --log-level deb") == ["debug"])
        #expect(texts("backtest --output j") == ["json"])        // an enum's cases
        #expect(texts("regime --method h") == ["hmm"])
    }

    @Test func filesCompleteFromTheFolderTyped() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shell-complete-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/sub dir", withIntermediateDirectories: true)
        try "x".write(toFile: dir + "/prices.csv", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var c = Self.completer
        c.directory = dir
        #expect(texts("backtest --data pr", c) == ["prices.csv"])
        let folder = c.complete("backtest --data su").candidates
        #expect(folder.map(\.text) == ["sub\\ dir/"] && folder.first?.isComplete == false)
        #expect(texts("data import ", c).contains("prices.csv"))
    }

    @Test func theCommandIsAskedForComputedValuesLikeTheCompletionScripts() {
        // No stub: the real request through ArgumentParser's `---completion`.
        let symbols = ShellCompleter.askCommand(path: ["backtest"], argument: "--symbol", words: ["--symbol", ""])
        #expect(symbols.contains("GOOG"))
        #expect(ShellCompleter.gptTrader.complete("analyze GOO").candidates.map(\.text).contains("GOOG"))
    }

    @Test func nothingToOffer() {
        #expect(texts("backtest --fast ").isEmpty)
        #expect(texts("nosuchcommand --x").isEmpty)
    }
}
