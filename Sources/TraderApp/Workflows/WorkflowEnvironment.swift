import Foundation
import TraderCore
import TraderData
import TraderWorkflows

/// What the slice actions of one workflow run share: where data comes from, the cache and the
/// run history when configured, and the bars already loaded in this run (so the steps after
/// `data.load` reuse its series instead of reading the file again).
public final class WorkflowEnvironment: Sendable {
    public let data: MarketDataLocator
    public let cache: AppCache?
    /// Backtests run by a workflow are saved here when set (as `gpt-trader backtest` saves them).
    public let history: RunHistory?
    let memo = BarMemo()

    public init(data: MarketDataLocator = MarketDataLocator(), cache: AppCache? = nil, history: RunHistory? = nil) {
        self.data = data
        self.cache = cache
        self.history = history
    }

    /// Which bars a step means: its `symbol` (or `data` file, or `synthetic` bar count with
    /// `seed` and `timeframe`), `start`, `end` and `last` (keep only the newest N bars), each from the step's
    /// parameters or else from the outputs of its dependencies (see `StepContext.value`).
    struct DataRequest: Hashable, Sendable {
        var source: DataSource
        var start: Timestamp? = nil
        var end: Timestamp? = nil
        var last: Int? = nil
    }

    func dataRequest(_ context: StepContext) throws -> DataRequest {
        let source: DataSource
        if let bars = try context.integer("synthetic", in: SyntheticBars.inMemoryBounds) {
            let seed = try context.integer("seed", in: .integers(0, Int.max)) ?? 42
            let timeframe: Timeframe
            do { timeframe = try Timeframe(parsing: try context.string("timeframe") ?? "1d") } catch {
                throw context.error("timeframe", "\(error)")
            }
            source = .synthetic(symbol: try context.string("symbol") ?? "SYNTH", bars: bars, seed: UInt64(seed), timeframe: timeframe)
        } else if let path = try context.string("data"), context.parameters["data"] != nil {
            source = .file(path: path, symbol: try context.string("symbol"))
        } else {
            source = .symbol(try context.string("symbol") ?? ActiveConfiguration.string("data.symbol"))
        }
        func date(_ key: String) throws -> Timestamp? {
            guard let text = try context.string(key) else { return nil }
            guard let t = DateInput.parse(text) else { throw context.error(key, "must be a date such as 2020-01-31, got '\(text)'") }
            return t
        }
        let last = try context.integer("last", in: .window())
        return DataRequest(source: source, start: try date("start"), end: try date("end"), last: last)
    }

    /// The bars of the step's data request, loaded once per run.
    func bars(_ context: StepContext) async throws -> BarSeries {
        try await bars(for: try dataRequest(context))
    }

    /// The bars of `request`, loaded once per run.
    func bars(for request: DataRequest) async throws -> BarSeries {
        try await memo.value(request) {
            var series = try self.data.load(request.source, start: request.start, end: request.end)
            if let last = request.last, series.count > last { series = series.slice((series.count - last)..<series.count) }
            return series
        }
    }

    /// The outputs every data-using step reports about its bars, so later steps can load the
    /// same ones: symbol, start, end, bars.
    static func describe(_ bars: BarSeries) -> [String: JSONValue] {
        [
            "symbol": .string(bars.symbol),
            "bars": .integer(bars.count),
            "start": bars.first.map { .string($0.timestamp.description) } ?? .null,
            "end": bars.last.map { .string($0.timestamp.description) } ?? .null,
            "timeframe": .string(bars.timeframe.description),
        ]
    }
}

/// Loaded series of one run, by request; concurrent steps asking for the same bars share one load.
actor BarMemo {
    private var loads: [WorkflowEnvironment.DataRequest: Task<BarSeries, any Error>] = [:]

    func value(_ key: WorkflowEnvironment.DataRequest, _ load: @escaping @Sendable () throws -> BarSeries) async throws -> BarSeries {
        if let task = loads[key] { return try await task.value }
        let task = Task { try load() }
        loads[key] = task
        return try await task.value
    }
}
