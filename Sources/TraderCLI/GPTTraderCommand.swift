import ArgumentParser
import TraderApp

/// The root of the command tree.
struct GPTTraderCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gpt-trader",
        abstract: "Research, backtest and run trading strategies.",
        discussion: "Start with `gpt-trader backtest` (runs on the shipped GOOG sample) and `gpt-trader strategies`.",
        version: version,
        subcommands: [
            BacktestCommand.self,
            OptimizeCommand.self,
            StrategiesCommand.self,
            DataCommand.self,
            AnalyzeCommand.self,
            RegimeCommand.self,
            SelectCommand.self,
            PortfolioCommand.self,
            CacheCommand.self,
            CompletionsCommand.self,
        ])
}

/// Entry point used by `main.swift` and by tests: parses `arguments` (without the program name),
/// runs the command, prints errors as one line, and returns the exit code — 0 success, 2 usage
/// error (bad option, bad value, bad data file), 1 runtime failure, 130 interrupted by Ctrl-C.
public enum CLI {
    public static func run(_ arguments: [String]) async -> Int32 {
        do {
            var command = try GPTTraderCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let e as AppError {
            printError((e.kind == .interrupted ? "interrupted: " : "error: ") + e.message)
            return e.exitCode
        } catch {
            let code = GPTTraderCommand.exitCode(for: error)
            if code == .success {
                print(GPTTraderCommand.fullMessage(for: error))
                return 0
            }
            let message = GPTTraderCommand.message(for: error)
            if code == .validationFailure {
                printError("error: \(message)")
                return 2
            }
            printError("error: \(message)")
            return 1
        }
    }
}

