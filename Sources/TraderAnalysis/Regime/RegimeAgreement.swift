/// How often two regime methods agree bar by bar, and where they differ: the comparison of the
/// statistical model with the thresholds that tells a reader how much either label is worth.
///
/// Only bars where both methods give a regime are compared. Besides exact agreement (same of the
/// seven regimes), agreement on each axis is reported, because the methods read the trend
/// differently (a 60-bar window against a state's drift) but may still see the same volatility.
public struct RegimeAgreement: Sendable {
    /// 7×7 counts, row-major by `Regime.ordinal`: rows are the reference method (thresholds),
    /// columns the other (HMM).
    public let confusion: [Int]
    /// Bars where both methods give a regime.
    public let comparedBars: Int
    /// Bars with the same regime.
    public let agreeingBars: Int
    /// Bars on the same side of the volatility axis (quiet, or volatile/crisis).
    public let volatilityAgreeingBars: Int
    /// Bars with the same direction (bull, bear/crisis, sideways).
    public let directionAgreeingBars: Int

    /// Compares `reference` and `other` over `range` (both arrays indexed by bar).
    public init(reference: [Regime?], other: [Regime?], range: Range<Int>? = nil) {
        precondition(reference.count == other.count, "both methods must label the same bars")
        let range = range ?? 0..<reference.count
        let n = Regime.allCases.count
        var confusion = [Int](repeating: 0, count: n * n)
        var compared = 0, same = 0, volatility = 0, direction = 0
        for i in range {
            guard let a = reference[i], let b = other[i] else { continue }
            confusion[a.ordinal * n + b.ordinal] += 1
            compared += 1
            if a == b { same += 1 }
            if a.isVolatile == b.isVolatile { volatility += 1 }
            if a.direction == b.direction { direction += 1 }
        }
        self.confusion = confusion
        comparedBars = compared
        agreeingBars = same
        volatilityAgreeingBars = volatility
        directionAgreeingBars = direction
    }

    /// Bars labelled `reference` by the reference method and `other` by the other.
    public func count(reference: Regime, other: Regime) -> Int {
        confusion[reference.ordinal * Regime.allCases.count + other.ordinal]
    }

    /// The confusion counts as rows (reference regime) of columns (other regime).
    public var rows: [[Int]] {
        let n = Regime.allCases.count
        return (0..<n).map { Array(confusion[($0 * n)..<($0 * n + n)]) }
    }

    /// Share of compared bars with the same regime, in [0, 1]; NaN with none compared.
    public var agreement: Double { fraction(agreeingBars) }
    /// Share of compared bars on the same side of the volatility axis.
    public var volatilityAgreement: Double { fraction(volatilityAgreeingBars) }
    /// Share of compared bars with the same direction.
    public var directionAgreement: Double { fraction(directionAgreeingBars) }

    private func fraction(_ count: Int) -> Double { comparedBars == 0 ? .nan : Double(count) / Double(comparedBars) }
}
