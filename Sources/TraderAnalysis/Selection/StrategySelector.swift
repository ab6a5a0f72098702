public import TraderCore
public import TraderEngine
import TraderStrategies

/// How the selector trains: which strategies, how long a period is, how many past periods a
/// model learns from, and the ridge penalty.
public struct SelectorConfiguration: Sendable, Hashable, Codable {
    public var candidates: [String] = ["sma-crossover", "momentum", "mean-reversion", "volatility", "breakout", "scalp"]
    /// Bars per period: the selector decides once per period (21 ≈ a trading month of daily bars).
    public var periodBars = 21
    /// Past periods each model is fitted on (a rolling window).
    public var trainingPeriods = 36
    /// Periods needed before the first decision.
    public var minimumTrainingPeriods = 12
    public var lambda = 1.0

    public init() {}

    public func validate() throws(DomainError) {
        guard !candidates.isEmpty else { throw .invalid(field: "candidates", reason: "at least one strategy is needed") }
        for name in candidates {
            do { _ = try StrategySpec(name: name) } catch { throw .invalid(field: "candidates", reason: error.description) }
            guard name != "ensemble" else { throw .invalid(field: "candidates", reason: "the ensemble cannot be a candidate") }
        }
        try Limits.periodBars.check(periodBars, field: "selection-period")
        try Limits.trainingPeriods.check(minimumTrainingPeriods, field: "min-training-periods")
        try Limits.trainingPeriods.check(trainingPeriods, field: "training-periods")
        guard trainingPeriods >= minimumTrainingPeriods else {
            throw .invalid(field: "training-periods", reason: "must be at least the minimum (\(minimumTrainingPeriods)), got \(trainingPeriods)")
        }
        try Limits.lambda.check(lambda, field: "lambda")
    }

    /// The valid range of each selector setting (`select`, `backtest --strategy auto`, the
    /// `strategy.select` workflow action).
    public enum Limits {
        /// Bars per selection period (a period's product with the training periods stays far
        /// inside `Int`).
        public static let periodBars = Bounds.integers(2, 100_000, unit: "bars")
        /// Periods a model is fitted on, and periods needed before the first decision.
        public static let trainingPeriods = Bounds.integers(2, 10_000, unit: "periods")
        /// Ridge penalty.
        public static let lambda = Bounds(lower: 0, upper: 1e6, lowerOpen: true)
    }
}

/// One strategy's predicted next-period performance.
public struct SelectionScore: Sendable, Hashable, Codable {
    public let strategy: String
    public let predictedSharpe: Double
    public let predictedReturn: Double
    /// For the top strategy: the probability that it really beats the second, if the models'
    /// errors are Gaussian with their training residual spreads; for the others, the probability
    /// that each beats the top one. In [0, 1].
    public let confidence: Double
}

/// Machine-learned strategy selection (bot_v2's ML slice): per candidate strategy, two ridge
/// models map the features at the end of a period (`SelectionFeatures`) to the strategy's Sharpe
/// ratio and return over the next period; strategies are ranked by predicted Sharpe.
///
/// Training targets come from one continuous backtest per candidate over the whole series, cut
/// into periods: the outcome of period `p` is known once `p` has ended. A decision at the start of
/// period `k` uses only periods that ended before it and features of the bar before it, so the
/// walk-forward run has no lookahead (a test truncates the future and checks earlier decisions).
public struct StrategySelector: Sendable {
    public let configuration: SelectorConfiguration
    public let settings: ExecutionSettings

    public init(configuration: SelectorConfiguration = SelectorConfiguration(), settings: ExecutionSettings = ExecutionSettings()) throws(DomainError) {
        try configuration.validate()
        self.configuration = configuration
        self.settings = settings
    }

    /// Bar ranges of the periods: the first starts after the features' warm-up, each is
    /// `periodBars` long; the last may be cut short by the end of the data.
    public func periods(barCount n: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = SelectionFeatures.warmup + 1
        while start < n {
            out.append(start..<min(n, start + configuration.periodBars))
            start += configuration.periodBars
        }
        return out
    }

    /// Each candidate's realized Sharpe ratio and return over each period.
    func outcomes(series: BarSeries, periods: [Range<Int>], periodsPerYear: Double) throws -> [[(sharpe: Double, return: Double)]] {
        try configuration.candidates.map { name in
            let equity = try Backtester.run(try StrategySpec(name: name), on: series, settings: settings).equity
            return periods.map { p in
                let before = equity[p.lowerBound - 1], after = equity[p.upperBound - 1]
                var sum = 0.0, squares = 0.0
                for i in p {
                    let r = equity[i - 1] > 0 ? equity[i] / equity[i - 1] - 1 : 0
                    sum += r
                    squares += r * r
                }
                let m = Double(p.count), mean = sum / m
                let sd = p.count > 1 ? ((squares - sum * mean) / (m - 1)).squareRoot() : 0
                let sharpe = sd > 1e-12 ? mean / sd * periodsPerYear.squareRoot() : 0
                return (sharpe, before > 0 ? after / before - 1 : 0)
            }
        }
    }

    /// Fits every candidate's models on the given periods (features at the bar before each).
    func fit(features: SelectionFeatures, periods: [Range<Int>], outcomes: [[(sharpe: Double, return: Double)]],
             using indices: Range<Int>) throws(DomainError) -> [CandidateModel] {
        let rows = indices.map { features.rows[periods[$0].lowerBound - 1]! }
        var models: [CandidateModel] = []
        for (c, name) in configuration.candidates.enumerated() {
            let sharpe = try RidgeRegression(rows: rows, targets: indices.map { outcomes[c][$0].sharpe }, lambda: configuration.lambda)
            let ret = try RidgeRegression(rows: rows, targets: indices.map { outcomes[c][$0].return }, lambda: configuration.lambda)
            models.append(CandidateModel(strategy: name, sharpe: sharpe, return: ret))
        }
        return models
    }

    /// What training and the walk-forward both need from a series, computed once: the features,
    /// the periods, and each candidate's outcome per period (one backtest per candidate).
    public struct Prepared: Sendable {
        public let series: BarSeries
        public let features: SelectionFeatures
        let periods: [Range<Int>]
        let outcomes: [[(sharpe: Double, return: Double)]]
    }

    public func prepare(series: BarSeries, regimes: [Regime?], periodsPerYear: Double = 252) throws -> Prepared {
        let periods = periods(barCount: series.count)
        return Prepared(series: series, features: try SelectionFeatures(series: series, regimes: regimes, periodsPerYear: periodsPerYear),
                        periods: periods, outcomes: try outcomes(series: series, periods: periods, periodsPerYear: periodsPerYear))
    }

    /// The walk-forward run: a ranking at the start of every period with enough history before it.
    public func walkForward(series: BarSeries, regimes: [Regime?], periodsPerYear: Double = 252) throws -> SelectionRun {
        try walkForward(try prepare(series: series, regimes: regimes, periodsPerYear: periodsPerYear))
    }

    public func walkForward(_ p: Prepared) throws -> SelectionRun {
        var decisions: [SelectionDecision] = []
        for k in p.periods.indices where k >= configuration.minimumTrainingPeriods {
            let training = max(0, k - configuration.trainingPeriods)..<k
            let models = try fit(features: p.features, periods: p.periods, outcomes: p.outcomes, using: training)
            let ranking = SelectionModel.rank(models, features: p.features.rows[p.periods[k].lowerBound - 1]!)
            decisions.append(SelectionDecision(bars: p.periods[k], ranking: ranking,
                                               realized: Dictionary(uniqueKeysWithValues: configuration.candidates.enumerated().map {
                                                   ($1, p.outcomes[$0][k].sharpe) })))
        }
        return SelectionRun(decisions: decisions)
    }

    /// A model trained on the most recent complete periods, ready to rank strategies at the last
    /// bar (or to be saved and loaded later).
    public func train(series: BarSeries, regimes: [Regime?], periodsPerYear: Double = 252) throws -> SelectionModel {
        try train(try prepare(series: series, regimes: regimes, periodsPerYear: periodsPerYear))
    }

    public func train(_ p: Prepared) throws -> SelectionModel {
        // Only the last period can be cut short by the end of the data.
        let complete = p.periods.prefix { $0.count == configuration.periodBars }.count
        guard complete >= configuration.minimumTrainingPeriods else {
            throw DomainError.invalid(field: "data", reason: "\(p.series.count) bars give \(complete) complete periods of \(configuration.periodBars) bars; training needs \(configuration.minimumTrainingPeriods) (plus \(SelectionFeatures.warmup + 1) bars of warm-up)")
        }
        let used = max(0, complete - configuration.trainingPeriods)..<complete
        let models = try fit(features: p.features, periods: p.periods, outcomes: p.outcomes, using: used)
        return SelectionModel(configuration: configuration, featureNames: SelectionFeatures.names, candidates: models,
                              symbol: p.series.symbol, trainedThrough: Timestamp(nanos: p.series.timestamps[p.periods[used.upperBound - 1].upperBound - 1]),
                              periodsUsed: used.count)
    }
}

/// One walk-forward decision: the ranking at the start of a period, and what each strategy then
/// realized over it (for evaluation).
public struct SelectionDecision: Sendable {
    public let bars: Range<Int>
    public let ranking: [SelectionScore]
    public let realized: [String: Double]
    public var chosen: String { ranking[0].strategy }
}

/// The decisions of a walk-forward run, period after period.
public struct SelectionRun: Sendable {
    public let decisions: [SelectionDecision]

    /// The strategy to trade at each bar (nil before the first decision), for `AutoStrategy`.
    public var schedule: [(start: Int, strategy: String)] {
        decisions.map { ($0.bars.lowerBound, $0.chosen) }
    }

    /// Share of periods in which the chosen strategy realized the best Sharpe ratio.
    public var hitRate: Double {
        guard !decisions.isEmpty else { return .nan }
        let hits = decisions.filter { d in d.realized[d.chosen] == d.realized.values.max() }.count
        return Double(hits) / Double(decisions.count)
    }
}
