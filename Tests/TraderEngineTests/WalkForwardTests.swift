import Foundation
import Testing
import TraderCore
import TraderData
import TraderStrategies
@testable import TraderEngine

@Suite struct WalkForwardTests {
    static func goog() throws -> BarSeries {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try CSVBarReader.read(path: root.appendingPathComponent("data/sample/GOOG.csv").path)
    }

    @Test func foldsNeverOverlapTrainAndTest() throws {
        let bars = try Self.goog()
        let splits = WalkForward.splits(of: bars, windows: try .init(trainDays: 365, testDays: 90, stepDays: 90))
        #expect(splits.count > 20)
        for s in splits {
            #expect(s.train.upperBound == s.test.lowerBound)  // test starts right after train
            #expect(!s.train.overlaps(s.test))
            let trainSpan = bars.timestamps[s.train.upperBound - 1] - bars.timestamps[s.train.lowerBound]
            #expect(trainSpan < 365 * Timestamp.nanosPerDay)
            let testSpan = bars.timestamps[s.test.upperBound - 1] - bars.timestamps[s.test.lowerBound]
            #expect(testSpan < 90 * Timestamp.nanosPerDay)
        }
        // With step == test, test windows tile the data without overlap or gap.
        for (a, b) in zip(splits, splits.dropFirst()) { #expect(a.test.upperBound == b.test.lowerBound) }
    }

    @Test func bestSetsComeFromTheTrainingWindowAndTradesStayInTheTestWindow() async throws {
        let bars = try Self.goog()
        let space = try ParameterSpace(ranges: [try ParameterRange(parsing: "fast=5:20:5"), try ParameterRange(parsing: "slow=20:60:20")],
                                       constraints: [try ParameterConstraint(parsing: "fast<slow")], known: ["fast", "slow"])
        let sets = try space.grid()
        var settings = ExecutionSettings()
        settings.commission = try CommissionModel(rate: 0.001)
        let windows = try WalkForward.Windows(trainDays: 365, testDays: 180, stepDays: 180)
        let result = try await WalkForward.run(strategy: "sma-crossover", sets: sets, on: bars, settings: settings,
                                               objective: Objective(metric: .return), windows: windows, jobs: 2)
        #expect(result.folds.count == WalkForward.splits(of: bars, windows: windows).count)
        for fold in result.folds.prefix(3) {
            let direct = await Optimizer.run(strategy: "sma-crossover", sets: sets, on: bars.slice(fold.split.train),
                                             settings: settings, objective: Objective(metric: .return), top: 1, jobs: 1)
            #expect(fold.best?.parameters == direct.ranked.first?.parameters)
            #expect(fold.testEquity.count == fold.split.test.count)
            #expect(fold.testEquity.first == settings.initialCapital || fold.outOfSample.map { $0.tradeCount > 0 } == true)
        }
        let totalTestBars = result.folds.reduce(0) { $0 + $1.split.test.count }
        #expect(result.stitchedEquity.count == totalTestBars)
        #expect(result.stitchedTimestamps == result.stitchedTimestamps.sorted())
        #expect(result.outOfSampleReturnPct.isFinite)
    }

    @Test func tradingStartBarSuppressesEarlierSignals() throws {
        let bars = try Self.goog()
        var settings = ExecutionSettings()
        settings.tradingStartBar = 1000
        let r = try Backtester.run(try StrategySpec(name: "sma-crossover", overrides: ["fast": 10, "slow": 20]), on: bars, settings: settings)
        #expect(!r.trades.isEmpty)
        #expect(r.trades.allSatisfy { $0.entryBar > 1000 })
        #expect(r.equity[..<1001].allSatisfy { $0 == 10_000 })
    }

    @Test func windowsMustBePositiveAndFitTheData() async throws {
        #expect(throws: OptimizationError.self) { try WalkForward.Windows(trainDays: 0) }
        let short = try Self.goog().slice(0..<30)
        await #expect(throws: OptimizationError.self) {
            try await WalkForward.run(strategy: "sma-crossover", sets: [["fast": 5, "slow": 10]], on: short,
                                      settings: ExecutionSettings(), objective: Objective(), windows: try .init(), jobs: 1)
        }
    }
}
