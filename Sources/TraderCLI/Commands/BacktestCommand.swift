import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderEngine
import TraderStrategies

/// `gpt-trader backtest`: runs one strategy over one symbol and prints the report.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest a strategy on historical or synthetic bars.",
        discussion: """
        With no options, runs sma-crossover (10/30) on the GOOG daily sample shipped in data/sample.
        Fills happen at the next bar's open by default; statistics follow backtesting.py's
        definitions (see docs/metrics.md).

        Examples:
          gpt-trader backtest --strategy sma-crossover --fast 10 --slow 20 --commission 0.002
          gpt-trader backtest --data prices.csv --strategy momentum --lookback 30 --long-short
          gpt-trader backtest --synthetic 1000000 --output json
        """)

    @OptionGroup(title: "Strategy") var strategyOptions: StrategyOptions

    @OptionGroup(title: "Data") var market: MarketOptions
    @OptionGroup(title: "Execution") var execution: ExecutionOptions

    @Option(help: "Output: table, json or quiet.") var output: OutputFormat = .table
    @Flag(help: "Print the trade list.") var trades = false
    @Option(name: .customLong("equity-csv"), help: ArgumentHelp("Write the equity curve to a CSV file.", valueName: "file"))
    var equityCSV: String?
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func request() throws -> BacktestRequest {
        let (source, start, end) = try market.resolve()
        return BacktestRequest(source: source, start: start, end: end, strategy: try strategyOptions.spec(),
                               settings: try execution.settings())
    }

    func run() throws {
        let terminal = Terminal(noColorFlag: noColor)
        let req = try request()
        let service = BacktestService()
        let bars = try service.loadBars(for: req)
        let progress = ProgressBar(label: "backtest \(bars.symbol)", enabled: terminal.stderrIsTTY && output != .json && bars.count >= 5_000_000)
        let result = try service.run(req, bars: bars, progress: { progress.update($0, $1) })
        progress.finish()
        if let equityCSV { try EquityCSV.write(result, to: equityCSV) }
        switch output {
        case .quiet:
            break
        case .json:
            let params = req.strategy.parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            print(BacktestReport.json(result, parameters: params, includeTrades: trades).serialized())
        case .table:
            let renderer = ReportRenderer(terminal: terminal)
            print(renderer.statistics(result))
            if trades {
                print("")
                print(renderer.trades(result))
            }
            if result.ranOutOfMoney { print(terminal.paint("equity reached zero; the run stopped early", .yellow)) }
        }
    }
}

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, quiet
}

extension DomainError {
    var fieldName: String {
        switch self { case let .invalid(field, _): field }
    }
    var reasonText: String {
        switch self { case let .invalid(_, reason): reason }
    }
}
