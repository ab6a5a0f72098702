import Synchronization
public import TraderCore
import TraderStrategies

/// One evaluated parameter set.
public struct OptimizationEntry: Sendable {
    /// Position of the set in the searched list: ties in score rank by it, so results do not
    /// depend on how the work was split across workers.
    public let index: Int
    public let parameters: [String: Double]
    public let score: Double
    public let metrics: PerformanceMetrics

    public init(index: Int, parameters: [String: Double], score: Double, metrics: PerformanceMetrics) {
        self.index = index
        self.parameters = parameters
        self.score = score
        self.metrics = metrics
    }
}

/// The outcome of a search: the best sets, ranked, and what happened to the rest.
public struct OptimizationResult: Sendable {
    public let objective: Objective
    /// Best first, at most the requested top-N.
    public let ranked: [OptimizationEntry]
    /// Sets backtested.
    public let evaluated: Int
    /// Sets that could not be built (they violate a strategy rule such as fast < slow).
    public let invalid: Int
    /// Sets backtested but not ranked (too few trades, undefined metric).
    public let unqualified: Int
    /// True when the search was cancelled before every set ran; `ranked` holds the best so far.
    public let cancelled: Bool

    public init(objective: Objective, ranked: [OptimizationEntry], evaluated: Int, invalid: Int, unqualified: Int, cancelled: Bool) {
        self.objective = objective
        self.ranked = ranked
        self.evaluated = evaluated
        self.invalid = invalid
        self.unqualified = unqualified
        self.cancelled = cancelled
    }

    /// The same result keeping only the first `n` ranked entries.
    public func prefix(_ n: Int) -> OptimizationResult {
        OptimizationResult(objective: objective, ranked: Array(ranked.prefix(n)), evaluated: evaluated, invalid: invalid,
                           unqualified: unqualified, cancelled: cancelled)
    }
}

/// Runs many backtests of one strategy over parameter sets, in parallel, and keeps the best.
///
/// Workers share one read-only `BarSeries` (its column arrays are never copied), each keeps only
/// its own top-N, and sets are handed out in chunks as workers finish, so memory does not grow
/// with the number of sets and all cores stay busy. Each run is `Backtester.statistics` of the
/// same specification — the statistics of `Backtester.run`, bit for bit, without its equity
/// curve — so an entry's metrics equal a single backtest with those parameters, and a worker holds
/// one chunk of equity, not a curve of the whole series. With a `sizer`, every run sizes its
/// entries with a fresh copy of it.
public enum Optimizer {
    public static func run(
        strategy name: String, fixed: [String: Double] = [:], sets: [[String: Double]],
        on series: BarSeries, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil, objective: Objective,
        top: Int = 10, jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async -> OptimizationResult {
        let total = sets.count
        let workers = max(1, min(jobs, total))
        let keep = max(1, top)
        // The calendar and market returns are the same in every run: worked out once, shared.
        let profile = SeriesProfile(series)

        let queue = WorkQueue(total: total, workers: workers)
        return await withTaskGroup(of: ChunkResult.self) { group in
            // One task per worker, each taking chunks from the shared queue until it is empty:
            // no round trip through this task between chunks (waking it and then a worker costs
            // more than a short backtest on a VM).
            for _ in 0..<workers {
                group.addTask {
                    var mine = ChunkResult()
                    while !Task.isCancelled, let range = queue.next() {
                        mine.merge(evaluate(range, sets: sets, strategy: name, fixed: fixed, series: series, profile: profile,
                                            settings: settings, sizer: sizer, objective: objective, keep: keep), keep: keep)
                        progress?(queue.finish(range.count), total)
                    }
                    return mine
                }
            }
            var merged = ChunkResult()
            for await done in group { merged.merge(done, keep: keep) }
            return OptimizationResult(objective: objective, ranked: merged.best, evaluated: merged.evaluated,
                                      invalid: merged.invalid, unqualified: merged.unqualified,
                                      cancelled: merged.evaluated + merged.invalid < total)
        }
    }

    /// The sets still to run, handed out by guided self-scheduling: a chunk is a share of what
    /// remains (at most 64 sets), so early chunks are large and the last ones single sets that
    /// even out the finish across workers.
    final class WorkQueue: Sendable {
        private let total: Int
        private let workers: Int
        private let claimed = Atomic<Int>(0)
        private let done = Atomic<Int>(0)

        init(total: Int, workers: Int) {
            self.total = total
            self.workers = workers
        }

        /// The next chunk, or nil when every set has been handed out.
        func next() -> Range<Int>? {
            var start = claimed.load(ordering: .relaxed)
            while start < total {
                let size = max(1, min(64, (total - start) / (4 * workers)))
                let (exchanged, current) = claimed.compareExchange(expected: start, desired: start + size, ordering: .relaxed)
                if exchanged { return start..<min(total, start + size) }
                start = current
            }
            return nil
        }

        /// Records `count` sets finished; returns how many are finished in all.
        func finish(_ count: Int) -> Int {
            done.add(count, ordering: .relaxed).newValue
        }
    }

    static func evaluate(
        _ range: Range<Int>, sets: [[String: Double]], strategy name: String, fixed: [String: Double],
        series: BarSeries, profile: SeriesProfile, settings: ExecutionSettings, sizer: (any PositionSizer)? = nil,
        objective: Objective, keep: Int
    ) -> ChunkResult {
        var result = ChunkResult()
        for i in range {
            if Task.isCancelled { break }
            let parameters = fixed.merging(sets[i]) { _, new in new }
            guard let spec = try? StrategySpec(name: name, overrides: parameters),
                  let metrics = try? Backtester.statistics(spec, on: series, settings: settings, sizer: sizer, profile: profile) else {
                result.invalid += 1
                continue
            }
            result.evaluated += 1
            guard let score = objective.score(metrics) else { result.unqualified += 1; continue }
            result.insert(OptimizationEntry(index: i, parameters: sets[i], score: score, metrics: metrics), keep: keep)
        }
        return result
    }

    /// A worker's share: counts and its own bounded top-N.
    struct ChunkResult: Sendable {
        var best: [OptimizationEntry] = []
        var evaluated = 0
        var invalid = 0
        var unqualified = 0

        static func ranksBefore(_ a: OptimizationEntry, _ b: OptimizationEntry) -> Bool {
            a.score != b.score ? a.score > b.score : a.index < b.index
        }

        mutating func insert(_ e: OptimizationEntry, keep: Int) {
            if best.count == keep, let last = best.last, !Self.ranksBefore(e, last) { return }
            let at = best.firstIndex { Self.ranksBefore(e, $0) } ?? best.count
            best.insert(e, at: at)
            if best.count > keep { best.removeLast() }
        }

        mutating func merge(_ other: ChunkResult, keep: Int) {
            for e in other.best { insert(e, keep: keep) }
            evaluated += other.evaluated
            invalid += other.invalid
            unqualified += other.unqualified
        }
    }
}
