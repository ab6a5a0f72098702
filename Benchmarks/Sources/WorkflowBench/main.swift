// Workflow figures for BENCHMARKS.md (issue 7): the executor's cost per step, the speed-up of
// independent steps running in parallel, and each built-in workflow's wall time on the shipped
// data. Run from the repository root: scripts/bench-workflows (release).
import Foundation
import TraderApp
import TraderCore
import TraderWorkflows

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

/// The median wall time of `reps` runs of `body`.
func measure(reps: Int, _ body: () async throws -> Void) async rethrows -> Double {
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<reps {
        let start = clock.now
        try await body()
        times.append(seconds(clock.now - start))
    }
    return median(times)
}

var registry = ActionRegistry()
registry.register("noop") { _ in ["ok": .bool(true)] }
let executor = WorkflowExecutor(registry: registry)
let n = 1_000
let chain = WorkflowDefinition(name: "chain", steps: (0..<n).map { StepDefinition(id: "s\($0)", action: "noop", dependsOn: $0 == 0 ? [] : ["s\($0 - 1)"]) })
let wide = WorkflowDefinition(name: "wide", steps: (0..<n).map { StepDefinition(id: "s\($0)", action: "noop") })
print("== executor overhead (\(n) no-op steps, median of 20)")
for wf in [chain, wide] {
    let t = try await measure(reps: 20) { _ = try await executor.run(wf) }
    print(String(format: "%@: %.2f ms per run, %.1f µs per step", wf.name, t * 1000, t / Double(n) * 1e6))
}

// Independent CPU-bound steps: four backtests of 1,000,000 synthetic bars, as four parallel
// steps and as a chain of the same four.
let root = FileManager.default.currentDirectoryPath
let env = WorkflowEnvironment(data: MarketDataLocator(environment: [:], currentDirectory: root))
let actions = WorkflowActions.registry(env)
let strategies = ["sma-crossover", "momentum", "breakout", "mean-reversion"]
func backtests(chained: Bool) -> WorkflowDefinition {
    WorkflowDefinition(name: chained ? "chained" : "parallel", steps: strategies.enumerated().map { i, s in
        StepDefinition(id: "bt\(i)", action: "backtest.run",
                       parameters: ["synthetic": .integer(1_000_000), "timeframe": .string("1m"), "seed": .integer(i), "strategy": .string(s),
                                    "save": .bool(false)],
                       dependsOn: chained && i > 0 ? ["bt\(i - 1)"] : [])
    })
}
print("== parallel steps: 4 backtests of 1,000,000 bars (\(ProcessInfo.processInfo.activeProcessorCount) cores, median of 5)")
let full = WorkflowExecutor(registry: actions)
// Warm-up: the environment keeps the four series, so the runs measure the backtests.
let warm = try await full.run(backtests(chained: false))
precondition(warm.status == .succeeded, "\(warm.steps.map { $0.error ?? "" })")
let parallel = try await measure(reps: 5) { _ = try await full.run(backtests(chained: false)) }
let chained = try await measure(reps: 5) { _ = try await full.run(backtests(chained: true)) }
print(String(format: "parallel %.3f s, chained %.3f s, speed-up %.2fx", parallel, chained, chained / parallel))

print("== built-in workflows on data/sample (recorded in a SQLite run database; bars loaded in each run; median of 5)")
let dbFile = FileManager.default.temporaryDirectory.appendingPathComponent("workflow-bench-\(UUID().uuidString).sqlite").path
let history = try await RunHistory.open(.sqlite(path: dbFile))
let catalog = WorkflowCatalog(directories: [])
for entry in catalog.all().entries {
    let definition = try entry.definition.instantiate()
    var status = ""
    let t = try await measure(reps: 5) {
        let env = WorkflowEnvironment(data: MarketDataLocator(environment: [:], currentDirectory: root), history: history)
        let run = try await WorkflowRunner(environment: env).run(definition)
        status = run.status.rawValue
    }
    print(entry.name.padding(toLength: 26, withPad: " ", startingAt: 0) + String(format: " %8.1f ms  ", t * 1000) + status)
}
await history.close()
try? FileManager.default.removeItem(atPath: dbFile)
