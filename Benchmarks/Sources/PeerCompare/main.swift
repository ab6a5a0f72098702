// Times GPT-Trader on a CSV the way ../shared/peers/peer_smacross.py times the peers, and prints
// one JSON line per figure in the same format, so scripts/bench-peers can put them side by side.
//
// usage: peer-compare CSV [--fast 10] [--slow 20] [--commission 0] [--reps 5] [--mapped] [--grid]
import Foundation
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies

let args = Array(CommandLine.arguments.dropFirst())
guard let path = args.first else {
    FileHandle.standardError.write("usage: peer-compare CSV [--fast 10] [--slow 20] [--commission 0] [--reps 5]\n".data(using: .utf8)!)
    exit(2)
}
func option(_ name: String, _ fallback: Double, in args: [String] = args) -> Double {
    guard let i = args.firstIndex(of: "--\(name)"), i + 1 < args.count, let v = Double(args[i + 1]) else { return fallback }
    return v
}
let fast = Int(option("fast", 10)), slow = Int(option("slow", 20)), reps = Int(option("reps", 5))
let commission = option("commission", 0)

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
let clock = ContinuousClock()

// CSV import, best of reps.
var series: BarSeries! = nil
var importTimes: [Double] = []
for _ in 0..<max(1, reps) {
    let t = clock.measure { series = try! CSVBarReader.read(path: path, symbol: "BENCH") }
    importTimes.append(seconds(t))
}
let bestImport = importTimes.min()!
print("{\"framework\": \"gpt-trader\", \"task\": \"csv-import\", \"bars\": \(series.count), \"best_s\": \(bestImport), \"bars_per_s\": \(Int(Double(series.count) / bestImport))}")

// Backtest: same strategy and settings as peer_smacross.py (long-only, next-open fills, whole
// units, cash 10,000), full accounting and metrics included in the timed region.
var settings = ExecutionSettings()
settings.initialCapital = 10_000
settings.commission = try! CommissionModel(rate: commission)
let strategy = try! SMACrossover(fast: fast, slow: slow)
_ = try! Backtester.run(strategy, name: "sma", on: series.slice(0..<min(series.count, 5000)), settings: settings)  // warm-up
var times: [Double] = []
var result: BacktestResult! = nil
for _ in 0..<max(1, reps) {
    let t = clock.measure { result = try! Backtester.run(strategy, name: "sma", on: series, settings: settings) }
    times.append(seconds(t))
}
let best = times.min()!
print("{\"framework\": \"gpt-trader\", \"task\": \"smacross\", \"bars\": \(series.count), \"best_s\": \(best), \"bars_per_s\": \(Int(Double(series.count) / best)), \"final_equity\": \(result.metrics.equityFinal), \"closed_trades\": \(result.trades.count)}")

// Breakdown: the metrics report alone on the same equity curve (included in the figure above).
var metricTimes: [Double] = []
for _ in 0..<max(1, reps) {
    let t = clock.measure {
        _ = MetricsCalculator.compute(equity: result.equity, trades: result.trades, series: series, firstTradingBar: slow - 1)
    }
    metricTimes.append(seconds(t))
}
print("{\"framework\": \"gpt-trader\", \"task\": \"metrics-only\", \"bars\": \(series.count), \"best_s\": \(metricTimes.min()!)}")

// With --mapped: the same backtest on the same bars loaded from a bar store file, whose columns
// are the mapped file's pages (zero-copy), timed alternately with the in-memory (array) series,
// best of reps each: the bar loop must run as fast on mapped columns as on arrays.
if args.contains("--mapped") {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("peer-compare-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/BENCH.gtbars"
    try! BarStoreWriter.write(series, to: path)
    let mapped = try! BarStoreFile(path: path).load()
    _ = try! Backtester.run(strategy, name: "sma", on: mapped, settings: settings)   // pages in, like the array's first run
    var arrayBest = Double.infinity, mappedBest = Double.infinity
    var equal = true
    for _ in 0..<max(1, reps) {
        var a: BacktestResult! = nil, m: BacktestResult! = nil
        arrayBest = min(arrayBest, seconds(clock.measure { a = try! Backtester.run(strategy, name: "sma", on: series, settings: settings) }))
        mappedBest = min(mappedBest, seconds(clock.measure { m = try! Backtester.run(strategy, name: "sma", on: mapped, settings: settings) }))
        equal = equal && a.equity == m.equity && a.trades == m.trades
    }
    for (task, best) in [("smacross-array", arrayBest), ("smacross-mapped", mappedBest)] {
        print("{\"framework\": \"gpt-trader\", \"task\": \"\(task)\", \"bars\": \(series.count), \"best_s\": \(best), \"bars_per_s\": \(Int(Double(series.count) / best)), \"same_result\": \(equal)}")
    }
}

// The optimization issue's grid on the same CSV: fast 5..50 step 5, slow 20..200 step 20,
// fast < slow (90 sets), maximize Sharpe; one worker and all workers, best of reps. The two are
// timed alternately, so a change of the VM's CPU state during the run affects both alike; the
// parallel efficiency printed is best(1 worker) / (workers × best(all workers)).
if args.contains("--grid") {
    var sets: [[String: Double]] = []
    for f in stride(from: 5.0, through: 50, by: 5) { for s in stride(from: 20.0, through: 200, by: 20) where f < s { sets.append(["fast": f, "slow": s]) } }
    var gridSettings = ExecutionSettings()
    gridSettings.commission = try! CommissionModel(rate: option("grid-commission", 0.002))
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let jobCounts = cores > 1 ? [1, cores] : [1]
    var best = [Int: Double]()
    var top = [Int: OptimizationResult]()
    for _ in 0..<max(1, reps) {
        for jobs in jobCounts {
            let start = ContinuousClock.now
            let box = ResultBox()
            let done = DispatchSemaphore(value: 0)
            let s = series!
            // Detached: top-level code runs on the main actor, which `done.wait()` blocks.
            Task.detached {
                box.value = await Optimizer.run(strategy: "sma-crossover", sets: sets, on: s, settings: gridSettings,
                                                objective: Objective(metric: .sharpe), top: 1, jobs: jobs)
                done.signal()
            }
            done.wait()
            best[jobs] = min(best[jobs] ?? .infinity, seconds(ContinuousClock.now - start))
            top[jobs] = box.value
        }
    }
    for jobs in jobCounts {
        let p = top[jobs]!.ranked[0].parameters
        print("{\"framework\": \"gpt-trader\", \"task\": \"optimize-grid-90\", \"bars\": \(series.count), \"jobs\": \(jobs), \"best_s\": \(best[jobs]!), \"best\": {\"fast\": \(Int(p["fast"]!)), \"slow\": \(Int(p["slow"]!))}, \"sharpe\": \(top[jobs]!.ranked[0].metrics.sharpeRatio)}")
    }
    if cores > 1 {
        let efficiency = best[1]! / (Double(cores) * best[cores]!)
        print("{\"framework\": \"gpt-trader\", \"task\": \"optimize-parallel-efficiency\", \"bars\": \(series.count), \"workers\": \(cores), \"efficiency\": \(efficiency)}")
    }
}

final class ResultBox: @unchecked Sendable { var value: OptimizationResult? }
