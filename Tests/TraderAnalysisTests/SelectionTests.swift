import Foundation
import Testing
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies
@testable import TraderAnalysis

@Suite struct SelectionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func goog() throws -> BarSeries {
        try CSVBarReader.read(path: root.appendingPathComponent("data/sample/GOOG.csv").path, symbol: "GOOG")
    }

    /// One feature: the closed form is w = Σ z (y − ȳ) / (Σ z² + λ) on z = (x − x̄) / σ (population σ).
    @Test func ridgeMatchesTheOneDimensionalClosedForm() throws {
        let x: [Double] = [1, 2, 3, 4, 7], y: [Double] = [2, 4.5, 6, 8.5, 13]
        let lambda = 0.7
        let model = try RidgeRegression(rows: x.map { [$0] }, targets: y, lambda: lambda)
        let xm = x.reduce(0, +) / 5, ym = y.reduce(0, +) / 5
        let sigma = (x.map { ($0 - xm) * ($0 - xm) }.reduce(0, +) / 5).squareRoot()
        let z = x.map { ($0 - xm) / sigma }
        let w = zip(z, y).map { $0 * ($1 - ym) }.reduce(0, +) / (z.map { $0 * $0 }.reduce(0, +) + lambda)
        #expect(abs(model.weights[0] - w) < 1e-12)
        #expect(abs(model.intercept - ym) < 1e-12)
        #expect(abs(model.predict([5]) - (ym + w * (5 - xm) / sigma)) < 1e-12)
    }

    /// Two features: the 2×2 normal equations (ZᵀZ + λI) w = Zᵀ(y − ȳ) solved by Cramer's rule.
    @Test func ridgeMatchesTheTwoDimensionalNormalEquations() throws {
        let rows: [[Double]] = [[1, 5], [2, 3], [3, 4], [4, 1], [5, 2], [6, 0.5]]
        let y: [Double] = [3, 4, 6, 9, 9.5, 12]
        let lambda = 0.3
        let model = try RidgeRegression(rows: rows, targets: y, lambda: lambda)
        let n = Double(rows.count)
        func column(_ j: Int) -> [Double] {
            let c = rows.map { $0[j] }
            let m = c.reduce(0, +) / n
            let s = (c.map { ($0 - m) * ($0 - m) }.reduce(0, +) / n).squareRoot()
            return c.map { ($0 - m) / s }
        }
        let z0 = column(0), z1 = column(1)
        let ym = y.reduce(0, +) / n
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map(*).reduce(0, +) }
        let yc = y.map { $0 - ym }
        let a = dot(z0, z0) + lambda, b = dot(z0, z1), d = dot(z1, z1) + lambda
        let r0 = dot(z0, yc), r1 = dot(z1, yc)
        let det = a * d - b * b
        #expect(abs(model.weights[0] - (r0 * d - b * r1) / det) < 1e-10)
        #expect(abs(model.weights[1] - (a * r1 - b * r0) / det) < 1e-10)
    }

    @Test func ridgeWithATinyPenaltyRecoversAnExactLinearLaw() throws {
        var random = SeededRandom(seed: 3)
        let rows = (0..<40).map { _ in [random.nextUniform() * 10, random.nextUniform() * 2 - 1, 4.0] }  // third column constant
        let y = rows.map { 3 + 2 * $0[0] - 5 * $0[1] }
        let model = try RidgeRegression(rows: rows, targets: y, lambda: 1e-9)
        #expect(model.weights[2] == 0)
        for x in [[1.0, 0.5, 4], [7, -0.2, 4]] { #expect(abs(model.predict(x) - (3 + 2 * x[0] - 5 * x[1])) < 1e-6) }
        #expect(throws: DomainError.self) { try RidgeRegression(rows: [[1], [2]], targets: [1], lambda: 1) }
        #expect(throws: DomainError.self) { try RidgeRegression(rows: [[1], [2]], targets: [1, 2], lambda: 0) }
    }

    @Test func featuresUseOnlyPastBars() throws {
        let bars = try Self.goog()
        let regimes = try ThresholdRegimeClassifier.regimes(closes: bars.close)
        let full = try SelectionFeatures(series: bars, regimes: regimes)
        let cut = 700
        let truncated = try SelectionFeatures(series: bars.slice(0..<cut), regimes: Array(regimes[0..<cut]))
        for i in 0..<cut { #expect(truncated.rows[i] == full.rows[i], "bar \(i)") }
        #expect(full.rows[SelectionFeatures.warmup - 1] == nil && full.rows[SelectionFeatures.warmup] != nil)
        let i = 500
        let row = try #require(full.rows[i])
        #expect(row.count == SelectionFeatures.names.count)
        #expect(abs(row[0] - (bars.close[i] / bars.close[i - 5] - 1)) < 1e-15)
        #expect(abs(row[2] - (bars.close[i] / bars.close[i - 63] - 1)) < 1e-15)
        #expect(row[7...].reduce(0, +) == (regimes[i] == nil ? 0 : 1))
    }

    @Test func walkForwardDecisionsDoNotSeeTheFuture() throws {
        let bars = try Self.goog()
        let selector = try StrategySelector()
        let regimes = try ThresholdRegimeClassifier.regimes(closes: bars.close)
        let full = try selector.walkForward(series: bars, regimes: regimes)
        let cut = 1500
        let early = try selector.walkForward(series: bars.slice(0..<cut), regimes: try ThresholdRegimeClassifier.regimes(closes: Array(bars.close[0..<cut])))
        #expect(early.decisions.count > 20)
        for d in early.decisions {
            let same = try #require(full.decisions.first { $0.bars.lowerBound == d.bars.lowerBound })
            #expect(same.ranking == d.ranking, "period starting at bar \(d.bars.lowerBound)")
        }
        #expect(full.hitRate >= 0 && full.hitRate <= 1)
        #expect(full.decisions.count == selector.periods(barCount: bars.count).count - selector.configuration.minimumTrainingPeriods)
    }

    @Test func rankingConfidenceIsAProbability() throws {
        let bars = try Self.goog()
        let selector = try StrategySelector()
        let model = try selector.train(series: bars, regimes: try ThresholdRegimeClassifier.regimes(closes: bars.close))
        #expect(model.periodsUsed == selector.configuration.trainingPeriods)
        let features = try SelectionFeatures(series: bars, regimes: try ThresholdRegimeClassifier.regimes(closes: bars.close))
        let ranking = model.rank(features: features.rows.last!!)
        #expect(ranking.count == 6)
        #expect(zip(ranking, ranking.dropFirst()).allSatisfy { $0.predictedSharpe >= $1.predictedSharpe })
        #expect(ranking.allSatisfy { $0.confidence >= 0 && $0.confidence <= 1 })
        #expect(ranking[0].confidence >= 0.5)
        // A saved model reads back equal and ranks the same.
        let data = try JSONEncoder().encode(model)
        let loaded = try JSONDecoder().decode(SelectionModel.self, from: data)
        try loaded.validate()
        #expect(loaded == model && loaded.rank(features: features.rows.last!!) == ranking)
    }

    /// Choosing the same strategy from the first bar trades exactly as that strategy alone.
    @Test func autoWithOneChoiceEqualsThatStrategy() throws {
        let bars = try Self.goog()
        var settings = ExecutionSettings()
        settings.commission = try CommissionModel(rate: 0.002)
        let auto = try AutoStrategy(candidates: ["sma-crossover", "momentum"], schedule: [(0, "sma-crossover")])
        let a = try Backtester.run(auto, name: "auto", on: bars, settings: settings)
        let b = try Backtester.run(try StrategySpec(name: "sma-crossover"), on: bars, settings: settings)
        #expect(a.trades.count == b.trades.count && a.metrics.equityFinal == b.metrics.equityFinal)
    }

    /// A switch with a position open closes it at the next bar's open.
    @Test func switchingStrategiesFlattensThePosition() throws {
        let bars = try Self.goog()
        let plain = try Backtester.run(try StrategySpec(name: "sma-crossover"), on: bars, settings: ExecutionSettings())
        let long = try #require(plain.trades.first { $0.exitBar - $0.entryBar > 10 })
        let switchBar = long.entryBar + 5
        let auto = try AutoStrategy(candidates: ["sma-crossover", "mean-reversion"], schedule: [(0, "sma-crossover"), (switchBar, "mean-reversion")])
        let run = try Backtester.run(auto, name: "auto", on: bars, settings: ExecutionSettings())
        let closed = try #require(run.trades.first { $0.entryBar == long.entryBar })
        #expect(closed.exitBar == switchBar + 1)
    }
}
