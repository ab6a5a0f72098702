public import TraderCore

/// The chart patterns `analyze` looks for.
public enum PatternKind: String, Sendable, Hashable, CaseIterable {
    case doubleTop = "double-top"
    case doubleBottom = "double-bottom"
    case headAndShoulders = "head-and-shoulders"
    case inverseHeadAndShoulders = "inverse-head-and-shoulders"
    case ascendingTriangle = "ascending-triangle"
    case descendingTriangle = "descending-triangle"
    case symmetricalTriangle = "symmetrical-triangle"
    case bullFlag = "bull-flag"
    case bearFlag = "bear-flag"
}

/// Which way a pattern points.
public enum PatternBias: String, Sendable, Hashable {
    case bullish, bearish, neutral

    /// +1, −1 or 0, for scoring.
    public var sign: Double {
        switch self {
        case .bullish: 1
        case .bearish: -1
        case .neutral: 0
        }
    }
}

/// Whether the pattern has been confirmed by a breakout.
public enum PatternStatus: String, Sendable, Hashable {
    /// The shape is there but price has not yet broken out of it.
    case forming
    /// A close beyond the neckline, trendline or channel: the pattern completed.
    case confirmed
}

/// A named point of a pattern (a peak, a trough, the breakout bar).
public struct PatternPoint: Sendable, Hashable {
    /// What the point is in the pattern: `first-peak`, `head`, `breakout`, ...
    public let role: String
    /// Bar of the point.
    public let index: Int
    /// Time of that bar.
    public let timestamp: Timestamp
    /// Price at the point (the pivot's high or low, or the breakout close).
    public let price: Double

    /// Creates a point.
    public init(role: String, index: Int, timestamp: Timestamp, price: Double) {
        self.role = role
        self.index = index
        self.timestamp = timestamp
        self.price = price
    }
}

/// A chart pattern found in the bars, with where it was found.
public struct ChartPattern: Sendable, Hashable {
    /// Which pattern.
    public let kind: PatternKind
    /// Its direction: the kind's lean, or for a triangle that has broken out, the breakout's.
    public let bias: PatternBias
    /// Forming or confirmed.
    public let status: PatternStatus
    /// First bar of the pattern (its first key point, or the start of a flag's pole).
    public let startIndex: Int
    /// Last bar of the pattern: the breakout bar once confirmed, else the last key point (for a
    /// forming flag, the analysed bar).
    public let endIndex: Int
    /// Times of `startIndex` and `endIndex`.
    public let startTime: Timestamp, endTime: Timestamp
    /// The first bar at which the pattern could be seen: its last pivot is confirmed and, when
    /// confirmed, the breakout has happened. Never after the analysed bar.
    public let detectedAt: Int
    /// The key points, in bar order.
    public let points: [PatternPoint]
    /// The measured-move price objective (the pattern's height projected from the breakout
    /// level); nil for a triangle that has not broken out.
    public let target: Double?
}
