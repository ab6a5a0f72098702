public import TraderCore
import TraderStrategies

/// Walk-forward analysis: optimize on a training window, trade the best parameters on the
/// following test window, move both forward by a step, repeat; the out-of-sample windows, stitched
/// together, show how the optimization would have done on data it had not seen.
public enum WalkForward {
    /// Window lengths in calendar days (bot_v2's defaults: train 60, test 30, step 30).
    public struct Windows: Hashable, Sendable {
        public let trainDays: Int
        public let testDays: Int
        public let stepDays: Int

        public init(trainDays: Int = 60, testDays: Int = 30, stepDays: Int = 30) throws(OptimizationError) {
            for (option, days) in [("train", trainDays), ("test", testDays), ("step", stepDays)] {
                if let reason = OptimizerLimits.walkForwardDays.violation(days) { throw .emptySpace(reason: "--\(option) \(reason)") }
            }
            self.trainDays = trainDays
            self.testDays = testDays
            self.stepDays = stepDays
        }
    }

    /// One train/test split, as bar index ranges of the input series.
    public struct Split: Hashable, Sendable {
        public let train: Range<Int>
        public let test: Range<Int>
    }

    /// One fold's outcome.
    public struct Fold: Sendable {
        public let split: Split
        /// The best set on the training window and its in-sample metrics; nil when nothing qualified.
        public let best: OptimizationEntry?
        /// Metrics of the best set traded on the test window; nil when nothing qualified.
        public let outOfSample: PerformanceMetrics?
        /// Equity over the test window's bars, starting from the initial capital.
        public let testEquity: [Double]
    }

    public struct Result: Sendable {
        public let folds: [Fold]
        /// Out-of-sample equity, fold after fold, each fold compounding from where the previous
        /// ended; with its bar timestamps.
        public let stitchedEquity: [Double]
        public let stitchedTimestamps: [Int64]
        /// True when the analysis was cancelled: `folds` holds the folds completed before it (a
        /// fold whose training search was cut short is dropped, not reported half-optimized).
        public var cancelled = false
        /// Total return of the stitched curve in percent.
        public var outOfSampleReturnPct: Double {
            guard let first = stitchedEquity.first, let last = stitchedEquity.last, first != 0 else { return .nan }
            return (last - first) / first * 100
        }
    }

    /// The splits of `series`: training windows start at the first bar and move by `stepDays`;
    /// each test window starts where its training window ends. A split needs at least two training
    /// bars and one test bar; the last test window may be cut short by the end of the data.
    public static func splits(of series: BarSeries, windows: Windows) -> [Split] {
        guard let first = series.timestamps.first, let last = series.timestamps.last else { return [] }
        let day = Timestamp.nanosPerDay
        var out: [Split] = []
        var k: Int64 = 0
        while true {
            let trainStart = first + k * Int64(windows.stepDays) * day
            let trainEnd = trainStart + Int64(windows.trainDays) * day
            let testEnd = trainEnd + Int64(windows.testDays) * day
            if trainEnd > last { break }
            let a = series.lowerBound(trainStart), b = series.lowerBound(trainEnd), c = series.lowerBound(testEnd)
            if b - a >= 2 && c > b { out.append(Split(train: a..<b, test: b..<c)) }
            k += 1
        }
        return out
    }

    /// Why `splits` found no fold, in terms the user can act on: the data may be too short for
    /// one training window, or long enough while the windows hold too few bars (a 1-day training
    /// window over daily bars holds one bar; a fold needs two, and a test bar after them).
    static func whyNoSplits(_ series: BarSeries, _ windows: Windows) -> String {
        guard let first = series.timestamps.first, let last = series.timestamps.last else { return "there are no bars" }
        let spanDays = Double(last - first) / Double(Timestamp.nanosPerDay)
        let span = spanDays >= 10 ? String(Int(spanDays)) : String(Double(Int(spanDays * 10)) / 10)
        if spanDays < Double(windows.trainDays) {
            return "the data spans \(span) days (\(series.count) bars), shorter than one training window of \(windows.trainDays) days"
        }
        return "no fold has two training bars and a test bar after them: the data spans \(span) days, but a \(windows.trainDays)-day "
            + "training window and a \(windows.testDays)-day test window of \(series.timeframe) bars hold too few bars (lengthen --train or --test)"
    }

    /// Runs the analysis: for every split, `Optimizer.run` on the training bars, then the best set
    /// on the test bars (indicators warmed up on the bars before the test window, trading from its
    /// first bar, positions closed at its last bar). With a `sizer`, training and test runs size
    /// their entries with fresh copies of it.
    public static func run(
        strategy name: String, sets: [[String: Double]], on series: BarSeries, settings: ExecutionSettings,
        sizer: (any PositionSizer)? = nil, objective: Objective, windows: Windows, jobs: Int,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> Result {
        let splits = splits(of: series, windows: windows)
        guard !splits.isEmpty else { throw OptimizationError.emptySpace(reason: whyNoSplits(series, windows)) }
        var folds: [Fold] = []
        var stitched: [Double] = []
        var stitchedTimes: [Int64] = []
        for (f, split) in splits.enumerated() {
            if Task.isCancelled { break }
            let train = series.slice(split.train)
            let search = await Optimizer.run(strategy: name, sets: sets, on: train, settings: settings, sizer: sizer, objective: objective,
                                             top: 1, jobs: jobs)
            if search.cancelled { break }
            progress?(f + 1, splits.count)
            guard let best = search.ranked.first else {
                // Nothing qualified: stay flat through the test window.
                let flat = [Double](repeating: settings.initialCapital, count: split.test.count)
                folds.append(Fold(split: split, best: nil, outOfSample: nil, testEquity: flat))
                append(flat, times: series.timestamps.extracting(split.test), to: &stitched, &stitchedTimes, capital: settings.initialCapital)
                continue
            }
            let spec = try StrategySpec(name: name, overrides: best.parameters)
            let warmup = try spec.makeStrategy().warmupBars
            let start = max(0, split.test.lowerBound - warmup)
            var testSettings = settings
            testSettings.tradingStartBar = split.test.lowerBound - start
            // A window's open position must count in its statistics: close it at the window's
            // last close unless the run asked for another end-of-run exit.
            if testSettings.endOfRunExit == .none { testSettings.endOfRunExit = .atLastClose }
            let run = try Backtester.run(spec, on: series.slice(start..<split.test.upperBound), settings: testSettings, sizer: sizer)
            let offset = testSettings.tradingStartBar
            let equity = Array(run.equity[offset...])
            let trades = run.trades.map { t -> Trade in
                var s = t
                s.entryBar -= offset
                s.exitBar -= offset
                return s
            }
            let testBars = series.slice(split.test)
            let metrics = MetricsCalculator.compute(equity: equity, trades: trades, series: testBars, firstTradingBar: 0)
            folds.append(Fold(split: split, best: best, outOfSample: metrics, testEquity: equity))
            append(equity, times: testBars.timestamps, to: &stitched, &stitchedTimes, capital: settings.initialCapital)
        }
        var result = Result(folds: folds, stitchedEquity: stitched, stitchedTimestamps: stitchedTimes)
        result.cancelled = folds.count < splits.count
        return result
    }

    /// Appends a fold's test equity, scaled to continue from the stitched curve's last value, and
    /// skipping bars already covered when test windows overlap (step < test).
    static func append(_ equity: [Double], times: BarColumn<Int64>, to stitched: inout [Double], _ stitchedTimes: inout [Int64], capital: Double) {
        let scale = (stitched.last ?? capital) / capital
        let lastTime = stitchedTimes.last ?? Int64.min
        for (e, t) in zip(equity, times) where t > lastTime {
            stitched.append(e * scale)
            stitchedTimes.append(t)
        }
    }
}
