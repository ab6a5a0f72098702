public import TraderCore

/// A swing high or swing low (a pivot): the bar whose high (low) is the extreme of the bars
/// `window` either side of it.
///
/// Support and resistance levels and every chart pattern are read off these points, so they are
/// defined once here. A pivot at bar `i` needs the `window` bars after it, so it is only known at
/// bar `i + window` (`confirmedAt`); analyses as of bar `k` use only pivots with
/// `confirmedAt <= k`, which is what keeps them free of lookahead.
public struct SwingPoint: Sendable, Hashable {
    /// Whether the point is a local high or a local low.
    public enum Kind: String, Sendable, Hashable {
        case high, low
    }

    /// High or low.
    public let kind: Kind
    /// Bar of the extreme.
    public let index: Int
    /// The bar's high for a swing high, its low for a swing low.
    public let price: Double
    /// First bar at which the pivot is known: `index + window`.
    public let confirmedAt: Int

    /// Creates a swing point (the detector builds these; tests may too).
    public init(kind: Kind, index: Int, price: Double, confirmedAt: Int) {
        self.kind = kind
        self.index = index
        self.price = price
        self.confirmedAt = confirmedAt
    }
}

/// Finds swing points in a bar series.
public enum SwingPoints {
    /// The swing highs and lows of bars `0...last`, ordered by bar (a high before a low on the
    /// same bar).
    ///
    /// Bar `i` is a swing high when its high is strictly above the highs of the `window` bars
    /// before it and at least the highs of the `window` bars after it (so of equal highs, the
    /// first is the pivot); swing lows mirror this. Only bars with a full window on both sides
    /// inside `0...last` qualify, so nothing after `last` is read. O(n · window).
    public static func find(in series: BarSeries, through last: Int, window: Int) -> [SwingPoint] {
        precondition(window > 0 && last < series.count, "window must be positive and last a bar of the series")
        guard last >= 2 * window else { return [] }
        let high = series.high, low = series.low
        var points: [SwingPoint] = []
        for i in window...(last - window) {
            var isHigh = true, isLow = true
            for j in (i - window)..<i {
                if high[j] >= high[i] { isHigh = false }
                if low[j] <= low[i] { isLow = false }
            }
            for j in (i + 1)...(i + window) {
                if high[j] > high[i] { isHigh = false }
                if low[j] < low[i] { isLow = false }
            }
            if isHigh { points.append(SwingPoint(kind: .high, index: i, price: high[i], confirmedAt: i + window)) }
            if isLow { points.append(SwingPoint(kind: .low, index: i, price: low[i], confirmedAt: i + window)) }
        }
        return points
    }

    /// The zigzag of `points`: highs and lows alternate. Of consecutive points of the same kind
    /// only the most extreme is kept (the higher high, the lower low; the earlier on a tie), the
    /// usual way to read peaks and troughs for chart patterns.
    public static func alternating(_ points: [SwingPoint]) -> [SwingPoint] {
        var out: [SwingPoint] = []
        out.reserveCapacity(points.count)
        for p in points {
            guard let last = out.last, last.kind == p.kind else {
                out.append(p)
                continue
            }
            let moreExtreme = p.kind == .high ? p.price > last.price : p.price < last.price
            if moreExtreme { out[out.count - 1] = p }
        }
        return out
    }
}
