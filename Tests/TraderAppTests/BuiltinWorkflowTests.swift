import Foundation
import Testing
import TraderAnalysis
import TraderCore
import TraderEngine
import TraderStore
import TraderStrategies
import TraderWorkflows
@testable import TraderApp

/// Every built-in workflow, end to end on the shipped GOOG and EURUSD samples, with a SQLite run
/// history: each checks its outputs against the slice it chains, run directly.
@Suite struct BuiltinWorkflowTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let locator = MarketDataLocator(environment: [:], currentDirectory: root)

    /// A fresh SQLite history for one test.
    static func withHistory<T>(_ body: (RunHistory) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wf-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let history = try await RunHistory.open(.sqlite(path: dir.appendingPathComponent("runs.sqlite").path))
        do {
            let value = try await body(history)
            await history.close()
            return value
        } catch {
            await history.close()
            throw error
        }
    }

    static func run(_ name: String, _ params: [String: JSONValue] = [:], history: RunHistory, id: UUID = UUID()) async throws -> WorkflowRun {
        let entry = try WorkflowCatalog(directories: []).find(name)
        let runner = WorkflowRunner(environment: WorkflowEnvironment(data: locator, history: history))
        return try await runner.run(try entry.definition.instantiate(with: params), id: id)
    }

    static func number(_ run: WorkflowRun, _ step: String, _ key: String) throws -> Double {
        try #require(run.step(step)?.outputs[key]?.doubleValue, "\(step).\(key)")
    }

    static func text(_ run: WorkflowRun, _ step: String, _ key: String) throws -> String {
        guard case .string(let s)? = run.step(step)?.outputs[key] else { Issue.record("\(step).\(key) is not text"); throw TestError() }
        return s
    }

    static func goog() throws -> BarSeries { try locator.load(.symbol("GOOG")) }

    static func settings(commission: Double = 0.002) throws -> ExecutionSettings {
        var s = ExecutionSettings()
        s.commission = try CommissionModel(rate: commission)
        return s
    }

    @Test func simpleBacktestMatchesTheKernelAndIsSaved() async throws {
        try await Self.withHistory { history in
            let report = FileManager.default.temporaryDirectory.appendingPathComponent("wf-report-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: report) }
            let run = try await Self.run("simple-backtest", ["report": .string(report)], history: history)
            #expect(run.status == .succeeded)
            let direct = try Backtester.run(try StrategySpec(name: "sma-crossover"), on: try Self.goog(), settings: try Self.settings())
            #expect(try Self.number(run, "backtest", "return_pct") == direct.metrics.returnPct)
            #expect(try Self.number(run, "backtest", "trades") == Double(direct.metrics.tradeCount))
            let saved = try await history.find(try Self.text(run, "backtest", "run_id"))
            guard case .backtest(let stored) = saved else { Issue.record("not saved as a backtest"); return }
            #expect(stored.summary.returnPct == direct.metrics.returnPct)
            let written = try JSONValue(parsing: try String(contentsOfFile: report, encoding: .utf8))
            #expect(written.serialized().contains("\"return_pct\""))
        }
    }

    @Test func quickTestUsesTheLastYear() async throws {
        try await Self.withHistory { history in
            let run = try await Self.run("quick-test", history: history)
            #expect(run.status == .succeeded)
            #expect(try Self.number(run, "data", "bars") == 252)
            let bars = try Self.goog()
            let lastYear = bars.slice((bars.count - 252)..<bars.count)
            let direct = try Backtester.run(try StrategySpec(name: "sma-crossover"), on: lastYear, settings: try Self.settings())
            #expect(try Self.number(run, "backtest", "return_pct") == direct.metrics.returnPct)
            #expect(run.step("backtest")?.outputs["run_id"] == nil, "quick-test does not save")
            #expect(RecommendationAction(rawValue: try Self.text(run, "analysis", "recommendation")) != nil)
        }
    }

    @Test func mlDrivenBacktestsTheSelectorsChoice() async throws {
        try await Self.withHistory { history in
            let run = try await Self.run("ml-driven", history: history)
            #expect(run.status == .succeeded)
            let chosen = try Self.text(run, "select", "strategy")
            #expect(try Self.text(run, "selected", "strategy") == chosen)
            #expect(try Self.text(run, "baseline", "strategy") == "sma-crossover")
            #expect(Regime(rawValue: try Self.text(run, "regime", "regime")) != nil)
            let direct = try Backtester.run(try StrategySpec(name: chosen), on: try Self.goog(), settings: try Self.settings())
            #expect(try Self.number(run, "selected", "return_pct") == direct.metrics.returnPct)
            guard case .array(let ranking)? = run.step("select")?.outputs["ranking"] else { Issue.record("no ranking"); return }
            #expect(ranking.count == SelectorConfiguration().candidates.count)
        }
    }

    /// Both branches of the risk condition, and the executed backtest is exactly the ensemble of
    /// the computed weights, sized by the plan, trading out of sample.
    @Test(arguments: [(0.6, "execute", "defensive"), (0.01, "defensive", "execute")])
    func ensembleTakesTheBranchRiskAllows(_ maxVolatility: Double, _ taken: String, _ skipped: String) async throws {
        try await Self.withHistory { history in
            let run = try await Self.run("multi-strategy-ensemble", ["max_volatility": .number(maxVolatility)], history: history)
            #expect(run.status == .succeeded)
            #expect(run.step(taken)?.status == .succeeded)
            #expect(run.step(skipped)?.status == .skipped)
            #expect(run.step("report")?.status == .succeeded, "the join runs after either branch")
            guard case .object(let weights)? = run.step("weights")?.outputs["weights"] else { Issue.record("no weights"); return }
            let sum = weights.reduce(0) { $0 + ($1.1.doubleValue ?? 0) }
            #expect(abs(sum - 1) < 1e-3)

            let bars = try Self.goog()
            var s = try Self.settings()
            s.positionFraction = taken == "execute" ? try Self.number(run, "sizing", "position_fraction") : 0.25
            s.tradingStartBar = bars.lowerBound(try #require(DateInput.parse(try Self.text(run, "weights", "trading_start"))).nanos)
            #expect(s.tradingStartBar > bars.count / 3)
            let spec = try StrategySpec(name: "ensemble", members: weights.map { (name: $0.0, weight: $0.1.doubleValue!) })
            let direct = try Backtester.run(spec, on: bars, settings: s)
            #expect(try Self.number(run, taken, "return_pct") == direct.metrics.returnPct)
        }
    }

    @Test func optimizationValidatesTheBestSetOutOfSample() async throws {
        try await Self.withHistory { history in
            let run = try await Self.run("strategy-optimization", history: history)
            #expect(run.status == .succeeded)
            var expectedSets = 0
            for fast in stride(from: 5, through: 30, by: 5) { for slow in stride(from: 20, through: 100, by: 10) where fast < slow { expectedSets += 1 } }
            #expect(try Self.number(run, "optimize", "evaluated") == Double(expectedSets))
            guard case .object(let best)? = run.step("optimize")?.outputs["strategy_parameters"] else { Issue.record("no best set"); return }
            let bars = try Self.goog()
            var s = try Self.settings()
            s.tradingStartBar = Int(Double(bars.count) * 0.7)
            let spec = try StrategySpec(name: "sma-crossover", overrides: Dictionary(uniqueKeysWithValues: best.map { ($0.0, $0.1.doubleValue!) }))
            #expect(try Self.number(run, "validate", "return_pct") == (try Backtester.run(spec, on: bars, settings: s)).metrics.returnPct)
            let defaults = try Backtester.run(try StrategySpec(name: "sma-crossover"), on: bars, settings: s)
            #expect(try Self.number(run, "defaults", "return_pct") == defaults.metrics.returnPct)
        }
    }

    @Test func monitoringChecksFeedsAndRuns() async throws {
        try await Self.withHistory { history in
            _ = try await Self.run("simple-backtest", history: history)
            _ = try await Self.run("simple-backtest", ["strategy": .string("momentum")], history: history)
            let run = try await Self.run("real-time-monitoring", ["max_drawdown_pct": .number(1)], history: history)
            #expect(run.status == .succeeded)
            #expect(try Self.number(run, "feeds", "checked") == 2)
            // The shipped samples end in 2013: both feeds are stale today.
            #expect(run.step("feeds")?.outputs["ok"] == .bool(false))
            #expect(try Self.number(run, "runs", "runs") == 2)
            #expect(try Self.number(run, "runs", "alert_count") == 2, "both runs fell more than 1%")
        }
    }

    @Test func adaptiveSelectionMatchesTheSelectorsAutoBacktest() async throws {
        try await Self.withHistory { history in
            let run = try await Self.run("adaptive-selection", history: history)
            #expect(run.status == .succeeded)
            let direct = try SelectionService().autoBacktest(bars: try Self.goog(), configuration: SelectorConfiguration(), settings: try Self.settings())
            #expect(try Self.number(run, "adaptive", "return_pct") == direct.auto.metrics.returnPct)
            #expect(try Self.number(run, "adaptive", "candidate_count") == Double(direct.fixed.count))
        }
    }

    @Test func runsAreRecordedStepByStep() async throws {
        try await Self.withHistory { history in
            let id = UUID()
            let run = try await Self.run("quick-test", history: history, id: id)
            let stored = try await history.workflowRun(String(id.uuidString.prefix(8)))
            #expect(stored.status == "succeeded" && stored.finishedAt != nil && stored.workflow == "quick-test")
            let records = stored.stepRecords
            #expect(records.map(\.id) == run.steps.map(\.id))
            #expect(records.allSatisfy { $0.status == .succeeded })
        }
    }

    /// `workflow cancel` from elsewhere: the request in the store stops the running step.
    @Test func aCancelRequestInTheStoreStopsTheRun() async throws {
        try await Self.withHistory { history in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("slow-\(UUID().uuidString).yaml").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            try "name: slow\nsteps:\n  - id: data\n    action: data.load\n  - id: pause\n    action: wait\n    depends_on: [data]\n    parameters: { for: 1h }\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let entry = try WorkflowCatalog(directories: []).find(file)
            let id = UUID()
            let runner = WorkflowRunner(environment: WorkflowEnvironment(data: Self.locator, history: history))
            let task = Task { try await runner.run(entry.definition, id: id) }
            // Wait (without a time bound on speed) until the pause step is recorded as running.
            var running = false
            for _ in 0..<30_000 where !running {
                if let stored = try await history.store.workflowRun(id: id) { running = stored.steps.contains(#""id":"pause","status":"running""#) }
                if !running { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(running)
            _ = try await history.cancelWorkflowRun(String(id.uuidString.prefix(8)))
            let run = try await task.value
            #expect(run.status == .cancelled)
            #expect(run.step("pause")?.status == .cancelled && run.step("data")?.status == .succeeded)
            #expect(try await history.workflowRun(id.uuidString).status == "cancelled")
            await #expect(throws: AppError.self) { _ = try await history.cancelWorkflowRun(id.uuidString) }
        }
    }

    /// Every built-in parses, validates and names only registered actions.
    @Test func builtinsAreValid() {
        let (entries, problems) = WorkflowCatalog(directories: []).all()
        #expect(problems.isEmpty)
        #expect(entries.map(\.name) == BuiltinWorkflows.all.map(\.name))
    }
}

struct TestError: Error {}

/// `status` counts the workflows recorded as running, and tells a run whose process is gone.
@Suite struct RunningWorkflowStatusTests {
    @Test func runningAndAbandonedWorkflows() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wf-status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let location = DatabaseLocation.sqlite(path: dir.appendingPathComponent("runs.sqlite").path)
        let history = try await RunHistory.open(location)
        let host = ProcessInfo.processInfo.hostName
        let live = StoredWorkflowRun(id: UUID(), workflow: "live", status: "running", startedAt: 1, updatedAt: 1,
                                     runner: "\(host):\(ProcessInfo.processInfo.processIdentifier)", parameters: "{}", steps: "[]")
        var gone = live
        gone.id = UUID(); gone.workflow = "gone"; gone.runner = "\(host):2147483000"
        var done = live
        done.id = UUID(); done.workflow = "done"; done.status = "succeeded"; done.finishedAt = 2
        for r in [live, gone, done] { try await history.store.saveWorkflowRun(r) }
        await history.close()
        let status = await SystemStatus.gather(locator: BuiltinWorkflowTests.locator, cache: CacheSettings(), database: location)
        #expect(status.runningWorkflows == 1)
        #expect(Set(status.workflows.map(\.workflow)) == ["live", "gone"])
        #expect(status.workflows.first { $0.workflow == "gone" }?.stale == true)
        #expect(status.workflows.first { $0.workflow == "live" }?.stale == false)
    }
}

/// Workflow steps given values out of range: the step fails with one error naming the parameter
/// and its range, and nothing overflows, allocates without bound or turns into infinity.
@Suite struct HostileStepParameterTests {
    static let file = """
    name: hostile
    parameters:
      synthetic: 300
      tilt: 1.5
      volatility: 0.2
    steps:
      - id: weights
        action: ensemble.weights
        parameters: { synthetic: "${synthetic}", tilt: "${tilt}" }
      - id: sizing
        action: sizing.plan
        parameters: { volatility: "${volatility}" }
    """

    static func run(_ params: [String: JSONValue]) async throws -> WorkflowRun {
        let workflow = try WorkflowFile.parse(file, file: "hostile.yaml").instantiate(with: params)
        let runner = WorkflowRunner(environment: WorkflowEnvironment(data: BuiltinWorkflowTests.locator, history: nil))
        return try await runner.run(workflow)
    }

    @Test func inRangeValuesRun() async throws {
        let run = try await Self.run([:])
        #expect(run.step("weights")?.status == .succeeded && run.step("sizing")?.status == .succeeded)
    }

    @Test(arguments: [
        ("synthetic", JSONValue.integer(Int.max), "weights", "parameter 'synthetic' must be a whole number between 1 and 5e7 bars"),
        ("synthetic", .string("0x10"), "weights", "parameter 'synthetic' must be a number"),
        ("tilt", .number(1e308), "weights", "parameter 'tilt' must be a number between 0 and 100"),
        ("volatility", .number(-1), "sizing", "parameter 'volatility' must be a number between 0 and 1000"),
    ])
    func outOfRangeValuesFailTheStepByName(_ key: String, _ value: JSONValue, _ step: String, _ message: String) async throws {
        let run = try await Self.run([key: value])
        #expect(run.step(step)?.status == .failed)
        #expect(run.step(step)?.error?.contains(message) == true, "\(run.step(step)?.error ?? "no error")")
    }
}

/// `risk.check` judges the drawdown with the engine's `DrawdownHalt`, the rule backtests and bots
/// use: a drawdown that reaches the limit stops trading, one short of it does not.
@Suite struct RiskCheckActionTests {
    static func check(drawdown: Double, limit: Double) async throws -> WorkflowRun {
        let file = """
        name: risk
        steps:
          - id: risk
            action: risk.check
            parameters: { volatility: 0.1, drawdown: \(drawdown), max_drawdown: \(limit), regime: bull_quiet }
        """
        let workflow = try WorkflowFile.parse(file, file: "risk.yaml").instantiate(with: [:])
        let runner = WorkflowRunner(environment: WorkflowEnvironment(data: BuiltinWorkflowTests.locator, history: nil))
        return try await runner.run(workflow)
    }

    @Test func drawdownReachingTheLimitStopsTrading() async throws {
        let deep = try await Self.check(drawdown: -0.4, limit: 0.35)
        #expect(deep.step("risk")?.outputs["ok"] == .bool(false))
        #expect(deep.step("risk")?.outputs["reasons"] == .array([.string("drawdown 0.4 reaches 0.35")]))
        let shallow = try await Self.check(drawdown: -0.2, limit: 0.35)
        #expect(shallow.step("risk")?.outputs["ok"] == .bool(true))
        let outOfRange = try await Self.check(drawdown: 0.2, limit: 1.5)
        #expect(outOfRange.step("risk")?.status == .failed)
    }
}
