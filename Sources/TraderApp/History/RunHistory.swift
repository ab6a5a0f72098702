public import Foundation
public import TraderCore
public import TraderEngine
public import TraderStore

/// The run history of the app: saves backtests and optimizations into a `RunStore`, finds them
/// again by id or by the first characters of one, and turns a stored run back into the
/// `BacktestResult` the report is printed from, so `runs show` prints what `backtest` printed.
public struct RunHistory: Sendable {
    /// How many runs one listing may ask for (`runs list --limit`, `workflow status --limit`).
    public static let listLimit = Bounds.integers(1, 100_000, unit: "runs")

    public let store: any Store
    public let location: DatabaseLocation

    public init(store: any Store, location: DatabaseLocation) {
        self.store = store
        self.location = location
    }

    /// Opens the history at `location`, applying pending migrations.
    public static func open(_ location: DatabaseLocation) async throws(AppError) -> RunHistory {
        RunHistory(store: try await location.open(), location: location)
    }

    public func close() async {
        try? await store.close()
    }

    // MARK: - Saving

    /// Saves a backtest; `request` (nil for a derived run such as `--strategy auto`) adds the
    /// data source, range and parameters to its configuration.
    @discardableResult
    public func save(_ result: BacktestResult, request: BacktestRequest?, id: UUID = UUID()) async throws(AppError) -> UUID {
        let configuration = StoredRunConfiguration(result: result, request: request).json()
        var run = NewRun(result, configuration: configuration, id: id)
        // The strategy's name, so `runs list --strategy sma-crossover` finds every parameter set
        // (the report's `sma-crossover(fast=10, slow=30)` is kept in the configuration).
        run.strategy = request?.strategy.name ?? Self.strategyName(result.strategy)
        _ = try await perform("save run") { try await store.saveRun(run) }
        return id
    }

    /// Saves a grid or random search with its ranked sets; `configuration` is the search's own
    /// description (method, ranges, constraints, data).
    @discardableResult
    public func save(optimization: OptimizationResult, strategy: String, symbol: String, configuration: JSONValue,
                     id: UUID = UUID()) async throws(AppError) -> UUID {
        let record = NewOptimization(
            id: id, createdAt: StoreClock.nowNanos(), strategy: strategy, symbol: symbol, objective: optimization.objective.description,
            configuration: configuration.serialized(),
            results: optimization.ranked.map { OptimizationResultRecord(parameters: $0.parameters, score: $0.score, metrics: $0.metrics.storedValues) })
        _ = try await perform("save optimization") { try await store.saveOptimization(record) }
        return id
    }

    /// `sma-crossover(fast=10, slow=30)` → `sma-crossover`.
    static func strategyName(_ description: String) -> String {
        String(description.prefix { $0 != "(" })
    }

    // MARK: - Finding

    /// A line of `runs list`: a backtest or an optimization.
    public enum Entry: Sendable {
        case backtest(StoredRunSummary)
        case optimization(StoredOptimizationSummary)

        public var id: UUID {
            switch self {
            case .backtest(let r): r.id
            case .optimization(let o): o.id
            }
        }

        public var createdAt: Int64 {
            switch self {
            case .backtest(let r): r.createdAt
            case .optimization(let o): o.createdAt
            }
        }
    }

    public enum Kind: String, Sendable, CaseIterable { case all, backtest, optimization }

    /// Backtests and optimizations matching `filter`, newest first, at most `filter.limit`.
    public func list(_ filter: RunFilter, kind: Kind = .all) async throws(AppError) -> [Entry] {
        var entries: [Entry] = []
        if kind != .optimization {
            entries += try await perform("list runs") { try await store.listRuns(filter) }.map(Entry.backtest)
        }
        if kind != .backtest {
            entries += try await perform("list optimizations") { try await store.listOptimizations(filter) }.map(Entry.optimization)
        }
        entries.sort { ($0.createdAt, $0.id.uuidString) > ($1.createdAt, $1.id.uuidString) }
        return Array(entries.prefix(max(0, filter.limit)))
    }

    /// What an id names.
    public enum Found: Sendable {
        case backtest(StoredRun)
        case optimization(StoredOptimization)
    }

    /// The run or optimization whose id is `text` or starts with it (as `runs list` shows ids);
    /// a usage error when nothing or more than one thing matches.
    public func find(_ text: String) async throws(AppError) -> Found {
        let id = try await resolve(text)
        if let run = try await perform("load run", { try await store.loadRun(id: id) }) { return .backtest(run) }
        if let optimization = try await perform("load optimization", { try await store.loadOptimization(id: id) }) {
            return .optimization(optimization)
        }
        throw .usage("no run with id \(text) (it was deleted meanwhile?)")
    }

    /// Deletes what `text` names; returns its full id.
    public func delete(_ text: String) async throws(AppError) -> UUID {
        let id = try await resolve(text)
        if try await perform("delete run", { try await store.deleteRun(id: id) }) { return id }
        if try await perform("delete optimization", { try await store.deleteOptimization(id: id) }) { return id }
        throw .usage("no run with id \(text)")
    }

    /// The full id that `text` names, among backtests and optimizations.
    func resolve(_ text: String) async throws(AppError) -> UUID {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let filter = RunFilter(idPrefix: trimmed, limit: 2)
        do {
            _ = try filter.normalizedIDPrefix()
        } catch {
            throw .usage("'\(text)' is not a run id: expected the id `gpt-trader runs list` shows, or its first characters")
        }
        let matches = try await list(filter, kind: .all)
        switch matches.count {
        case 0: throw .usage("no run with id \(text) in \(location) (see `gpt-trader runs list`)")
        case 1: return matches[0].id
        default:
            throw .usage("run id \(text) is ambiguous: it starts \(matches.map { $0.id.uuidString.lowercased() }.joined(separator: " and ")); give more characters")
        }
    }

    // MARK: - Reading back

    /// The backtest result a stored run was saved from, as far as the report uses it: statistics,
    /// equity curve, trades (with bar indices found again from their times), open positions,
    /// settings and sizing. Also the strategy parameters, for the JSON report.
    public static func result(of run: StoredRun) throws(AppError) -> (result: BacktestResult, parameters: [String: Double]) {
        let id = run.summary.id.uuidString.lowercased()
        let configuration = try StoredRunConfiguration.parse(run.configuration, run: id)
        let timeframe: Timeframe
        do { timeframe = try Timeframe(parsing: run.summary.timeframe) } catch {
            throw .runtime("run \(id): stored timeframe '\(run.summary.timeframe)' is unreadable")
        }
        let timestamps = run.equity.timestamps
        func bar(_ time: Int64) -> Int {
            var low = 0, high = timestamps.count
            while low < high {
                let mid = (low + high) / 2
                if timestamps[mid] < time { low = mid + 1 } else { high = mid }
            }
            return low
        }
        var trades: [Trade] = []
        trades.reserveCapacity(run.trades.count)
        for t in run.trades {
            guard let reason = ExitReason(rawValue: t.exitReason) else { throw .runtime("run \(id): unknown exit reason '\(t.exitReason)'") }
            trades.append(Trade(size: t.size, entryBar: bar(t.entryTime), exitBar: bar(t.exitTime), entryTime: Timestamp(nanos: t.entryTime),
                                exitTime: Timestamp(nanos: t.exitTime), entryPrice: t.entryPrice, exitPrice: t.exitPrice,
                                commission: t.commission, exitReason: reason))
        }
        var open: [Trade] = []
        for t in configuration.openTrades {
            guard let reason = ExitReason(rawValue: t.exitReason) else { throw .runtime("run \(id): unknown exit reason '\(t.exitReason)'") }
            open.append(Trade(size: t.size, entryBar: t.entryBar, exitBar: t.exitBar, entryTime: Timestamp(nanos: t.entryTime),
                              exitTime: Timestamp(nanos: t.exitTime), entryPrice: t.entryPrice, exitPrice: t.exitPrice,
                              commission: t.commission, exitReason: reason))
        }
        let result = BacktestResult(symbol: run.summary.symbol, strategy: configuration.strategy, settings: configuration.settings,
                                    timeframe: timeframe, timestamps: timestamps, equity: run.equity.values, trades: trades, openTrades: open,
                                    metrics: PerformanceMetrics(storedValues: run.metrics), fills: configuration.fills,
                                    rejectedOrders: configuration.rejectedOrders, ranOutOfMoney: configuration.ranOutOfMoney,
                                    sizing: configuration.sizing, skippedEntries: configuration.skippedEntries)
        return (result, configuration.parameters)
    }

    // MARK: - Errors

    /// Runs a store call, turning its error into a runtime `AppError` that names the database.
    public func perform<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws(AppError) -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            if case .invalid = error { throw .usage("\(what): \(error)") }
            throw .runtime("\(what) in \(location): \(error)")
        } catch {
            throw .runtime("\(what) in \(location): \(error)")
        }
    }
}
