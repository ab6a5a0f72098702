public import TraderCore

/// Finds chart patterns in the bars up to an analysed bar.
///
/// Every rule works on the zigzag of swing points (`SwingPoints.alternating`) confirmed by the
/// analysed bar, plus the closes after a pattern's last swing point for its breakout, so a
/// pattern reported as of bar `k` is drawn from bars `0...k` only: truncating the series after
/// `k` cannot change it. The rules and their tolerances are in docs/analysis.md and
/// `PatternParameters`; the detector is deterministic (no randomness, fixed scan order).
public struct PatternDetector: Sendable {
    /// The tolerances in use.
    public let parameters: PatternParameters

    /// A detector with validated `parameters`.
    public init(parameters: PatternParameters = PatternParameters()) throws(DomainError) {
        try parameters.validate()
        self.parameters = parameters
    }

    /// The patterns as of bar `last` that end within the last `lookback` bars, ordered by end
    /// bar, then start bar, then kind. Throws when `last` is not a bar of `series`.
    public func detect(in series: BarSeries, through last: Int) throws(DomainError) -> [ChartPattern] {
        guard last >= 0, last < series.count else {
            throw .invalid(field: "as-of", reason: "bar \(last) is outside the series (0..<\(series.count))")
        }
        let pivots = SwingPoints.alternating(SwingPoints.find(in: series, through: last, window: parameters.pivotWindow))
        let scan = Scan(series: series, last: last, pivots: pivots)
        let found = doubleTopsAndBottoms(scan) + headAndShoulders(scan) + triangles(scan) + flags(scan)
        let firstEnd = last - parameters.lookback + 1
        return found.filter { $0.endIndex >= firstEnd }.sorted {
            ($0.endIndex, $0.startIndex, $0.kind.rawValue) < ($1.endIndex, $1.startIndex, $1.kind.rawValue)
        }
    }
}

/// What happened after a pattern's last swing point.
enum BreakoutOutcome: Equatable {
    /// The confirming close came at this bar.
    case confirmed(Int)
    /// Price did what the pattern forbids (or ran past its deadline) before confirming.
    case invalidated
    /// Neither, up to the analysed bar.
    case pending
}

/// The bars and swing points one detection works on, with the helpers every rule shares.
struct Scan {
    let series: BarSeries
    /// The analysed bar: nothing after it is read.
    let last: Int
    /// Alternating swing points confirmed by `last`.
    let pivots: [SwingPoint]

    func close(_ i: Int) -> Double { series.close[i] }
    func time(_ i: Int) -> Timestamp { Timestamp(nanos: series.timestamps[i]) }

    /// A key point at a swing point.
    func point(_ role: String, _ p: SwingPoint) -> PatternPoint {
        PatternPoint(role: role, index: p.index, timestamp: time(p.index), price: p.price)
    }

    /// A key point at a bar's close.
    func point(_ role: String, closeOf i: Int) -> PatternPoint {
        PatternPoint(role: role, index: i, timestamp: time(i), price: close(i))
    }

    /// Walks the bars after `start` up to `last` (and up to `deadline`, past which the pattern
    /// is void): the first bar where `confirm` holds confirms; a bar where `invalidate` holds
    /// first voids it.
    func outcome(after start: Int, deadline: Int? = nil, confirm: (Int) -> Bool, invalidate: (Int) -> Bool) -> BreakoutOutcome {
        var j = start + 1
        while j <= last {
            if let deadline, j > deadline { return .invalidated }
            if confirm(j) { return .confirmed(j) }
            if invalidate(j) { return .invalidated }
            j += 1
        }
        return .pending
    }

    /// Assembles a pattern from its key points (in bar order) and its outcome.
    func pattern(
        _ kind: PatternKind, bias: PatternBias, points: [PatternPoint], lastPivot: SwingPoint,
        breakout: Int?, target: Double?, start: Int? = nil, end: Int? = nil
    ) -> ChartPattern {
        var points = points
        if let breakout { points.append(point("breakout", closeOf: breakout)) }
        let startIndex = start ?? points[0].index
        let endIndex = end ?? breakout ?? lastPivot.index
        return ChartPattern(
            kind: kind, bias: bias, status: breakout == nil ? .forming : .confirmed, startIndex: startIndex,
            endIndex: endIndex, startTime: time(startIndex), endTime: time(endIndex),
            detectedAt: max(lastPivot.confirmedAt, endIndex), points: points, target: target)
    }
}
