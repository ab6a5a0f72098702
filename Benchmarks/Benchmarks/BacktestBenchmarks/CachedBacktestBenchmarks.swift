import Benchmark
import Foundation
import TraderApp
import TraderCache
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies

/// Issue 6's "second time at least 2× faster": 20 symbols of ten years of daily bars, backtested
/// through `BacktestService.runBatch` in one process — with an empty cache (the CSV files are
/// parsed, every run computed and stored) and again with the cache warm (every result served
/// from L1). scripts/bench-cache measures the same through the CLI, across processes, via Redis.
func cachedBacktestBenchmarks() {
    let (locator, requests) = twentySymbols()

    Benchmark("20-symbol backtest, cold cache (parse, run, store)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 30)) { benchmark in
        for _ in benchmark.scaledIterations {
            let service = BacktestService(data: locator, cache: AppCache(tiered: TieredCache()))
            blackHole(try await service.runBatch(requests, jobs: 2).count)
        }
    }

    Benchmark("20-symbol backtest, warm cache (served from L1)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 30)) { benchmark in
        let service = BacktestService(data: locator, cache: AppCache(tiered: TieredCache()))
        _ = try await service.runBatch(requests, jobs: 2)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await service.runBatch(requests, jobs: 2).count)
        }
        benchmark.stopMeasurement()
    }

    Benchmark("20-symbol backtest, no cache",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 30)) { benchmark in
        let service = BacktestService(data: locator)
        for _ in benchmark.scaledIterations {
            blackHole(try await service.runBatch(requests, jobs: 2).count)
        }
    }
}

/// Twenty CSV files of 2,520 seeded daily bars in a temporary folder, and a request for each.
private func twentySymbols() -> (MarketDataLocator, [BacktestRequest]) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-bench-20-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var settings = ExecutionSettings()
    settings.commission = try! CommissionModel(rate: 0.001)
    let spec = try! StrategySpec(name: "sma-crossover")
    let requests = (0..<20).map { i -> BacktestRequest in
        let path = "\(dir)/SYM\(i).csv"
        if !FileManager.default.fileExists(atPath: path) {
            try! CSVBarWriter.write(try! SyntheticBars.generate(symbol: "SYM\(i)", bars: 2_520, seed: UInt64(i + 1), timeframe: .day1), to: path)
        }
        return BacktestRequest(source: .file(path: path, symbol: "SYM\(i)"), strategy: spec, settings: settings)
    }
    return (MarketDataLocator(environment: [:], currentDirectory: dir, storeDirectory: dir + "/no-store"), requests)
}
