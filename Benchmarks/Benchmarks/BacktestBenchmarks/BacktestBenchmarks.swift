import Benchmark
import Foundation
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies

/// One million synthetic one-minute bars, generated once and shared by every benchmark (the
/// same read-only columns an optimizer's workers would share).
nonisolated(unsafe) let million: BarSeries = try! SyntheticBars.generate(
    symbol: "BENCH", bars: 1_000_000, seed: 42, timeframe: .minute1)

/// The same bars as CSV bytes, written once to a temporary file for the import benchmark.
nonisolated(unsafe) let millionCSVPath: String = {
    let path = NSTemporaryDirectory() + "gpt-trader-bench-1m.csv"
    if !FileManager.default.fileExists(atPath: path) { try! CSVBarWriter.write(million, to: path) }
    return path
}()

/// One year of one-minute bars (about 500,000: 365 days × 1,440 minutes would be 525,600; the
/// issue's figure is 500,000) in the binary bar store, written once to a temporary directory.
nonisolated(unsafe) let yearStorePath: String = {
    let dir = NSTemporaryDirectory() + "gpt-trader-bench-store"
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = BarStore(directory: dir).path(symbol: "YEAR", timeframe: .minute1)
    if !FileManager.default.fileExists(atPath: path) { try! BarStoreWriter.write(million.slice(0..<500_000), to: path, symbol: "YEAR") }
    return path
}()

/// glibc's `mallopt` (not exported by the Glibc module): M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3.
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// Makes malloc keep freed memory (large blocks from the heap, no trimming) or restores glibc's
/// defaults (128 KiB).
func keepFreedMemory(_ keep: Bool) {
    _ = mallopt(-3, keep ? 1 << 30 : 128 << 10)
    _ = mallopt(-1, keep ? 1 << 30 : 128 << 10)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, .throughput],
        maxDuration: .seconds(10), maxIterations: 50)

    // SMA crossover (10, 20), long-only, whole units, commission 0: kernel, accounting and the
    // full metrics report over 1,000,000 bars. Throughput here is runs/s; bars/s = runs/s × 1e6.
    Benchmark("Backtest SMA crossover 10/20, 1M bars, full metrics") { benchmark in
        let strategy = try SMACrossover(fast: 10, slow: 20)
        var settings = ExecutionSettings()
        settings.initialCapital = 10_000
        benchmark.startMeasurement()
        let result = try Backtester.run(strategy, name: "sma", on: million, settings: settings)
        benchmark.stopMeasurement()
        blackHole(result.metrics.equityFinal)
    }

    Benchmark("Metrics only, 1M-bar equity curve") { benchmark in
        let result = try Backtester.run(try SMACrossover(fast: 10, slow: 20), name: "sma", on: million, settings: ExecutionSettings())
        benchmark.startMeasurement()
        let m = MetricsCalculator.compute(equity: result.equity, trades: result.trades, series: million, firstTradingBar: 19)
        benchmark.stopMeasurement()
        blackHole(m.sharpeRatio)
    }

    Benchmark("CSV import, 1M bars") { benchmark in
        let path = millionCSVPath
        benchmark.startMeasurement()
        let series = try CSVBarReader.read(path: path, symbol: "BENCH")
        benchmark.stopMeasurement()
        blackHole(series.count)
    }

    // Open (mmap, header checks) and load every bar into a BarSeries: what a backtest by symbol
    // does when the symbol is in the store. Two figures: in a warm process (a server or a batch
    // that loads symbol after symbol: malloc keeps freed memory, so the 24 MB of columns land in
    // pages already mapped), and cold (every load gets fresh pages from the kernel, as the first
    // load of a one-shot CLI process does; in this VM that page-fault cost is most of the time).
    Benchmark("Bar store load, 500,000 one-minute bars, warm process",
              configuration: .init(setup: { keepFreedMemory(true) }, teardown: { keepFreedMemory(false) })) { benchmark in
        let path = yearStorePath
        benchmark.startMeasurement()
        let series = try BarStoreFile(path: path).load()
        benchmark.stopMeasurement()
        blackHole(series.count)
    }

    Benchmark("Bar store load, 500,000 one-minute bars, cold pages") { benchmark in
        let path = yearStorePath
        benchmark.startMeasurement()
        let series = try BarStoreFile(path: path).load()
        benchmark.stopMeasurement()
        blackHole(series.count)
    }

    // The 90-set GOOG grid of the optimization issue, two workers, shared series and profile.
    Benchmark("Optimize 90-set SMA grid over 1M bars, 2 workers",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(20), maxIterations: 5)) { benchmark in
        var sets: [[String: Double]] = []
        for f in stride(from: 5.0, through: 50, by: 5) { for s in stride(from: 20.0, through: 200, by: 20) where f < s { sets.append(["fast": f, "slow": s]) } }
        let all = sets
        benchmark.startMeasurement()
        let result = await Optimizer.run(strategy: "sma-crossover", sets: all, on: million, settings: ExecutionSettings(),
                                         objective: Objective(metric: .sharpe), top: 1, jobs: 2)
        benchmark.stopMeasurement()
        blackHole(result.evaluated)
    }

    Benchmark("Synthetic generation, 1M bars") { _ in
        blackHole(try SyntheticBars.generate(symbol: "GEN", bars: 1_000_000, seed: 7, timeframe: .minute1).count)
    }

    regimeBenchmarks()
    selectionBenchmarks()
    cacheBenchmarks()
    cachedBacktestBenchmarks()
}
