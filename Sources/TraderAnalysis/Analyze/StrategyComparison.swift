public import TraderCore
public import TraderEngine
public import TraderStrategies

/// One built-in strategy's backtest over the comparison window, and its score.
public struct StrategyScore: Sendable, Hashable {
    /// The strategy with the parameters it ran with (`sma-crossover(fast=10, slow=30)`).
    public let spec: StrategySpec
    /// 1 for the best score.
    public let rank: Int
    /// The composite score (see `ComparisonScoring`), higher is better.
    public let score: Double
    /// Return over the window, in percent.
    public let returnPct: Double
    /// Annualized Sharpe ratio (NaN when the equity never moved).
    public let sharpeRatio: Double
    /// Largest drawdown, negative percent.
    public let maxDrawdownPct: Double
    /// Closed trades.
    public let trades: Int
    /// Share of winning trades, percent (NaN without trades).
    public let winRatePct: Double
    /// The strategy's latest buy or sell signal in the window and its bar; nil when it never
    /// signalled. This is the strategy's current view: it holds until the next signal.
    public let lastSignal: Signal?
    public let lastSignalIndex: Int?
    /// Time of `lastSignalIndex`.
    public let lastSignalTime: Timestamp?
}

/// How a backtest becomes a score: a weighted sum of terms each clamped to [−1, 1], so no single
/// statistic can dominate and the scale of each is stated.
public struct ComparisonScoring: Sendable, Hashable {
    /// Weight of `clamp(sharpe / sharpeScale)`.
    public var sharpeWeight = 0.4, sharpeScale = 2.0
    /// Weight of `clamp(returnPct / returnScale)`.
    public var returnWeight = 0.3, returnScale = 20.0
    /// Weight of `clamp(maxDrawdownPct / drawdownScale)` (drawdowns are negative, so this term
    /// only subtracts).
    public var drawdownWeight = 0.2, drawdownScale = 20.0
    /// Weight of the trade-count term: 0 with at least `minTrades` trades, falling linearly to −1
    /// with none (a score from one lucky trade is not evidence).
    public var tradesWeight = 0.1, minTrades = 5

    /// The defaults.
    public init() {}

    /// The score of `metrics`; a NaN statistic contributes 0.
    public func score(_ m: PerformanceMetrics) -> Double {
        func term(_ x: Double, _ scale: Double) -> Double { x.isNaN ? 0 : min(1, max(-1, x / scale)) }
        let tradesTerm = m.tradeCount >= minTrades ? 0 : -Double(minTrades - m.tradeCount) / Double(minTrades)
        return sharpeWeight * term(m.sharpeRatio, sharpeScale) + returnWeight * term(m.returnPct, returnScale)
            + drawdownWeight * min(0, term(m.maxDrawdownPct, drawdownScale)) + tradesWeight * tradesTerm
    }

    /// Checks every field; the error names it.
    public func validate() throws(DomainError) {
        for (name, w) in [("sharpe-weight", sharpeWeight), ("return-weight", returnWeight), ("drawdown-weight", drawdownWeight), ("trades-weight", tradesWeight)] {
            guard w >= 0, w.isFinite else { throw .invalid(field: name, reason: "must be >= 0, got \(w)") }
        }
        for (name, x) in [("sharpe-scale", sharpeScale), ("return-scale", returnScale), ("drawdown-scale", drawdownScale)] {
            guard x > 0, x.isFinite else { throw .invalid(field: name, reason: "must be > 0, got \(x)") }
        }
        guard minTrades > 0 else { throw .invalid(field: "min-trades", reason: "must be > 0, got \(minTrades)") }
    }
}

/// The built-in strategies compared on the most recent bars.
public struct StrategyComparison: Sendable, Hashable {
    /// First and last bar of the window (the last is the analysed bar).
    public let startIndex: Int, endIndex: Int
    /// Times of those bars.
    public let start: Timestamp, end: Timestamp
    /// Every strategy, best first (ties by name).
    public let scores: [StrategyScore]

    /// Bars in the window.
    public var bars: Int { endIndex - startIndex + 1 }
    /// The best-scoring strategy.
    public var best: StrategyScore? { scores.first }

    /// Each catalog strategy with its default parameters (the ensemble with its default members).
    public static func catalogDefaults() throws(DomainError) -> [StrategySpec] {
        var specs: [StrategySpec] = []
        for name in StrategyCatalog.names {
            do { specs.append(try StrategySpec(name: name)) } catch {
                throw .invalid(field: "strategy", reason: error.description)
            }
        }
        return specs
    }

    /// Backtests each of `strategies` over the `bars` bars ending at `last` (fewer when the
    /// series is shorter) with `settings`, and ranks them by `scoring`.
    ///
    /// The window is a slice of its own, so each strategy starts flat with fresh indicators at
    /// its first bar, exactly as `gpt-trader backtest --start` would run it; all runs share one
    /// `SeriesProfile`.
    public static func compare(
        _ series: BarSeries, through last: Int, bars: Int, settings: ExecutionSettings,
        strategies: [StrategySpec], scoring: ComparisonScoring = ComparisonScoring()
    ) throws(DomainError) -> StrategyComparison {
        guard bars > 0 else { throw .invalid(field: "bars", reason: "must be > 0, got \(bars)") }
        guard last >= 0, last < series.count else { throw .invalid(field: "as-of", reason: "bar \(last) is outside the series") }
        let first = max(0, last - bars + 1)
        let window = series.slice(first..<(last + 1))
        let profile = SeriesProfile(window)
        var rows: [(spec: StrategySpec, metrics: PerformanceMetrics, score: Double, signal: (Signal, Int)?)] = []
        for spec in strategies {
            let metrics: PerformanceMetrics
            do {
                metrics = try Backtester.statistics(spec, on: window, settings: settings, profile: profile)
            } catch let e as DomainError {
                throw e
            } catch {
                throw .invalid(field: "strategy", reason: "\(spec.name): \(error)")
            }
            let signal = try lastSignal(spec, window).map { ($0.signal, first + $0.bar) }
            rows.append((spec, metrics, scoring.score(metrics), signal))
        }
        rows.sort { a, b in a.score != b.score ? a.score > b.score : a.spec.name < b.spec.name }
        let scores = rows.enumerated().map { rank, row in
            StrategyScore(spec: row.spec, rank: rank + 1, score: row.score, returnPct: row.metrics.returnPct,
                          sharpeRatio: row.metrics.sharpeRatio, maxDrawdownPct: row.metrics.maxDrawdownPct,
                          trades: row.metrics.tradeCount, winRatePct: row.metrics.winRatePct,
                          lastSignal: row.signal?.0, lastSignalIndex: row.signal?.1,
                          lastSignalTime: row.signal.map { Timestamp(nanos: series.timestamps[$0.1]) })
        }
        return StrategyComparison(startIndex: first, endIndex: last, start: Timestamp(nanos: series.timestamps[first]),
                                  end: Timestamp(nanos: series.timestamps[last]), scores: scores)
    }

    /// The last buy or sell the strategy emits over `window` (bar within the window).
    static func lastSignal(_ spec: StrategySpec, _ window: BarSeries) throws(DomainError) -> (signal: Signal, bar: Int)? {
        do {
            return try spec.accept(SignalReplay(series: window))
        } catch {
            throw .invalid(field: "strategy", reason: "\(spec.name): \(error)")
        }
    }
}

/// Feeds a strategy the bars of a series, as the kernel does, and keeps its latest non-hold
/// signal. The built-in strategies decide from the bars alone, so a fresh context (flat) gives
/// the signals the backtest acted on.
struct SignalReplay: StrategyVisitor {
    let series: BarSeries

    func visit<S: Strategy>(_ strategy: S) throws -> (signal: Signal, bar: Int)? {
        var strategy = strategy
        var context = StrategyContext()
        var latest: (signal: Signal, bar: Int)?
        for i in 0..<series.count {
            let signal = strategy.onBar(series[i], context: &context)
            context.clearRequests()
            if signal != .hold { latest = (signal, i) }
        }
        return latest
    }
}
