public import TraderAnalysis
public import TraderCore

/// What a user asks `analyze` for: the data, an optional bar to analyse as of, and the rules'
/// parameters.
public struct AnalysisRequest: Sendable {
    public var source: DataSource
    /// Inclusive date range of the bars loaded.
    public var start: Timestamp?
    public var end: Timestamp?
    /// Analyse as of the last bar at or before this time (default: the last bar loaded).
    public var asOf: Timestamp?
    public var parameters: AnalysisParameters

    public init(source: DataSource, start: Timestamp? = nil, end: Timestamp? = nil, asOf: Timestamp? = nil,
                parameters: AnalysisParameters = AnalysisParameters()) {
        self.source = source
        self.start = start
        self.end = end
        self.asOf = asOf
        self.parameters = parameters
    }
}

/// Runs `analyze` for the CLI, the API and workflows: loads the bars through the same
/// `MarketDataLocator` as backtests (bar store, CSV files, synthetic), picks the analysed bar and
/// runs `MarketAnalyzer`. Nothing else is touched.
public struct AnalysisService: Sendable {
    public let data: MarketDataLocator

    public init(data: MarketDataLocator = MarketDataLocator()) { self.data = data }

    /// Loads the bars of `request`.
    public func loadBars(for request: AnalysisRequest) throws(AppError) -> BarSeries {
        try data.load(request.source, start: request.start, end: request.end)
    }

    /// Analyses already loaded `bars`; a bad `asOf` or parameter is a usage error naming it.
    public func analyze(_ request: AnalysisRequest, bars: BarSeries) throws(AppError) -> MarketAnalysis {
        var index: Int?
        if let asOf = request.asOf {
            guard let i = MarketAnalyzer.index(asOf: asOf, in: bars) else {
                let first = bars.first.map { $0.timestamp.description } ?? "none"
                throw .usage("--as-of: no bar of \(bars.symbol) on or before \(Self.day(asOf)); its bars start \(first)")
            }
            index = i
        }
        do {
            return try MarketAnalyzer.analyze(bars, asOf: index, parameters: request.parameters)
        } catch {
            throw .usage(error.description)
        }
    }

    /// A time as the user typed it: the day alone for the end of a day (a bare `--as-of` date
    /// means the whole day).
    static func day(_ t: Timestamp) -> String {
        (t.nanos + 1) % Timestamp.nanosPerDay == 0 ? Timestamp(nanos: t.nanos + 1 - Timestamp.nanosPerDay).description : t.description
    }

    /// Loads and analyses in one call.
    public func analyze(_ request: AnalysisRequest) throws(AppError) -> MarketAnalysis {
        try analyze(request, bars: try loadBars(for: request))
    }
}
