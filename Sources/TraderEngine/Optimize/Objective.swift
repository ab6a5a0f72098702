/// What a search optimizes: one reported metric, maximized or minimized, over runs with at least
/// `minimumTrades` trades (a Sharpe ratio from two trades ranks nothing).
public struct Objective: Hashable, Sendable, CustomStringConvertible {
    /// The metrics a search can rank by, with the names used on the command line.
    public enum Metric: String, Sendable, CaseIterable {
        case sharpe, sortino, calmar, sqn
        case `return`, cagr
        case profitFactor = "profit-factor"
        case winRate = "win-rate"
        case expectancy
        case maxDrawdown = "max-drawdown"
        case equity
        case kelly
        case trades

        /// The metric's value in `m` (max-drawdown as a positive fraction of percent, so that
        /// minimizing it means less drawdown).
        public func value(_ m: PerformanceMetrics) -> Double {
            switch self {
            case .sharpe: m.sharpeRatio
            case .sortino: m.sortinoRatio
            case .calmar: m.calmarRatio
            case .sqn: m.sqn
            case .return: m.returnPct
            case .cagr: m.cagrPct
            case .profitFactor: m.profitFactor
            case .winRate: m.winRatePct
            case .expectancy: m.expectancyPct
            case .maxDrawdown: -m.maxDrawdownPct
            case .equity: m.equityFinal
            case .kelly: m.kellyCriterion
            case .trades: Double(m.tradeCount)
            }
        }

        /// Whether bigger is better by default (everything but drawdown).
        public var maximizedByDefault: Bool { self != .maxDrawdown }
    }

    public var metric: Metric
    public var maximize: Bool
    public var minimumTrades: Int

    public init(metric: Metric = .sharpe, maximize: Bool? = nil, minimumTrades: Int = 1) {
        self.metric = metric
        self.maximize = maximize ?? metric.maximizedByDefault
        self.minimumTrades = max(0, minimumTrades)
    }

    /// Parses a metric name (`sharpe`, `sqn`, `return`, `calmar`, `profit-factor`, ...).
    public static func metric(named name: String) throws(OptimizationError) -> Metric {
        guard let m = Metric(rawValue: name.lowercased()) else {
            throw .unknownMetric(name, known: Metric.allCases.map(\.rawValue))
        }
        return m
    }

    /// The score used for ranking: the metric, negated when minimizing; nil when the run does not
    /// qualify (too few trades, undefined metric).
    public func score(_ m: PerformanceMetrics) -> Double? {
        guard m.tradeCount >= minimumTrades else { return nil }
        let v = metric.value(m)
        guard !v.isNaN else { return nil }
        return maximize ? v : -v
    }

    public var description: String { "\(maximize ? "max" : "min") \(metric.rawValue) (≥ \(minimumTrades) trades)" }
}
