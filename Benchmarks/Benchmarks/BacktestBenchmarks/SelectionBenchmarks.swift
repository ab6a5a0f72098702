import Benchmark
import TraderAnalysis
import TraderCore

/// ML strategy selection over ten years of daily bars (issue 4: training for the six strategies
/// under 2 s): regimes for the features, six backtests for the targets, twelve ridge fits.
func selectionBenchmarks() {

    Benchmark("ML selection training, 6 strategies, 2,520 daily bars",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], maxIterations: 20)) { benchmark in
        let selector = try StrategySelector()
        let bars = regimeUniverse[1]
        benchmark.startMeasurement()
        let regimes = try ThresholdRegimeClassifier.regimes(closes: bars.close)
        let model = try selector.train(series: bars, regimes: regimes)
        benchmark.stopMeasurement()
        blackHole(model.periodsUsed)
    }

    // Every walk-forward decision refits all twelve models on its own window: 106 fits of each.
    Benchmark("ML selection walk-forward, 6 strategies, 2,520 daily bars",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 20)) { benchmark in
        let selector = try StrategySelector()
        let bars = regimeUniverse[1]
        benchmark.startMeasurement()
        let run = try selector.walkForward(series: bars, regimes: try ThresholdRegimeClassifier.regimes(closes: bars.close))
        benchmark.stopMeasurement()
        blackHole(run.decisions.count)
    }
}
