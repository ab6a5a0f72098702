import Foundation
import ArgumentParser
import TraderApp

/// The root of the command tree.
struct GPTTraderCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gpt-trader",
        abstract: "Research, backtest and run trading strategies.",
        discussion: """
        Start with `gpt-trader backtest` (runs on the shipped GOOG sample) and `gpt-trader strategies`.

        Logging, with any command: --log-level trace|debug|info|notice|warning|error|critical
        (default warning), --verbose (debug), --quiet (errors only), --log-format human|json,
        --log-file PATH (also GPT_TRADER_LOG_LEVEL, GPT_TRADER_LOG_FORMAT, GPT_TRADER_LOG_FILE).
        Every line carries the run's correlation id (run=run-…).

        Configuration, with any command: --config FILE (else ./gpt-trader.yaml, else
        ~/.gpt-trader/config.yaml); BOT_V2_<SECTION>_<KEY> variables override it, flags override
        both. See `gpt-trader config`.
        """,
        version: version,
        subcommands: [
            BacktestCommand.self,
            PaperCommand.self,
            BotsCommand.self,
            RunCommand.self,
            OptimizeCommand.self,
            StrategiesCommand.self,
            DataCommand.self,
            AnalyzeCommand.self,
            RegimeCommand.self,
            SelectCommand.self,
            PortfolioCommand.self,
            CacheCommand.self,
            CompletionsCommand.self,
            StatusCommand.self,
            RunsCommand.self,
            DbCommand.self,
            WorkflowCommand.self,
            ConfigCommand.self,
            ShellCommand.self,
        ])
}

/// Entry point used by `main.swift` and by tests: parses `arguments` (without the program name),
/// runs the command, prints errors as one line, and returns the exit code — 0 success, 2 usage
/// error (bad option, bad value, bad data file), 1 runtime failure, 130 interrupted by Ctrl-C.
public enum CLI {
    public static func run(_ commandLine: [String]) async -> Int32 {
        // SIGINT, SIGTERM and SIGHUP remove the temporary files being written before the exit.
        TerminationSignals.install()
        var arguments: [String]
        do {
            let (configFile, afterConfig) = try ConfigurationSetup.extract(from: commandLine)
            let environment = try ConfigurationSetup.load(explicit: configFile, allowMissing: afterConfig.starts(with: ["config", "init"]))
            let (logging, rest) = try LogSettings.extract(from: afterConfig, environment: environment)
            try LoggingSetup.bootstrap(logging)
            arguments = rest
        } catch let e as AppError {
            printError("error: \(e.message)")
            return 2
        } catch {
            printError("error: \(error)")
            return 2
        }
        // Bare `gpt-trader` typed at a terminal opens the shell; piped or scripted, it prints help.
        if arguments.isEmpty, ShellCommand.isInteractive {
            arguments = [ShellCommand.name]
        }
        return await execute(arguments)
    }

    /// Parses and runs one command line whose logging options were already taken out, prints
    /// its error as one line, and returns the exit code. The shell calls it for each line, in the
    /// process whose logging `run` set up.
    static func execute(_ arguments: [String]) async -> Int32 {
        do {
            var command = try GPTTraderCommand.parseAsRoot(arguments)
            let clipsPrices = (command as? any ClipsPrices)?.clipPrices ?? false
            try await ShellArguments.$arguments.withValue(arguments) {
                try await MarketDataLocator.$clipsPrices.withValue(clipsPrices) {
                    if var asyncCommand = command as? any AsyncParsableCommand {
                        try await asyncCommand.run()
                    } else {
                        try command.run()
                    }
                }
            }
            return 0
        } catch let code as ExitCode {
            return code.rawValue  // a status with nothing to print (the shell's last command's)
        } catch is CancellationError {
            printError("interrupted")
            return 130
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

