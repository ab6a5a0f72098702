public import Foundation

/// An optimization run and its ranked results, as handed to a store.
public struct NewOptimization: Sendable, Equatable {
    /// Client-generated, for the same reason as `NewRun.id`.
    public var id: UUID
    public var createdAt: Int64
    public var strategy: String
    public var symbol: String
    /// The objective that ranked the results (e.g. `sharpeRatio`).
    public var objective: String
    /// The search's configuration as JSON text (parameter space, method, constraints).
    public var configuration: String
    /// Best first; `rank` is the position in this array, starting at 1.
    public var results: [OptimizationResultRecord]

    public init(id: UUID = UUID(), createdAt: Int64, strategy: String, symbol: String, objective: String,
                configuration: String, results: [OptimizationResultRecord]) {
        self.id = id
        self.createdAt = createdAt
        self.strategy = strategy
        self.symbol = symbol
        self.objective = objective
        self.configuration = configuration
        self.results = results
    }
}

/// One parameter set of an optimization with its score and statistics.
public struct OptimizationResultRecord: Sendable, Equatable {
    /// Parameter name to value, e.g. `["fast": 10, "slow": 30]`.
    public var parameters: [String: Double]
    public var score: Double
    public var metrics: [String: Double]

    public init(parameters: [String: Double], score: Double, metrics: [String: Double]) {
        self.parameters = parameters
        self.score = score
        self.metrics = metrics
    }
}

/// An optimization read back: the same fields as written, results in rank order.
public typealias StoredOptimization = NewOptimization

/// One line of `runs list` for an optimization: its header without the results.
public struct StoredOptimizationSummary: Sendable, Equatable {
    public var id: UUID
    public var createdAt: Int64
    public var strategy: String
    public var symbol: String
    public var objective: String
    public var resultCount: Int

    public init(id: UUID, createdAt: Int64, strategy: String, symbol: String, objective: String, resultCount: Int) {
        self.id = id
        self.createdAt = createdAt
        self.strategy = strategy
        self.symbol = symbol
        self.objective = objective
        self.resultCount = resultCount
    }
}
