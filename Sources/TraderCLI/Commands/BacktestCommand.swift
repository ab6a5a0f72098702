import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderEngine
import TraderStrategies

/// `gpt-trader backtest`: runs one strategy over one symbol and prints the report.
struct BacktestCommand: AsyncParsableCommand {
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
          gpt-trader backtest --symbols GOOG,EURUSD          (or --symbols DIR: every CSV in DIR)
          gpt-trader backtest --sizing fractional-kelly --size 0.5 --max-position 0.8
          gpt-trader backtest --strategy auto                (the ML selector's choices, against each strategy)

        Every run is saved in the run database (see `gpt-trader runs`) unless --no-save is given;
        --stream runs are not saved (they keep no equity curve).
        """)

    @OptionGroup(title: "Strategy") var strategyOptions: StrategyOptions
    @OptionGroup(title: "Selector (--strategy auto)") var selector: SelectorOptions

    @OptionGroup(title: "Data") var market: MarketOptions
    @OptionGroup(title: "Execution") var execution: ExecutionOptions
    @OptionGroup(title: "Position sizing") var sizingOptions: SizingOptions
    @OptionGroup(title: "Cache") var cacheOptions: CacheOptions
    @OptionGroup(title: "Run database") var saving: SaveOptions

    @Option(help: "Output: table, json or quiet.") var output: OutputFormat = .table
    @Flag(help: "Print the trade list.") var trades = false
    @Option(name: .customLong("equity-csv"), help: ArgumentHelp("Write the equity curve to a CSV file.", valueName: "file"))
    var equityCSV: String?
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false
    @Option(parsing: .unconditional, help: "With several symbols: parallel workers (default: all cores).", transform: NumberArgument.whole) var jobs: Int?
    @Flag(help: "Stream the bars a chunk at a time from the bar store or --synthetic: constant memory for runs larger than memory (no trade list).")
    var stream = false

    func validate() throws {
        if let jobs, let reason = OptimizerLimits.jobs.violation(jobs) { throw ValidationError("--jobs \(reason)") }
        if stream && (trades || equityCSV != nil) { throw ValidationError("--stream keeps no trade list or equity curve: drop --trades and --equity-csv") }
        if stream && market.symbols != nil { throw ValidationError("--stream runs one symbol; drop --symbols") }
        // The selector's settings are checked even when --strategy is not auto: a value out of
        // range is a mistake whether or not it would have been used.
        _ = try selector.configuration()
    }

    func request() throws -> BacktestRequest {
        let (source, start, end) = try market.resolve()
        return BacktestRequest(source: source, start: start, end: end, strategy: try strategyOptions.spec(),
                               settings: try execution.settings(), sizing: try sizingOptions.configuration(size: execution.size))
    }

    func run() async throws {
        let terminal = Terminal(noColorFlag: noColor)
        let history = stream ? nil : try await saving.history()
        try await RunHistory.using(history) {
            if let sources = try market.batchSources() {
                try await runMany(sources, terminal: terminal, history: history)
            } else if strategyOptions.strategy == "auto" {
                try await runAuto(terminal: terminal, history: history)
            } else if stream {
                try runStreaming(try request(), service: BacktestService(), terminal: terminal)
            } else {
                try await runOne(terminal: terminal, history: history)
            }
        }
    }

    func runOne(terminal: Terminal, history: RunHistory?) async throws {
        let req = try request()
        let cache = try cacheOptions.cache()
        let service = BacktestService(cache: cache)
        // Drawn only for runs longer than half a second (never when the cache has the result).
        let progress = ProgressBar(label: "backtest", enabled: terminal.stderrIsTTY && output != .json)
        let result = try await AppCache.using(cache) { try await service.result(for: req, progress: { progress.update($0, $1) }) }
        progress.finish()
        if let equityCSV { try EquityCSV.write(result, to: equityCSV) }
        let id = try await history?.save(result, request: req)
        let printer = BacktestPrinter(terminal: terminal, output: output, includeTrades: trades)
        printer.print(result, parameters: req.strategy.parameters, runID: id)
        if let id { printer.announce(saved: id) }
    }
}

extension BacktestCommand {
    /// `--strategy auto`: trades the selector's walk-forward choices and compares them with each
    /// candidate traded alone over the same bars.
    func runAuto(terminal: Terminal, history: RunHistory?) async throws {
        guard !stream, market.symbols == nil else { throw ValidationError("--strategy auto runs one symbol in memory (drop --stream and --symbols)") }
        let (source, start, end) = try market.resolve()
        let service = SelectionService()
        let bars = try service.backtests.data.load(source, start: start, end: end)
        let (auto, fixed, run) = try service.autoBacktest(bars: bars, configuration: try selector.configuration(), settings: try execution.settings(),
                                                          sizing: try sizingOptions.configuration(size: execution.size))
        if let equityCSV { try EquityCSV.write(auto, to: equityCSV) }
        let id = try await history?.save(auto, request: nil)
        let all = [auto] + fixed
        switch output {
        case .quiet:
            break
        case .json:
            print(SelectionService.autoDocument(auto, fixed: fixed, run: run, bars: bars, includeTrades: trades, runID: id).serialized())
        case .table:
            let renderer = ReportRenderer(terminal: terminal)
            print(renderer.statistics(auto))
            print("")
            var t = TextTable(headers: ["Strategy", "Return [%]", "Sharpe", "Max DD [%]", "# Trades"],
                              alignments: [.left, .right, .right, .right, .right])
            for r in all {
                let m = r.metrics
                t.rows.append([r.strategy, renderer.number(m.returnPct, digits: 2), renderer.number(m.sharpeRatio, digits: 4),
                               renderer.number(m.maxDrawdownPct, digits: 2), String(m.tradeCount)])
            }
            print(t.render(headerStyle: { terminal.paint($0, .bold) }))
            print(terminal.paint("auto: \(run.decisions.count) walk-forward decisions; the period's best strategy was chosen in "
                + "\(renderer.number(run.hitRate * 100, digits: 1)) % of them", .dim))
        }
        if let id { BacktestPrinter(terminal: terminal, output: output, includeTrades: trades).announce(saved: id) }
    }

    /// `--stream`: the same report, computed a chunk at a time.
    func runStreaming(_ req: BacktestRequest, service: BacktestService, terminal: Terminal) throws {
        let progress = ProgressBar(label: "backtest (streaming)", enabled: terminal.stderrIsTTY && output != .json)
        let result = try service.runStreaming(req, progress: { progress.update($0, $1) })
        progress.finish()
        let summary = RunSummary(result)
        switch output {
        case .quiet:
            break
        case .json:
            let params = req.strategy.parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            print(BacktestReport.json(summary, parameters: params).serialized())
        case .table:
            print(ReportRenderer(terminal: terminal).statistics(summary))
            if let note = ReportRenderer(terminal: terminal).sizingNote(summary) { print(note) }
            print(terminal.paint("streamed in \(result.chunkCount) chunks", .dim))
            if result.ranOutOfMoney { print(terminal.paint("equity reached zero; the run stopped early", .yellow)) }
        }
    }

    /// `--symbols A,B,C` or a folder: the same strategy and settings on each symbol, each with
    /// the full starting capital, in parallel; one row per symbol and a total over all of them.
    func runMany(_ sources: [DataSource], terminal: Terminal, history: RunHistory?) async throws {
        let (_, start, end) = try market.resolve()
        let spec = try strategyOptions.spec()
        let settings = try execution.settings()
        let sizing = try sizingOptions.configuration(size: execution.size)
        let requests = sources.map { BacktestRequest(source: $0, start: start, end: end, strategy: spec, settings: settings, sizing: sizing) }
        let progress = ProgressBar(label: "backtest \(requests.count) symbols", unit: "symbols", enabled: terminal.stderrIsTTY && output != .json)
        let cache = try cacheOptions.cache()
        let report = try await AppCache.using(cache) {
            try await BacktestService(cache: cache).batch(requests, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, history: history,
                                                          progress: { progress.update($0, $1) })
        }
        progress.finish()
        let results = report.results
        switch output {
        case .quiet:
            break
        case .json:
            print(report.document.serialized())
        case .table:
            let renderer = ReportRenderer(terminal: terminal)
            var t = TextTable(headers: ["Symbol", "Bars", "Return [%]", "Sharpe", "Max DD [%]", "# Trades", "Win Rate [%]", "Equity Final [$]"],
                              alignments: [.left] + Array(repeating: .right, count: 7))
            for r in results {
                let m = r.metrics
                t.rows.append([r.symbol, String(r.barCount), renderer.number(m.returnPct, digits: 2), renderer.number(m.sharpeRatio, digits: 4),
                               renderer.number(m.maxDrawdownPct, digits: 2), String(m.tradeCount), renderer.number(m.winRatePct, digits: 2),
                               renderer.number(m.equityFinal, digits: 2, grouped: true)])
            }
            t.rows.append(["Total", String(report.bars), renderer.number(report.returnPct, digits: 2), "", "",
                           String(report.trades), "", renderer.number(report.equityFinal, digits: 2, grouped: true)])
            print(t.render(headerStyle: { terminal.paint($0, .bold) }))
            print(terminal.paint(spec.description + ", \(renderer.number(settings.initialCapital, digits: 2, grouped: true)) per symbol"
                + (results.first?.sizing.map { ", sizing \($0)" } ?? ""), .dim))
            if history != nil {
                writeStandardError(terminal.paintStderr("saved \(report.runIDs.count) runs (gpt-trader runs list)", .dim) + "\n")
            }
        }
    }
}

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, quiet
}
