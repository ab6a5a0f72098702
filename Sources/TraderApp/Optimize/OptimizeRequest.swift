public import TraderEngine
public import TraderStrategies

/// A parameter search as a user asks for it, from any face (the CLI's flags, a workflow step, an
/// HTTP body): what `OptimizeService` plans, runs, reports and saves.
public struct OptimizeRequest: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case grid, random
        case walkForward = "walk-forward"
    }

    /// Walk-forward windows, in calendar days.
    public struct Windows: Sendable, Equatable {
        public var train: Int
        public var test: Int
        public var step: Int

        public init(train: Int = 60, test: Int = 30, step: Int = 30) {
            self.train = train
            self.test = test
            self.step = step
        }
    }

    public var strategy: String
    /// `name=start:stop:step` (inclusive), `name=a,b,c` or `name=value`, as given.
    public var ranges: [String]
    /// Rules every set must satisfy (`fast<slow`), as given.
    public var constraints: [String]
    public var method: Method
    /// Random search: sets to draw, and the seed (same seed, same sets).
    public var samples: Int
    public var seed: UInt64
    /// The metric to rank by (`Objective.Metric`), and its direction (nil: the metric's own).
    public var metric: String
    public var maximize: Bool?
    public var minimumTrades: Int
    /// How many of the best sets to keep.
    public var top: Int
    public var windows: Windows
    /// Where to write an SVG heat map of the metric over the two parameters (grid or random).
    public var heatmap: String?
    /// The data, execution settings and sizing every set's backtest uses (its strategy is the
    /// searched one with its default parameters).
    public var backtest: BacktestRequest

    public init(strategy: String, ranges: [String], constraints: [String] = [], method: Method = .grid, samples: Int = 100, seed: UInt64 = 42,
                metric: String = "sharpe", maximize: Bool? = nil, minimumTrades: Int = 1, top: Int = 10, windows: Windows = Windows(),
                heatmap: String? = nil, backtest: BacktestRequest) {
        self.strategy = strategy
        self.ranges = ranges
        self.constraints = constraints
        self.method = method
        self.samples = samples
        self.seed = seed
        self.metric = metric
        self.maximize = maximize
        self.minimumTrades = minimumTrades
        self.top = top
        self.windows = windows
        self.heatmap = heatmap
        self.backtest = backtest
    }
}

/// A search checked and laid out: the strategy, the objective, the parameter space and its sets.
public struct OptimizationPlan: Sendable {
    public let descriptor: StrategyDescriptor
    public let objective: Objective
    public let space: ParameterSpace
    public let sets: [[String: Double]]
    /// The sizing rule every set's run uses (a prototype: each run sizes with its own copy).
    public let sizer: (any PositionSizer)?

    /// The parameters searched, in the order given.
    public var names: [String] { space.ranges.map(\.name) }
}
