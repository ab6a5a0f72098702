import Benchmark
import Foundation
import TraderAnalysis
import TraderCore
import TraderData

/// Ten years of daily bars (2,520) for 500 symbols, generated once and shared read-only by the
/// regime benchmarks (each symbol from its own seeded stream).
nonisolated(unsafe) let regimeUniverse: [BarSeries] = try! SyntheticBars.generate(
    symbols: (0..<500).map { "SYM\($0)" }, bars: 2_520, seed: 42)

/// The daily log returns of the first symbol, the HMM's input.
nonisolated(unsafe) let regimeReturns: [Double] = HMMRegimes.logReturns(regimeUniverse[0].close.array)

/// Regime detection over the 500-symbol universe and the HMM fit on one symbol (issue 4: under
/// 1 s for the universe).
func regimeBenchmarks() {
    // The universe is read inside the closures: benchmarks run one per process, and registering
    // must not make every other benchmark's process generate (and hold) these 60 MB of bars.
    let cores = ProcessInfo.processInfo.activeProcessorCount

    Benchmark("Regime detection, 500 symbols × 2,520 daily bars",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], maxDuration: .seconds(10), maxIterations: 30)) { benchmark in
        let universe = regimeUniverse
        benchmark.startMeasurement()
        let regimes = try await RegimeScan.regimes(universe, jobs: cores)
        benchmark.stopMeasurement()
        blackHole(regimes.count)
    }

    Benchmark("Regime detection, 500 symbols × 2,520 daily bars, one thread",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(10), maxIterations: 30)) { benchmark in
        let universe = regimeUniverse
        benchmark.startMeasurement()
        var classified = 0
        for series in universe { classified += try ThresholdRegimeClassifier.regimes(closes: series.close).count }
        benchmark.stopMeasurement()
        blackHole(classified)
    }

    Benchmark("HMM fit (3 states, 4 starts), 2,519 daily returns",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(10), maxIterations: 20)) { benchmark in
        let returns = regimeReturns
        benchmark.startMeasurement()
        let fit = try BaumWelch(states: 3).fit(returns)
        benchmark.stopMeasurement()
        blackHole(fit.logLikelihood)
    }
}
