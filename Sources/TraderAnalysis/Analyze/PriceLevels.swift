public import TraderCore

/// A horizontal price zone where swing highs and lows have clustered: a support below the price
/// or a resistance above it.
public struct PriceLevel: Sendable, Hashable {
    /// Which side of the analysed close the level lies on.
    public enum Role: String, Sendable, Hashable {
        /// At or below the close: buyers stepped in here before.
        case support
        /// Above the close: sellers stepped in here before.
        case resistance
    }

    /// Mean price of the swing points in the cluster.
    public let price: Double
    /// Lowest and highest swing price in the cluster (the zone's width).
    public let low: Double, high: Double
    /// Swing points in the cluster.
    public let touches: Int
    /// First and last bar that touched the level.
    public let firstIndex: Int, lastIndex: Int
    /// Time of the last touch.
    public let lastTime: Timestamp
    /// Support or resistance, by position relative to the analysed close.
    public let role: Role
    /// Ranking score: `touches + (1 − age / lookback)`, where `age` is the number of bars since
    /// the last touch; touches dominate, recency breaks ties.
    public let strength: Double
}

/// Support and resistance as of one bar: the ranked levels and the nearest one on each side.
public struct SupportResistance: Sendable, Hashable {
    /// The strongest levels, strongest first (at most `LevelParameters.maxLevels`).
    public let levels: [PriceLevel]
    /// The highest level at or below the close, whatever its strength.
    public let nearestSupport: PriceLevel?
    /// The lowest level above the close, whatever its strength.
    public let nearestResistance: PriceLevel?
    /// Price distance within which swing points were clustered.
    public let tolerance: Double
}

/// How levels are found. The defaults suit daily bars.
public struct LevelParameters: Sendable, Hashable {
    /// Bars either side a swing point must dominate.
    public var pivotWindow = 5
    /// Only swing points in the last `lookback` bars count (older levels have been forgotten by
    /// the market, and recency is part of the ranking).
    public var lookback = 252
    /// Cluster width in ATR(14) multiples: swing points within `tolerance · ATR` of a cluster's
    /// lowest point join it.
    public var tolerance = 0.5
    /// Levels listed.
    public var maxLevels = 8

    /// The defaults.
    public init() {}

    /// Checks every field; the error names it.
    public func validate() throws(DomainError) {
        try Bounds.window().check(pivotWindow, field: "pivot-window")
        try Bounds.window().check(lookback, field: "lookback")
        guard tolerance >= 0, tolerance.isFinite else { throw .invalid(field: "level-tolerance", reason: "must be >= 0, got \(tolerance)") }
        guard maxLevels > 0 else { throw .invalid(field: "max-levels", reason: "must be > 0, got \(maxLevels)") }
    }
}

/// Finds support and resistance levels from swing points.
public enum PriceLevels {
    /// The levels as of bar `last`, from bars `0...last` only.
    ///
    /// The rule: take every swing high and low (window `pivotWindow`) confirmed by `last` whose bar
    /// lies in the last `lookback` bars; sort their prices; walk up from the lowest, opening a new
    /// cluster whenever a price is more than `tolerance · atr` above the current cluster's lowest
    /// price. Each cluster is a level at the mean of its prices; levels at or below the close of
    /// `last` are supports, above it resistances. `atr` is ATR(14) at `last`; when it is not
    /// defined yet (fewer than 14 bars) the mean high − low range of the window stands in.
    ///
    /// Throws when `last` is not a bar of `series` or a parameter is invalid (the error names it).
    public static func find(
        in series: BarSeries, through last: Int, atr: Double, parameters: LevelParameters = LevelParameters()
    ) throws(DomainError) -> SupportResistance {
        try parameters.validate()
        guard last >= 0, last < series.count else {
            throw .invalid(field: "as-of", reason: "bar \(last) is outside the series (0..<\(series.count))")
        }
        let p = parameters
        let first = max(0, last - p.lookback + 1)
        let yardstick = atr.isNaN ? meanRange(series, first...last) : atr
        let tolerance = p.tolerance * yardstick
        let points = SwingPoints.find(in: series, through: last, window: p.pivotWindow).filter { $0.index >= first }
        let sorted = points.sorted { ($0.price, $0.index) < ($1.price, $1.index) }
        let close = series.close[last]
        var levels: [PriceLevel] = []
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && sorted[end].price - sorted[start].price <= tolerance { end += 1 }
            let members = sorted[start..<end]
            let price = members.reduce(0) { $0 + $1.price } / Double(members.count)
            let lastIndex = members.map(\.index).max()!
            let age = Double(last - lastIndex)
            levels.append(PriceLevel(
                price: price, low: members.first!.price, high: members.last!.price, touches: members.count,
                firstIndex: members.map(\.index).min()!, lastIndex: lastIndex,
                lastTime: Timestamp(nanos: series.timestamps[lastIndex]), role: price <= close ? .support : .resistance,
                strength: Double(members.count) + (1 - age / Double(p.lookback))))
            start = end
        }
        // `levels` is in ascending price order here.
        let support = levels.last { $0.role == .support }
        let resistance = levels.first { $0.role == .resistance }
        let ranked = levels.sorted { a, b in a.strength != b.strength ? a.strength > b.strength : a.price < b.price }
        return SupportResistance(levels: Array(ranked.prefix(p.maxLevels)), nearestSupport: support,
                                 nearestResistance: resistance, tolerance: tolerance)
    }

    /// Mean `high − low` over `range`.
    static func meanRange(_ series: BarSeries, _ range: ClosedRange<Int>) -> Double {
        var sum = 0.0
        for i in range { sum += series.high[i] - series.low[i] }
        return sum / Double(range.count)
    }
}
