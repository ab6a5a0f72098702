import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderEngine
import TraderStrategies

/// `gpt-trader optimize`: searches a strategy's parameters by grid or seeded random search, in
/// parallel, and prints the best sets.
struct OptimizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Search a strategy's parameters (grid or seeded random search) in parallel.",
        discussion: """
        Every set is a full backtest with the same data and execution options as `backtest`; the
        best sets by the chosen metric are printed. Ranges are name=start:stop:step (inclusive),
        name=a,b,c or name=value.

        Examples:
          gpt-trader optimize --param fast=5:50:5 --param slow=20:200:20 --constraint 'fast<slow'
          gpt-trader optimize --strategy momentum --param lookback=5:100:5 --param threshold=0.005:0.05:0.005 \\
              --method random --samples 50 --seed 7 --metric sqn --output json

        Every search is saved in the run database with its ranked sets (see `gpt-trader runs`)
        unless --no-save is given; a search stopped with Ctrl-C is saved with what it found.
        """)

    @Option(help: ArgumentHelp("Strategy to optimize (see `gpt-trader strategies`).", valueName: "name"))
    var strategy: String = "sma-crossover"
    @Option(name: .customLong("param"), help: ArgumentHelp("Parameter range (repeatable).", valueName: "name=start:stop:step"))
    var params: [String] = []
    @Option(name: .customLong("constraint"), help: ArgumentHelp("Rule every set must satisfy (repeatable).", valueName: "fast<slow"))
    var constraints: [String] = []
    @Option(help: "Search method: grid, random or walk-forward (config optimize.method).") var method: String = ActiveConfiguration.string("optimize.method")
    @Option(name: .customLong("train"), parsing: .unconditional, help: "Walk-forward: training window in calendar days.") var trainValue: Whole = Whole(60)
    var train: Int { trainValue.value }
    @Option(name: .customLong("test"), parsing: .unconditional, help: "Walk-forward: test window in calendar days.") var testValue: Whole = Whole(30)
    var test: Int { testValue.value }
    @Option(name: .customLong("step"), parsing: .unconditional, help: "Walk-forward: step between folds in calendar days.") var stepValue: Whole = Whole(30)
    var step: Int { stepValue.value }
    @Option(name: .customLong("samples"), parsing: .unconditional, help: "Random search: number of sets to draw.") var samplesValue: Whole = Whole(ActiveConfiguration.integer("optimize.samples"))
    var samples: Int { samplesValue.value }
    @Option(help: "Random search: seed (same seed, same sets).") var seed: String = String(ActiveConfiguration.integer("optimize.seed"))
    @Option(help: "Metric to rank by: \(Objective.Metric.allCases.map(\.rawValue).joined(separator: ", ")).")
    var metric: String = ActiveConfiguration.string("optimize.metric")
    @Flag(help: "Maximize the metric (default, except max-drawdown).") var maximize = false
    @Flag(help: "Minimize the metric.") var minimize = false
    @Option(name: .customLong("min-trades"), parsing: .unconditional, help: "Rank only runs with at least this many trades.") var minTradesValue: Whole = Whole(1)
    var minTrades: Int { minTradesValue.value }
    @Option(name: .customLong("top"), parsing: .unconditional, help: "How many of the best sets to print.") var topValue: Whole = Whole(10)
    var top: Int { topValue.value }
    @Option(help: ArgumentHelp("Write an SVG heat map of the metric over two parameters (grid or random).", valueName: "file.svg"))
    var heatmap: String?
    @Option(parsing: .unconditional, help: "Parallel workers (default: all cores, or config optimize.jobs).", transform: NumberArgument.whole)
    var jobs: Int?

    @OptionGroup(title: "Data") var market: MarketOptions
    @OptionGroup(title: "Execution") var execution: ExecutionOptions
    @OptionGroup(title: "Position sizing") var sizingOptions: SizingOptions
    @OptionGroup(title: "Cache") var cacheOptions: CacheOptions
    @OptionGroup(title: "Run database") var saving: SaveOptions

    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func validate() throws {
        if maximize && minimize { throw ValidationError("--maximize and --minimize exclude each other") }
        guard ["grid", "random", "walk-forward"].contains(method) else {
            throw ValidationError("--method must be grid, random or walk-forward, got '\(method)'")
        }
        let checks: [(String, Int?, Bounds)] = [
            ("train", train, OptimizerLimits.walkForwardDays), ("test", test, OptimizerLimits.walkForwardDays),
            ("step", step, OptimizerLimits.walkForwardDays), ("samples", samples, OptimizerLimits.samples),
            ("top", top, OptimizerLimits.top), ("jobs", jobs, OptimizerLimits.jobs), ("min-trades", minTrades, OptimizerLimits.minimumTrades),
        ]
        for case let (option, value?, bounds) in checks {
            if let reason = bounds.violation(value) { throw ValidationError("--\(option): \(reason)") }
        }
        do { _ = try NumberArgument.seed(seed) } catch { throw ValidationError("--seed: '\(DisplayText.quote(seed))' is \(error)") }
        if heatmap != nil && method == "walk-forward" { throw ValidationError("--heatmap applies to grid and random searches") }
    }

    func run() async throws {
        let request = try optimizeRequest()
        // Checked before the cache or the database is opened: a bad range is the error to see.
        let plan = try OptimizeService().plan(request)
        let cache = try cacheOptions.cache()
        let history = try await saving.history()
        let service = OptimizeService(cache: cache, history: history)
        try await RunHistory.using(history) {
            try await AppCache.using(cache) { try await search(request, plan: plan, service: service) }
        }
    }

    /// The search the flags ask for.
    func optimizeRequest() throws -> OptimizeRequest {
        let (source, start, end) = try market.resolve()
        let backtest = BacktestRequest(source: source, start: start, end: end, strategy: try StrategySpec(name: strategy),
                                       settings: try execution.settings(), sizing: try sizingOptions.configuration(size: execution.size))
        return OptimizeRequest(strategy: strategy, ranges: params, constraints: constraints, method: OptimizeRequest.Method(rawValue: method) ?? .grid,
                               samples: samples, seed: try NumberArgument.seed(seed), metric: metric,
                               maximize: maximize ? true : minimize ? false : nil, minimumTrades: minTrades, top: top,
                               windows: .init(train: train, test: test, step: step), heatmap: heatmap, backtest: backtest)
    }

    /// Loads the bars (through the cache) and runs the search; a grid or random search already
    /// run on the same data with the same inputs by this build is served from the cache.
    func search(_ request: OptimizeRequest, plan: OptimizationPlan, service: OptimizeService) async throws {
        // A usage error prints as a flag's would (`error: ...`, exit 2).
        let bars = try await service.bars(for: request, plan: plan)
        let terminal = Terminal(noColorFlag: noColor)
        let walkForward = request.method == .walkForward
        let progress = ProgressBar(label: "\(walkForward ? "walk-forward" : "optimize") \(strategy)", unit: walkForward ? "folds" : "sets",
                                   enabled: terminal.stderrIsTTY && output != .json)
        let configured = ActiveConfiguration.integer("optimize.jobs")
        let workers = jobs ?? (configured > 0 ? configured : ProcessInfo.processInfo.activeProcessorCount)
        if walkForward {
            // Ctrl-C stops after the folds completed so far, which are still printed (exit 130).
            let (result, interrupted) = try await Interruption.cancellingOnInterrupt {
                try await service.walkForward(request, plan: plan, bars: bars, workers: workers, progress: { progress.update($0, $1) })
            }
            progress.finish()
            let report = try await service.walkForwardReport(result, request: request, plan: plan, bars: bars, workers: workers)
            printWalkForward(result, report: report, plan: plan, bars: bars, terminal: terminal)
            if interrupted { throw AppError.interrupted("stopped after \(result.folds.count) folds; the folds completed are above") }
            return
        }
        // Ctrl-C cancels the search; the best sets so far are still printed (exit 130).
        let (full, interrupted) = try await Interruption.cancellingOnInterrupt {
            try await service.search(request, plan: plan, bars: bars, workers: workers, progress: { progress.update($0, $1) })
        }
        progress.finish()
        let report = try await service.report(full, request: request, plan: plan, bars: bars, workers: workers)
        let result = report.result
        switch output {
        case .json:
            print(report.document.serialized())
        case .table, .quiet:
            print(Self.table(result, names: report.names, terminal: terminal))
            let seedNote = method == "random" ? ", seed \(seed)" : ""
            print(terminal.paint("\(method) search\(seedNote): \(plan.sets.count) sets, \(result.evaluated) run, \(result.invalid) invalid, "
                + "\(result.unqualified) below --min-trades or undefined; \(workers) workers; \(plan.objective)"
                + (report.sizing.map { "; sizing \($0)" } ?? ""), .dim))
        }
        if let savedID = report.savedID { BacktestPrinter(terminal: terminal, output: output == .json ? .json : .table, includeTrades: false).announce(saved: savedID) }
        if interrupted {
            throw AppError.interrupted("stopped after \(result.evaluated + result.invalid) of \(plan.sets.count) sets; the best so far are above")
        }
        if result.ranked.isEmpty { throw AppError.runtime("no parameter set qualified (try a lower --min-trades)") }
    }

    func printWalkForward(_ result: WalkForward.Result, report: OptimizeReport, plan: OptimizationPlan, bars: BarSeries, terminal: Terminal) {
        let objective = plan.objective, names = plan.names
        switch output {
        case .json:
            print(report.document.serialized())
        case .table, .quiet:
            let renderer = ReportRenderer(terminal: terminal)
            func day(_ i: Int) -> String { Timestamp(nanos: bars.timestamps[i]).iso8601(dateOnlyAtMidnight: true) }
            var t = TextTable(headers: ["Fold", "Train", "Test"] + names + ["IS \(objective.metric.rawValue)", "OOS \(objective.metric.rawValue)", "OOS Return [%]", "OOS Trades"],
                              alignments: [.right, .left, .left] + Array(repeating: .right, count: names.count + 4))
            for (i, f) in result.folds.enumerated() {
                let params = names.map { n in f.best.map { renderer.number($0.parameters[n] ?? .nan, digits: ($0.parameters[n] ?? 0).rounded() == $0.parameters[n] ? 0 : 4) } ?? "--" }
                t.rows.append([String(i + 1), "\(day(f.split.train.lowerBound))…\(day(f.split.train.upperBound - 1))",
                               "\(day(f.split.test.lowerBound))…\(day(f.split.test.upperBound - 1))"] + params + [
                    f.best.map { renderer.number(objective.metric.value($0.metrics), digits: 4) } ?? "--",
                    f.outOfSample.map { renderer.number(objective.metric.value($0), digits: 4) } ?? "--",
                    f.outOfSample.map { renderer.number($0.returnPct, digits: 2) } ?? "--",
                    f.outOfSample.map { String($0.tradeCount) } ?? "0",
                ])
            }
            print(t.render(headerStyle: { terminal.paint($0, .bold) }))
            print(terminal.paint("walk-forward: \(result.folds.count) folds (train \(train) / test \(test) / step \(step) days), \(plan.sets.count) sets per fold; "
                + "stitched out-of-sample return \(renderer.number(result.outOfSampleReturnPct, digits: 2)) %; \(objective)"
                + (report.sizing.map { "; sizing \($0)" } ?? ""), .dim))
        }
        if let savedID = report.savedID { BacktestPrinter(terminal: terminal, output: output == .json ? .json : .table, includeTrades: false).announce(saved: savedID) }
    }

    static func table(_ r: OptimizationResult, names: [String], terminal: Terminal) -> String {
        let renderer = ReportRenderer(terminal: terminal)
        var t = TextTable(headers: ["#"] + names + [r.objective.metric.rawValue, "Return [%]", "Sharpe", "Max DD [%]", "# Trades"],
                          alignments: Array(repeating: .right, count: names.count + 6))
        for (i, e) in r.ranked.enumerated() {
            let m = e.metrics
            t.rows.append([String(i + 1)] + names.map { renderer.number(e.parameters[$0] ?? .nan, digits: (e.parameters[$0] ?? 0).rounded() == e.parameters[$0] ? 0 : 4) }
                + [renderer.number(r.objective.metric.value(m), digits: 4), renderer.number(m.returnPct, digits: 2),
                   renderer.number(m.sharpeRatio, digits: 4), renderer.number(m.maxDrawdownPct, digits: 2), String(m.tradeCount)])
        }
        return t.render(headerStyle: { terminal.paint($0, .bold) })
    }
}
