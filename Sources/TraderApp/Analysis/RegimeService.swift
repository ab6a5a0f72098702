public import TraderAnalysis
public import TraderCore

/// What a user asks `regime` for: the data, the reported date range and the methods.
public struct RegimeRequest: Sendable {
    public var source: DataSource
    /// First reported bar (bars before it still warm the classifier up and train the HMM).
    public var start: Timestamp?
    /// Last bar used; nothing after it is loaded.
    public var end: Timestamp?
    public var method: RegimeMethod
    /// The HMM fitter (states, seed, iterations).
    public var fitter: BaumWelch

    /// The valid range of the request's settings.
    public enum Limits {
        /// HMM states.
        public static let states = Bounds.integers(2, 8, unit: "states")
        /// Recent regime changes listed.
        public static let changes = Bounds.integers(0, 100_000, unit: "changes")
    }

    public init(source: DataSource, start: Timestamp? = nil, end: Timestamp? = nil, method: RegimeMethod = .both,
                fitter: BaumWelch = BaumWelch()) {
        self.source = source
        self.start = start
        self.end = end
        self.method = method
        self.fitter = fitter
    }
}

/// Runs regime analyses for the CLI, the API and workflows: loads the bars through the
/// `MarketDataLocator` (bar store, CSV, synthetic) and hands them to `RegimeAnalysis`.
public struct RegimeService: Sendable {
    public let data: MarketDataLocator

    public init(data: MarketDataLocator = MarketDataLocator()) { self.data = data }

    /// Loads every bar up to `request.end` — the history before `start` is the classifier's
    /// warm-up and the HMM's training data, never later bars — and analyses it. Invalid
    /// settings, unknown data and ranges without bars are usage errors naming what is wrong.
    public func analyze(_ request: RegimeRequest) throws(AppError) -> RegimeAnalysis {
        if let start = request.start, let end = request.end, end < start {
            throw .usage("--end (\(end)) is before --start (\(start))")
        }
        let bars = try data.load(request.source, start: nil, end: request.end)
        if let start = request.start, bars.lowerBound(start.nanos) == bars.count, let first = bars.first, let last = bars.last {
            throw .usage("no bars for \(bars.symbol) between \(start) and \(request.end?.description ?? "the end"); "
                + "the data covers \(first.timestamp) … \(last.timestamp)")
        }
        do {
            return try RegimeAnalysis(series: bars, from: request.start, method: request.method, fitter: request.fitter)
        } catch {
            throw .usage(Self.message(error, symbol: bars.symbol))
        }
    }

    /// A domain error as one line, with the option a user would change where there is one.
    static func message(_ error: DomainError, symbol: String) -> String {
        switch error {
        case let .invalid(field, reason):
            switch field {
            case "states": "--states: \(reason)"
            case "bars": "\(symbol): \(reason)"
            default: "\(field): \(reason)"
            }
        }
    }
}
