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
        let descriptor: StrategyDescriptor
        do { descriptor = try StrategyCatalog.descriptor(named: strategy) } catch { throw ValidationError(error.description) }
        let objective: Objective
        let space: ParameterSpace
        let sets: [[String: Double]]
        do {
            objective = Objective(metric: try Objective.metric(named: metric), maximize: maximize ? true : minimize ? false : nil,
                                  minimumTrades: minTrades)
            var ranges: [ParameterRange] = []
            for p in params { ranges.append(try ParameterRange(parsing: p)) }
            var rules: [ParameterConstraint] = []
            for c in constraints { rules.append(try ParameterConstraint(parsing: c)) }
            space = try ParameterSpace(ranges: ranges, constraints: rules, known: descriptor.parameters.map(\.name))
            sets = method == "random" ? try space.sample(samples, seed: try NumberArgument.seed(seed)) : try space.grid()
        } catch {
            throw ValidationError("\(error)")
        }
        // Each value must also be valid for the strategy (periods within bounds, ...); reject up front.
        do { try space.check(against: descriptor) } catch { throw ValidationError(error.description) }

        let cache = try cacheOptions.cache()
        let history = try await saving.history()
        try await RunHistory.using(history) {
            try await AppCache.using(cache) {
                try await search(sets: sets, space: space, objective: objective, cache: cache, history: history)
            }
        }
    }

    /// Loads the bars (through the cache) and runs the search; a grid or random search already
    /// run on the same data with the same inputs by this build is served from the cache.
    func search(sets: [[String: Double]], space: ParameterSpace, objective: Objective, cache: AppCache?, history: RunHistory?) async throws {
        let (source, start, end) = try market.resolve()
        let settings = try execution.settings()
        let service = BacktestService(cache: cache)
        let request = BacktestRequest(source: source, start: start, end: end, strategy: try StrategySpec(name: strategy), settings: settings,
                                      sizing: try sizingOptions.configuration(size: execution.size))
        // A prototype: every set's run sizes with a fresh copy.
        let sizer = try request.makeSizer()
        let bars = try await service.bars(for: request)
        // Windows longer than the data are refused before a single set allocates one.
        do { try space.check(against: StrategyCatalog.descriptor(named: strategy), barCount: bars.count) } catch {
            throw ValidationError("\(error)")
        }
        try request.checkFits(barCount: bars.count)
        let terminal = Terminal(noColorFlag: noColor)
        let progress = ProgressBar(label: "optimize \(strategy)", unit: "sets", enabled: terminal.stderrIsTTY && output != .json)
        let configured = ActiveConfiguration.integer("optimize.jobs")
        let workers = jobs ?? (configured > 0 ? configured : ProcessInfo.processInfo.activeProcessorCount)
        if method == "walk-forward" {
            try await walkForward(sets: sets, bars: bars, settings: settings, sizer: sizer, objective: objective, workers: workers,
                                  names: space.ranges.map(\.name), terminal: terminal, history: history)
            return
        }
        if heatmap != nil && space.ranges.count != 2 {
            throw ValidationError("--heatmap needs exactly two --param ranges, got \(space.ranges.count)")
        }
        // A heat map needs every set's score, so keep them all; otherwise only the top N.
        let keep = heatmap == nil ? top : sets.count
        let name = strategy
        // Ctrl-C cancels the search; the best sets so far are still printed (exit 130).
        let search: @Sendable () async -> OptimizationResult = {
            await Optimizer.run(strategy: name, sets: sets, on: bars, settings: settings, sizer: sizer, objective: objective,
                                top: keep, jobs: workers, progress: { progress.update($0, $1) })
        }
        let version = try cache.map { _ in try service.data.dataVersion(of: source) }
        let identity = AppCache.optimizationIdentity(strategy: name, sets: sets, request: request, objective: objective, keep: keep)
        let (full, interrupted) = try await Interruption.cancellingOnInterrupt {
            guard let cache, let version else { return await search() }
            return try await cache.optimization(identity: identity, dataVersion: version) { await search() }
        }
        progress.finish()
        if let heatmap {
            let (xr, yr) = (space.ranges[0], space.ranges[1])
            var scores: [HeatmapSVG.Pair: Double] = [:]
            for e in full.ranked {
                scores[HeatmapSVG.Pair(x: e.parameters[xr.name] ?? .nan, y: e.parameters[yr.name] ?? .nan)] = objective.metric.value(e.metrics)
            }
            try HeatmapSVG(title: "\(strategy) on \(bars.symbol): \(objective.metric.rawValue)", xName: xr.name, yName: yr.name,
                           xValues: xr.values, yValues: yr.values, scores: scores).write(to: heatmap)
        }
        let result = full.prefix(top)
        let names = space.ranges.map(\.name)
        var document = json(result, names: names, sets: sets.count, bars: bars, workers: workers, sizing: sizer?.summary)
        var savedID: UUID?
        if let history {
            savedID = try await history.save(optimization: result, strategy: strategy, symbol: bars.symbol,
                                             configuration: savedConfiguration(document, names: names, settings: settings))
            if let savedID, case let .object(fields) = document { document = .object([("run_id", .string(savedID.uuidString.lowercased()))] + fields) }
        }
        switch output {
        case .json:
            print(document.serialized())
        case .table, .quiet:
            print(Self.table(result, names: names, terminal: terminal))
            let seedNote = method == "random" ? ", seed \(seed)" : ""
            print(terminal.paint("\(method) search\(seedNote): \(sets.count) sets, \(result.evaluated) run, \(result.invalid) invalid, "
                + "\(result.unqualified) below --min-trades or undefined; \(workers) workers; \(objective)"
                + (sizer.map { "; sizing \($0.summary)" } ?? ""), .dim))
        }
        if let savedID { BacktestPrinter(terminal: terminal, output: output == .json ? .json : .table, includeTrades: false).announce(saved: savedID) }
        if interrupted {
            throw AppError.interrupted("stopped after \(result.evaluated + result.invalid) of \(sets.count) sets; the best so far are above")
        }
        if result.ranked.isEmpty { throw AppError.runtime("no parameter set qualified (try a lower --min-trades)") }
    }

    func walkForward(sets: [[String: Double]], bars: BarSeries, settings: ExecutionSettings, sizer: (any PositionSizer)?,
                     objective: Objective, workers: Int, names: [String], terminal: Terminal, history: RunHistory?) async throws {
        let windows: WalkForward.Windows
        do { windows = try WalkForward.Windows(trainDays: train, testDays: test, stepDays: step) } catch { throw ValidationError(error.description) }
        let progress = ProgressBar(label: "walk-forward \(strategy)", unit: "folds", enabled: terminal.stderrIsTTY && output != .json)
        let result: WalkForward.Result
        let interrupted: Bool
        let name = strategy
        do {
            // Ctrl-C stops after the folds completed so far, which are still printed (exit 130).
            (result, interrupted) = try await Interruption.cancellingOnInterrupt {
                try await WalkForward.run(strategy: name, sets: sets, on: bars, settings: settings, sizer: sizer, objective: objective,
                                          windows: windows, jobs: workers, progress: { progress.update($0, $1) })
            }
        } catch let e as OptimizationError {
            throw ValidationError(e.description)
        }
        progress.finish()
        let renderer = ReportRenderer(terminal: terminal)
        func day(_ i: Int) -> String { Timestamp(nanos: bars.timestamps[i]).iso8601(dateOnlyAtMidnight: true) }
        let document: JSONValue = {
            let folds: [JSONValue] = result.folds.map { f in
                .object([
                    ("train_start", .string(day(f.split.train.lowerBound))), ("train_end", .string(day(f.split.train.upperBound - 1))),
                    ("test_start", .string(day(f.split.test.lowerBound))), ("test_end", .string(day(f.split.test.upperBound - 1))),
                    ("parameters", f.best.map { b in .object(names.map { ($0, .number(b.parameters[$0] ?? .nan)) }) } ?? .null),
                    ("in_sample", f.best.map { b in .object([("score", .number(objective.metric.value(b.metrics))),
                                                              ("return_pct", .number(b.metrics.returnPct)),
                                                              ("sharpe_ratio", .number(b.metrics.sharpeRatio)),
                                                              ("trades", .integer(b.metrics.tradeCount))]) } ?? .null),
                    ("out_of_sample", f.outOfSample.map { m in .object([("score", .number(objective.metric.value(m))),
                                                                         ("return_pct", .number(m.returnPct)),
                                                                         ("sharpe_ratio", .number(m.sharpeRatio)),
                                                                         ("trades", .integer(m.tradeCount))]) } ?? .null),
                ])
            }
            return JSONValue.object([
                ("strategy", .string(strategy)), ("symbol", .string(bars.symbol)), ("method", .string("walk-forward")),
                ("train_days", .integer(train)), ("test_days", .integer(test)), ("step_days", .integer(step)),
                ("objective", .object([("metric", .string(objective.metric.rawValue)), ("maximize", .bool(objective.maximize))])),
                ("sizing", Self.json(sizer?.summary)),
                ("sets", .integer(sets.count)), ("folds", .array(folds)), ("cancelled", .bool(result.cancelled)),
                ("out_of_sample_return_pct", .number(result.outOfSampleReturnPct)),
                ("stitched_equity_final", .number(result.stitchedEquity.last ?? .nan)),
            ])
        }()
        // A walk-forward search is saved whole as its document: its folds are not one ranked list.
        let savedID = try await history?.save(
            optimization: OptimizationResult(objective: objective, ranked: [], evaluated: 0, invalid: 0, unqualified: 0, cancelled: result.cancelled),
            strategy: strategy, symbol: bars.symbol, configuration: savedConfiguration(document, names: names, settings: settings))
        switch output {
        case .json:
            var doc = document
            if let savedID, case let .object(fields) = doc { doc = .object([("run_id", .string(savedID.uuidString.lowercased()))] + fields) }
            print(doc.serialized())
        case .table, .quiet:
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
            print(terminal.paint("walk-forward: \(result.folds.count) folds (train \(train) / test \(test) / step \(step) days), \(sets.count) sets per fold; "
                + "stitched out-of-sample return \(renderer.number(result.outOfSampleReturnPct, digits: 2)) %; \(objective)"
                + (sizer.map { "; sizing \($0.summary)" } ?? ""), .dim))
        }
        if let savedID { BacktestPrinter(terminal: terminal, output: output == .json ? .json : .table, includeTrades: false).announce(saved: savedID) }
        if interrupted { throw AppError.interrupted("stopped after \(result.folds.count) folds; the folds completed are above") }
    }

    /// What is saved as the search's configuration: its report without the ranked list (stored as
    /// rows), plus the ranges and constraints as given, the parameter order and the settings.
    func savedConfiguration(_ document: JSONValue, names: [String], settings: ExecutionSettings) -> JSONValue {
        guard case let .object(fields) = document else { return document }
        return .object(fields.filter { $0.0 != "ranked" } + [
            ("parameter_names", .array(names.map(JSONValue.string))),
            ("params", .array(params.map(JSONValue.string))), ("constraints", .array(constraints.map(JSONValue.string))),
            ("execution", BacktestReport.settingsJSON(settings)),
        ])
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

    /// The sizing of every run, as `backtest` reports it; null without `--sizing`.
    static func json(_ sizing: SizingSummary?) -> JSONValue {
        guard let sizing else { return .null }
        return .object([("rule", .string(sizing.rule))] + sizing.parameters.map { ($0.name, .number($0.value)) })
    }

    /// The ranked sets as JSON: shared with `runs show` of a saved search.
    static func rankedJSON(_ r: OptimizationResult, names: [String]) -> JSONValue {
        .array(r.ranked.map { e in
            .object([
                ("parameters", .object(names.map { ($0, .number(e.parameters[$0] ?? .nan)) })),
                ("score", .number(r.objective.metric.value(e.metrics))),
                ("return_pct", .number(e.metrics.returnPct)), ("sharpe_ratio", .number(e.metrics.sharpeRatio)),
                ("sqn", .number(e.metrics.sqn)), ("max_drawdown_pct", .number(e.metrics.maxDrawdownPct)),
                ("trades", .integer(e.metrics.tradeCount)), ("equity_final", .number(e.metrics.equityFinal)),
            ])
        })
    }

    func json(_ r: OptimizationResult, names: [String], sets: Int, bars: BarSeries, workers: Int, sizing: SizingSummary?) -> JSONValue {
        .object([
            ("strategy", .string(strategy)),
            ("symbol", .string(bars.symbol)),
            ("bars", .integer(bars.count)),
            ("method", .string(method)),
            ("seed", method == "random" ? .string(seed) : .null),
            ("objective", .object([("metric", .string(r.objective.metric.rawValue)), ("maximize", .bool(r.objective.maximize)),
                                   ("min_trades", .integer(r.objective.minimumTrades))])),
            ("sizing", Self.json(sizing)),
            ("sets", .integer(sets)), ("evaluated", .integer(r.evaluated)), ("invalid", .integer(r.invalid)),
            ("unqualified", .integer(r.unqualified)), ("workers", .integer(workers)), ("cancelled", .bool(r.cancelled)),
            ("ranked", Self.rankedJSON(r, names: names)),
        ])
    }
}
