/// A straight line `price = intercept + slope · bar`, fitted by ordinary least squares.
///
/// Triangles are drawn through pivot highs and lows and flags through the highs and lows of their
/// consolidation; least squares gives one deterministic line through any number of touches
/// instead of a line through two hand-picked points.
public struct TrendLine: Sendable, Hashable {
    /// Price change per bar.
    public let slope: Double
    /// Value of the line at bar 0.
    public let intercept: Double

    /// Creates a line from its coefficients.
    public init(slope: Double, intercept: Double) {
        self.slope = slope
        self.intercept = intercept
    }

    /// The least-squares line through `(bar, price)` points; nil with fewer than two distinct bars.
    ///
    /// Bars are centred on their mean before the sums are formed, so large bar numbers cost no
    /// precision.
    public init?(bars: [Int], prices: [Double]) {
        precondition(bars.count == prices.count, "one price per bar")
        let n = Double(bars.count)
        guard bars.count >= 2 else { return nil }
        var meanX = 0.0, meanY = 0.0
        for i in bars.indices {
            meanX += Double(bars[i])
            meanY += prices[i]
        }
        meanX /= n
        meanY /= n
        var sxx = 0.0, sxy = 0.0
        for i in bars.indices {
            let dx = Double(bars[i]) - meanX
            sxx += dx * dx
            sxy += dx * (prices[i] - meanY)
        }
        guard sxx > 0 else { return nil }
        slope = sxy / sxx
        intercept = meanY - slope * meanX
    }

    /// The line's value at `bar`.
    @inlinable public func value(at bar: Int) -> Double { intercept + slope * Double(bar) }

    /// The largest distance of the points from the line.
    public func maxResidual(bars: [Int], prices: [Double]) -> Double {
        var worst = 0.0
        for i in bars.indices { worst = max(worst, abs(prices[i] - value(at: bars[i]))) }
        return worst
    }
}
