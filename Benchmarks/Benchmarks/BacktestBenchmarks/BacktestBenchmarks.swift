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

    Benchmark("Synthetic generation, 1M bars") { _ in
        blackHole(try SyntheticBars.generate(symbol: "GEN", bars: 1_000_000, seed: 7, timeframe: .minute1).count)
    }
}
