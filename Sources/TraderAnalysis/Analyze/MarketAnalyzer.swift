public import TraderCore
public import TraderEngine
public import TraderStrategies

/// Everything `analyze` can be told: the rules' parameters, the comparison window and the
/// execution settings of the comparison backtests.
public struct AnalysisParameters: Sendable, Hashable {
    /// Thresholds of the indicator readings.
    public var thresholds = ReadingThresholds()
    /// Support and resistance rules.
    public var levels = LevelParameters()
    /// Chart-pattern rules.
    public var patterns = PatternParameters()
    /// Recommendation weights and bands.
    public var weights = RecommendationWeights()
    /// Bars of the strategy comparison, ending at the analysed bar (about a year of daily bars).
    public var comparisonBars = 252
    /// Execution of the comparison backtests.
    public var settings = ExecutionSettings()
    /// How the comparison backtests are scored.
    public var scoring = ComparisonScoring()
    /// The strategies compared; nil for every catalog strategy with its defaults.
    public var strategies: [StrategySpec]?

    /// The defaults.
    public init() {}

    /// Checks every part; the error names the field.
    public func validate() throws(DomainError) {
        try thresholds.validate()
        try levels.validate()
        try patterns.validate()
        try weights.validate()
        try scoring.validate()
        try settings.validate()
        try Bounds.window(minimum: 2).check(comparisonBars, field: "bars")
        if let strategies, strategies.isEmpty { throw .invalid(field: "strategies", reason: "needs at least one strategy") }
    }
}

/// The analysis of one series as of one bar.
public struct MarketAnalysis: Sendable {
    /// Symbol and bar spacing of the series.
    public let symbol: String
    public let timeframe: Timeframe
    /// The analysed bar; nothing after it was read.
    public let index: Int
    /// Indicator values and readings at the analysed bar.
    public let snapshot: IndicatorSnapshot
    /// The readings of `snapshot` under the analysis thresholds.
    public let readings: [IndicatorReading]
    /// Support and resistance as of the analysed bar.
    public let levels: SupportResistance
    /// Chart patterns ending in the pattern lookback.
    public let patterns: [ChartPattern]
    /// The built-in strategies ranked on the most recent bars.
    public let comparison: StrategyComparison
    /// The recommendation and its components.
    public let recommendation: Recommendation

    /// Time of the analysed bar.
    public var timestamp: Timestamp { snapshot.timestamp }
    /// Bars the analysis could read (`index + 1`).
    public var barsUsed: Int { index + 1 }
}

/// Runs every part of the analysis as of one bar.
public enum MarketAnalyzer {
    /// The analysis of `series` as of bar `index` (default: the last bar).
    ///
    /// Every part reads bars `0...index` only, so the result equals the analysis of the series
    /// truncated after `index`: a backtest or a walk-forward study can call this at each bar
    /// without lookahead.
    public static func analyze(
        _ series: BarSeries, asOf index: Int? = nil, parameters: AnalysisParameters = AnalysisParameters()
    ) throws(DomainError) -> MarketAnalysis {
        try parameters.validate()
        guard !series.isEmpty else { throw .invalid(field: "bars", reason: "no bars to analyse") }
        let last = index ?? series.count - 1
        guard last >= 0, last < series.count else {
            throw .invalid(field: "as-of", reason: "bar \(last) is outside the series (0..<\(series.count))")
        }
        let snapshot = try IndicatorSnapshot(series: series, through: last)
        let levels = try PriceLevels.find(in: series, through: last, atr: snapshot.atr14, parameters: parameters.levels)
        let patterns = try PatternDetector(parameters: parameters.patterns).detect(in: series, through: last)
        var strategies = parameters.strategies ?? []
        if parameters.strategies == nil { strategies = try StrategyComparison.catalogDefaults() }
        let comparison = try StrategyComparison.compare(series, through: last, bars: parameters.comparisonBars,
                                                        settings: parameters.settings, strategies: strategies,
                                                        scoring: parameters.scoring)
        let recommendation = RecommendationModel.recommend(snapshot: snapshot, patterns: patterns, comparison: comparison,
                                                           through: last, thresholds: parameters.thresholds,
                                                           weights: parameters.weights)
        return MarketAnalysis(symbol: series.symbol, timeframe: series.timeframe, index: last, snapshot: snapshot,
                              readings: snapshot.readings(parameters.thresholds), levels: levels, patterns: patterns,
                              comparison: comparison, recommendation: recommendation)
    }

    /// The last bar at or before `time`, or nil when `time` is before the first bar.
    public static func index(asOf time: Timestamp, in series: BarSeries) -> Int? {
        let i = series.upperBound(time.nanos) - 1
        return i >= 0 ? i : nil
    }
}
