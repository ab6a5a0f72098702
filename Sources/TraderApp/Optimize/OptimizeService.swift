public import Foundation
public import TraderCore
public import TraderEngine
import TraderStrategies

/// Parameter searches: the work of `gpt-trader optimize`, the `optimize.grid` workflow step and
/// (next) the API's optimization jobs, so all of them check, run, report and save alike.
///
/// A search is three calls, so that a face can stop the middle one: `plan` (parse and check the
/// request against the strategy), `search` or `walkForward` (the runs: cancellable, a cancelled
/// search returns what it found), then `report` or `walkForwardReport` (the document, the heat
/// map, the saved record: not cancelled, so a search stopped with Ctrl-C is still saved).
public struct OptimizeService: Sendable {
    public let backtests: BacktestService
    public let history: RunHistory?

    public init(cache: AppCache? = nil, history: RunHistory? = nil) {
        backtests = BacktestService(cache: cache)
        self.history = history
    }

    /// Parses the ranges, constraints and objective and lays out the sets; every value must be
    /// one the strategy takes. Errors name what is wrong (`AppError.usage`).
    public func plan(_ request: OptimizeRequest) throws(AppError) -> OptimizationPlan {
        let descriptor: StrategyDescriptor
        do { descriptor = try StrategyCatalog.descriptor(named: request.strategy) } catch { throw .usage(error.description) }
        let objective: Objective, space: ParameterSpace, sets: [[String: Double]]
        do {
            objective = Objective(metric: try Objective.metric(named: request.metric), maximize: request.maximize,
                                  minimumTrades: request.minimumTrades)
            var ranges: [ParameterRange] = []
            for r in request.ranges { ranges.append(try ParameterRange(parsing: r)) }
            var rules: [ParameterConstraint] = []
            for c in request.constraints { rules.append(try ParameterConstraint(parsing: c)) }
            space = try ParameterSpace(ranges: ranges, constraints: rules, known: descriptor.parameters.map(\.name))
            sets = request.method == .random ? try space.sample(request.samples, seed: request.seed) : try space.grid()
        } catch {
            throw .usage("\(error)")
        }
        do { try space.check(against: descriptor) } catch { throw .usage(error.description) }
        if request.heatmap != nil {
            if request.method == .walkForward { throw .usage("--heatmap applies to grid and random searches") }
            if space.ranges.count != 2 { throw .usage("--heatmap needs exactly two --param ranges, got \(space.ranges.count)") }
        }
        return OptimizationPlan(descriptor: descriptor, objective: objective, space: space, sets: sets, sizer: try request.backtest.makeSizer())
    }

    /// The request's bars (through the cache), checked against the plan: windows longer than the
    /// data are refused before a single set allocates one.
    public func bars(for request: OptimizeRequest, plan: OptimizationPlan) async throws(AppError) -> BarSeries {
        let bars = try await backtests.bars(for: request.backtest)
        do { try plan.space.check(against: plan.descriptor, barCount: bars.count) } catch { throw .usage("\(error)") }
        try request.backtest.checkFits(barCount: bars.count)
        return bars
    }

    /// How many sets a grid or random search keeps: all of them for a heat map (every score is
    /// drawn), else the top N.
    public func kept(_ request: OptimizeRequest, plan: OptimizationPlan) -> Int { request.heatmap == nil ? request.top : plan.sets.count }

    /// Runs a grid or random search on `workers` workers; a search already run on the same data
    /// with the same inputs by this build is served from the cache. Cancelling the task stops it
    /// with the best sets so far.
    public func search(_ request: OptimizeRequest, plan: OptimizationPlan, bars: BarSeries, workers: Int,
                       progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> OptimizationResult {
        let sizer = plan.sizer
        let keep = kept(request, plan: plan), name = request.strategy, sets = plan.sets, objective = plan.objective
        let settings = request.backtest.settings
        let run: @Sendable () async -> OptimizationResult = {
            await Optimizer.run(strategy: name, sets: sets, on: bars, settings: settings, sizer: sizer, objective: objective,
                                top: keep, jobs: workers, progress: progress)
        }
        guard let cache = backtests.cache else { return await run() }
        let version = try backtests.data.dataVersion(of: request.backtest.source)
        let identity = AppCache.optimizationIdentity(strategy: name, sets: sets, request: request.backtest, objective: objective, keep: keep)
        return try await cache.optimization(identity: identity, dataVersion: version) { await run() }
    }

    /// The report of a grid or random search (its best `top` sets), with the heat map written
    /// and the search saved in the run history (its id in the document).
    public func report(_ full: OptimizationResult, request: OptimizeRequest, plan: OptimizationPlan, bars: BarSeries,
                       workers: Int) async throws -> OptimizeReport {
        if let path = request.heatmap {
            let (xr, yr) = (plan.space.ranges[0], plan.space.ranges[1])
            var scores: [HeatmapSVG.Pair: Double] = [:]
            for e in full.ranked {
                scores[HeatmapSVG.Pair(x: e.parameters[xr.name] ?? .nan, y: e.parameters[yr.name] ?? .nan)] = plan.objective.metric.value(e.metrics)
            }
            try HeatmapSVG(title: "\(request.strategy) on \(bars.symbol): \(plan.objective.metric.rawValue)", xName: xr.name, yName: yr.name,
                           xValues: xr.values, yValues: yr.values, scores: scores).write(to: path)
        }
        let result = full.prefix(request.top)
        let sizing = plan.sizer?.summary
        var report = OptimizeReport(result: result, names: plan.names, sets: plan.sets.count, workers: workers, sizing: sizing,
                                    document: OptimizeReport.document(result, request: request, names: plan.names, sets: plan.sets.count,
                                                                      bars: bars, workers: workers, sizing: sizing))
        try await save(&report, request: request, symbol: bars.symbol, optimization: result)
        return report
    }

    /// Runs a walk-forward search: the best set of each training window, traded on the window
    /// after it. Cancelling the task stops after the folds completed.
    public func walkForward(_ request: OptimizeRequest, plan: OptimizationPlan, bars: BarSeries, workers: Int,
                            progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> WalkForward.Result {
        let windows: WalkForward.Windows
        do {
            windows = try WalkForward.Windows(trainDays: request.windows.train, testDays: request.windows.test, stepDays: request.windows.step)
        } catch { throw AppError.usage(error.description) }
        do {
            return try await WalkForward.run(strategy: request.strategy, sets: plan.sets, on: bars, settings: request.backtest.settings,
                                             sizer: plan.sizer, objective: plan.objective, windows: windows,
                                             jobs: workers, progress: progress)
        } catch let e as OptimizationError {
            throw AppError.usage(e.description)
        }
    }

    /// The report of a walk-forward search, saved whole as its document (its folds are not one
    /// ranked list).
    public func walkForwardReport(_ result: WalkForward.Result, request: OptimizeRequest, plan: OptimizationPlan, bars: BarSeries,
                                  workers: Int) async throws -> OptimizeReport {
        let sizing = plan.sizer?.summary
        let ranked = OptimizationResult(objective: plan.objective, ranked: [], evaluated: 0, invalid: 0, unqualified: 0, cancelled: result.cancelled)
        var report = OptimizeReport(result: ranked, names: plan.names, sets: plan.sets.count, workers: workers, sizing: sizing,
                                    document: OptimizeReport.walkForwardDocument(result, request: request, plan: plan, bars: bars, sizing: sizing))
        try await save(&report, request: request, symbol: bars.symbol, optimization: ranked)
        return report
    }

    private func save(_ report: inout OptimizeReport, request: OptimizeRequest, symbol: String, optimization: OptimizationResult) async throws {
        guard let history else { return }
        let id = try await history.save(optimization: optimization, strategy: request.strategy, symbol: symbol,
                                        configuration: OptimizeReport.savedConfiguration(report.document, request: request, names: report.names))
        report.savedID = id
        if case let .object(fields) = report.document { report.document = .object([("run_id", .string(id.uuidString.lowercased()))] + fields) }
    }
}
