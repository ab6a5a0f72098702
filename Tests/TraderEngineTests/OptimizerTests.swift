import Foundation
import Testing
import TraderCore
import TraderData
import TraderStrategies
@testable import TraderEngine

@Suite struct ParameterSpaceTests {
    @Test func parsesRangesListsAndSingles() throws {
        #expect(try ParameterRange(parsing: "fast=5:50:5").values == [5, 10, 15, 20, 25, 30, 35, 40, 45, 50])
        #expect(try ParameterRange(parsing: "slow = 20:200:20").values.count == 10)
        #expect(try ParameterRange(parsing: "t=0.1:0.3:0.1").values == [0.1, 0.2, 0.30000000000000004])
        #expect(try ParameterRange(parsing: "lookback=5,10,30").values == [5, 10, 30])
        #expect(try ParameterRange(parsing: "bps=7").values == [7])
    }

    @Test func malformedRangesAreRefused() {
        for bad in ["fast", "fast=", "=5:10:1", "fast=5:10", "fast=10:5:1", "fast=5:10:0", "fast=a:b:c", "fast=1,x"] {
            #expect(throws: OptimizationError.self, "\(bad)") { try ParameterRange(parsing: bad) }
        }
    }

    @Test func constraintsParseAndFilter() throws {
        let c = try ParameterConstraint(parsing: "fast < slow")
        #expect(c.isSatisfied(by: ["fast": 5, "slow": 20]))
        #expect(!c.isSatisfied(by: ["fast": 20, "slow": 20]))
        #expect(try ParameterConstraint(parsing: "lookback>=10").isSatisfied(by: ["lookback": 10]))
        #expect(try ParameterConstraint(parsing: "a!=b").isSatisfied(by: ["a": 1, "b": 2]))
        #expect(throws: OptimizationError.self) { try ParameterConstraint(parsing: "fast slow") }
        #expect(throws: OptimizationError.self) { try ParameterConstraint(parsing: "<slow") }
    }

    @Test func theIssuesGoogGridHas90Sets() throws {
        // The grid of the optimization issue: fast 5..50 step 5, slow 20..200 step 20, fast < slow,
        // stated there as 90 combinations.
        let space = try ParameterSpace(
            ranges: [try ParameterRange(parsing: "fast=5:50:5"), try ParameterRange(parsing: "slow=20:200:20")],
            constraints: [try ParameterConstraint(parsing: "fast<slow")], known: ["fast", "slow"])
        let grid = try space.grid()
        #expect(grid.count == 90)
        #expect(grid.allSatisfy { $0["fast"]! < $0["slow"]! })
        #expect(Set(grid.map { [$0["fast"]!, $0["slow"]!] }).count == 90)
    }

    @Test func unknownParametersAndEmptySpacesAreRefused() throws {
        #expect(throws: OptimizationError.unknownParameter("lookback", known: ["fast", "slow"])) {
            try ParameterSpace(ranges: [try ParameterRange(parsing: "lookback=1:3:1")], known: ["fast", "slow"])
        }
        let space = try ParameterSpace(ranges: [try ParameterRange(parsing: "fast=30:40:5"), try ParameterRange(parsing: "slow=10:20:5")],
                                       constraints: [try ParameterConstraint(parsing: "fast<slow")], known: ["fast", "slow"])
        #expect(throws: OptimizationError.self) { try space.grid() }
    }

    @Test func randomSamplesAreReproducibleAndDistinct() throws {
        let space = try ParameterSpace(
            ranges: [try ParameterRange(parsing: "fast=2:60:1"), try ParameterRange(parsing: "slow=10:300:5")],
            constraints: [try ParameterConstraint(parsing: "fast<slow")], known: ["fast", "slow"])
        let a = try space.sample(50, seed: 7), b = try space.sample(50, seed: 7), c = try space.sample(50, seed: 8)
        #expect(a.count == 50)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a.map { [$0["fast"]!, $0["slow"]!] }).count == 50)
        #expect(a.allSatisfy { $0["fast"]! < $0["slow"]! })
    }
}

@Suite struct OptimizerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func goog() throws -> BarSeries { try CSVBarReader.read(path: root.appendingPathComponent("data/sample/GOOG.csv").path) }

    func settings() -> ExecutionSettings {
        var s = ExecutionSettings()
        s.commission = try! CommissionModel(rate: 0.002)
        return s
    }

    @Test func entriesEqualSingleBacktestsAndAreRanked() async throws {
        let bars = try Self.goog()
        let space = try ParameterSpace(
            ranges: [try ParameterRange(parsing: "fast=5:50:5"), try ParameterRange(parsing: "slow=20:200:20")],
            constraints: [try ParameterConstraint(parsing: "fast<slow")], known: ["fast", "slow"])
        let sets = try space.grid()
        let result = await Optimizer.run(strategy: "sma-crossover", sets: sets, on: bars, settings: settings(),
                                         objective: Objective(metric: .sharpe), top: 5, jobs: 2)
        #expect(result.evaluated == 90 && result.invalid == 0 && !result.cancelled)
        #expect(result.ranked.count == 5)
        #expect(zip(result.ranked, result.ranked.dropFirst()).allSatisfy { $0.score >= $1.score })
        for e in result.ranked {
            let single = try Backtester.run(try StrategySpec(name: "sma-crossover", overrides: e.parameters), on: bars, settings: settings())
            #expect(single.metrics == e.metrics)
            #expect(e.score == single.metrics.sharpeRatio)
        }
        // The winner really is the best of all 90 single runs.
        var best = -Double.infinity
        for set in sets {
            let m = try Backtester.run(try StrategySpec(name: "sma-crossover", overrides: set), on: bars, settings: settings()).metrics
            if m.tradeCount >= 1, !m.sharpeRatio.isNaN { best = max(best, m.sharpeRatio) }
        }
        #expect(result.ranked[0].score == best)
    }

    @Test func parallelAndSequentialAgree() async throws {
        let bars = try Self.goog()
        let space = try ParameterSpace(ranges: [try ParameterRange(parsing: "lookback=5:60:5"), try ParameterRange(parsing: "threshold=0.01:0.05:0.01")],
                                       known: ["lookback", "threshold"])
        let sets = try space.grid()
        let one = await Optimizer.run(strategy: "momentum", sets: sets, on: bars, settings: settings(), objective: Objective(metric: .sqn), top: 10, jobs: 1)
        let four = await Optimizer.run(strategy: "momentum", sets: sets, on: bars, settings: settings(), objective: Objective(metric: .sqn), top: 10, jobs: 4)
        #expect(one.ranked.map(\.index) == four.ranked.map(\.index))
        #expect(one.ranked.map(\.score) == four.ranked.map(\.score))
        #expect(one.evaluated == four.evaluated && one.unqualified == four.unqualified)
    }

    @Test func invalidSetsAndTradeFilterAreCounted() async throws {
        let bars = try Self.goog()
        // No constraint given: sets with fast >= slow cannot be built and are counted as invalid.
        let sets: [[String: Double]] = [["fast": 10, "slow": 20], ["fast": 30, "slow": 20], ["fast": 20, "slow": 20]]
        let r = await Optimizer.run(strategy: "sma-crossover", sets: sets, on: bars, settings: settings(),
                                    objective: Objective(metric: .return, minimumTrades: 1000), top: 3, jobs: 2)
        #expect(r.invalid == 2 && r.evaluated == 1)
        #expect(r.unqualified == 1 && r.ranked.isEmpty)
    }

    @Test func minimizingDrawdownPrefersSmallerDrawdowns() async throws {
        let bars = try Self.goog()
        let sets: [[String: Double]] = [["fast": 5, "slow": 20], ["fast": 10, "slow": 60], ["fast": 20, "slow": 100]]
        let r = await Optimizer.run(strategy: "sma-crossover", sets: sets, on: bars, settings: settings(),
                                    objective: Objective(metric: .maxDrawdown), top: 3, jobs: 1)
        #expect(r.objective.maximize == false)
        let dds = r.ranked.map { -$0.metrics.maxDrawdownPct }
        #expect(dds == dds.sorted())
    }

    @Test func metricNamesParse() throws {
        #expect(try Objective.metric(named: "SQN") == .sqn)
        #expect(try Objective.metric(named: "profit-factor") == .profitFactor)
        #expect(throws: OptimizationError.self) { try Objective.metric(named: "alpha-beta") }
    }
}
