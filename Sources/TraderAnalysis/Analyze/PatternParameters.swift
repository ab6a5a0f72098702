public import TraderCore

/// The tolerances of the chart-pattern rules (see docs/analysis.md). Relative tolerances are
/// fractions of price (0.03 = 3 %); lengths are in bars. The defaults suit daily bars.
public struct PatternParameters: Sendable, Hashable {
    /// Bars either side a swing point must dominate.
    public var pivotWindow = 5
    /// Patterns are reported when they end within the last `lookback` bars.
    public var lookback = 252

    /// Double top/bottom: the two peaks (troughs) differ by at most this fraction.
    public var peakTolerance = 0.03
    /// Double top/bottom: the trough between the peaks is at least this fraction below the lower
    /// peak (the peak above the higher trough).
    public var minDepth = 0.03
    /// Double top/bottom: bars between the two peaks.
    public var minSeparation = 10, maxSeparation = 120

    /// Head and shoulders: the head exceeds the higher shoulder by at least this fraction.
    public var minHeadExcess = 0.02
    /// Head and shoulders: the shoulders differ by at most this fraction.
    public var shoulderTolerance = 0.05
    /// Head and shoulders: the two neckline troughs differ by at most this fraction.
    public var necklineTolerance = 0.05
    /// Head and shoulders: bars from the left to the right shoulder.
    public var maxHeadAndShouldersBars = 150

    /// Triangle: swing points it needs (at least two on each line).
    public var minTrianglePivots = 5
    /// Triangle: bars from its first to its last swing point.
    public var maxTriangleBars = 120
    /// Triangle: a line moving less than this fraction of the price over the pattern is flat.
    public var flatTolerance = 0.02
    /// Triangle: every swing point lies within this fraction of its line, and every close
    /// between the first and last swing point within this fraction outside the lines.
    public var fitTolerance = 0.02
    /// Triangle: the gap between the lines at the last swing point is at most `1 − this` of the
    /// gap at the first (the lines converge).
    public var minConvergence = 0.3

    /// Flag: the pole (swing low to swing high, or high to low) moves at least this fraction.
    public var minPoleReturn = 0.08
    /// Flag: bars in the pole.
    public var maxPoleBars = 15
    /// Flag: bars in the consolidation channel.
    public var minFlagBars = 5, maxFlagBars = 20
    /// Flag: the consolidation gives back at most this fraction of the pole.
    public var maxRetracement = 0.5
    /// Flag: the channel's lines diverge over the flag by at most this fraction of the pole.
    public var parallelTolerance = 0.25

    /// The defaults.
    public init() {}

    /// Checks every field; the error names it.
    public func validate() throws(DomainError) {
        func positive(_ value: Int, _ name: String) throws(DomainError) {
            try Bounds.window().check(value, field: name)
        }
        func fraction(_ value: Double, _ name: String, upTo limit: Double = 1) throws(DomainError) {
            guard value >= 0, value <= limit else { throw .invalid(field: name, reason: "must be in [0, \(plain(limit))], got \(value)") }
        }
        try positive(pivotWindow, "pivot-window")
        try positive(lookback, "lookback")
        try fraction(peakTolerance, "peak-tolerance")
        try fraction(minDepth, "min-depth")
        try positive(minSeparation, "min-separation")
        guard maxSeparation >= minSeparation else { throw .invalid(field: "max-separation", reason: "must be >= min-separation (\(minSeparation))") }
        try fraction(minHeadExcess, "min-head-excess")
        try fraction(shoulderTolerance, "shoulder-tolerance")
        try fraction(necklineTolerance, "neckline-tolerance")
        try positive(maxHeadAndShouldersBars, "max-head-and-shoulders-bars")
        guard minTrianglePivots >= 4 else { throw .invalid(field: "min-triangle-pivots", reason: "must be >= 4, got \(minTrianglePivots)") }
        try positive(maxTriangleBars, "max-triangle-bars")
        try fraction(flatTolerance, "flat-tolerance")
        try fraction(fitTolerance, "fit-tolerance")
        guard minConvergence > 0, minConvergence < 1 else { throw .invalid(field: "min-convergence", reason: "must be in (0, 1), got \(minConvergence)") }
        guard minPoleReturn > 0, minPoleReturn.isFinite else { throw .invalid(field: "min-pole-return", reason: "must be > 0, got \(minPoleReturn)") }
        try positive(maxPoleBars, "max-pole-bars")
        guard minFlagBars >= 2 else { throw .invalid(field: "min-flag-bars", reason: "must be >= 2, got \(minFlagBars)") }
        guard maxFlagBars >= minFlagBars else { throw .invalid(field: "max-flag-bars", reason: "must be >= min-flag-bars (\(minFlagBars))") }
        try fraction(maxRetracement, "max-retracement")
        try fraction(parallelTolerance, "parallel-tolerance", upTo: 10)
    }
}
