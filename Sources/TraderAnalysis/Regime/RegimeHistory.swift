public import TraderCore

/// A stretch of consecutive bars in one regime.
public struct RegimeRun: Sendable, Hashable {
    /// The regime of every bar of the run.
    public var regime: Regime
    /// Index of the first bar.
    public var startBar: Int
    /// Index of the last bar (inclusive).
    public var endBar: Int
    /// Timestamp of the first bar.
    public var start: Timestamp
    /// Timestamp of the last bar.
    public var end: Timestamp
    /// Number of bars: `endBar − startBar + 1`.
    public var length: Int { endBar - startBar + 1 }

    public init(regime: Regime, startBar: Int, endBar: Int, start: Timestamp, end: Timestamp) {
        self.regime = regime
        self.startBar = startBar
        self.endBar = endBar
        self.start = start
        self.end = end
    }
}

/// What the regimes of a date range looked like: the runs, the time spent in each regime, the
/// empirical transition matrix and every change — the history a strategy selector or a person
/// reads before trusting the current label.
///
/// Built from per-bar regimes of any method (thresholds, a decoded HMM); bars without a regime
/// (warm-up) belong to no run and count for no share.
public struct RegimeHistory: Sendable {
    /// Bars of the series the history covers.
    public let range: Range<Int>
    /// Consecutive runs, in order. A bar without a regime ends a run.
    public let runs: [RegimeRun]
    /// Bars in each regime, indexed by `Regime.ordinal`.
    public let barCounts: [Int]
    /// Bars in the range that have a regime.
    public let classifiedBars: Int
    /// Moves between consecutive classified bars of the range, indexed by `Regime.ordinal`.
    public let transitions: TransitionMatrix
    /// Changes within the range, as the `RegimeChangeTracker` reports them. The regime in force
    /// at the bar before the range is the starting point, so the first entry is a real change
    /// unless the range starts during warm-up.
    public let changes: [RegimeChange]

    /// The history of `regimes[range]` (the whole series when `range` is nil); `timestamps`
    /// dates the bars and has the same count as `regimes`.
    public init(regimes: [Regime?], timestamps: [Int64], range: Range<Int>? = nil) {
        precondition(regimes.count == timestamps.count, "one timestamp per regime")
        let range = range ?? 0..<regimes.count
        self.range = range
        var runs: [RegimeRun] = []
        var counts = [Int](repeating: 0, count: Regime.allCases.count)
        var transitions = TransitionMatrix(size: Regime.allCases.count)
        var changes: [RegimeChange] = []
        let before = range.lowerBound > 0 ? regimes[range.lowerBound - 1] : nil
        var tracker = RegimeChangeTracker(current: before, nextBar: range.lowerBound)
        var previous: Regime? = nil
        for i in range {
            let time = Timestamp(nanos: timestamps[i])
            if let change = tracker.observe(regimes[i], at: time) { changes.append(change) }
            guard let regime = regimes[i] else { previous = nil; continue }
            counts[regime.ordinal] += 1
            if let p = previous {
                transitions.record(from: p.ordinal, to: regime.ordinal)
            }
            if let last = runs.last, previous == regime, last.endBar == i - 1 {
                runs[runs.count - 1].endBar = i
                runs[runs.count - 1].end = time
            } else {
                runs.append(RegimeRun(regime: regime, startBar: i, endBar: i, start: time, end: time))
            }
            previous = regime
        }
        self.runs = runs
        self.barCounts = counts
        self.classifiedBars = counts.reduce(0, +)
        self.transitions = transitions
        self.changes = changes
    }

    /// Bars spent in `regime`.
    public func barCount(_ regime: Regime) -> Int { barCounts[regime.ordinal] }

    /// Share of the classified bars spent in `regime`, in [0, 1]; NaN when no bar is classified.
    public func share(_ regime: Regime) -> Double {
        classifiedBars == 0 ? .nan : Double(barCounts[regime.ordinal]) / Double(classifiedBars)
    }

    /// Number of runs of `regime`.
    public func runCount(_ regime: Regime) -> Int { runs.reduce(0) { $0 + ($1.regime == regime ? 1 : 0) } }

    /// Mean length of the runs of `regime` in bars; NaN when it never occurred.
    public func averageRunLength(_ regime: Regime) -> Double {
        let n = runCount(regime)
        return n == 0 ? .nan : Double(barCount(regime)) / Double(n)
    }

    /// The regime at the end of the range, nil if the last bar has none.
    public var last: Regime? { runs.last.flatMap { $0.endBar == range.upperBound - 1 ? $0.regime : nil } }
}
