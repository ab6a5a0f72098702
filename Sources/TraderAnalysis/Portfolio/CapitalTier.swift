/// The four account sizes of bot_v2's adaptive portfolio. Each tier has its own rules (allowed
/// strategies, position count, risk limits, trade frequency) in a `PortfolioProfile`, because what
/// is prudent for a 1,500 account — few positions, few trades, no day trading — wastes a 50,000
/// one.
///
/// The boundaries are fixed (they are the and bot_v2's, and 25,000 is also the
/// pattern-day-trader equity line, which is regulation, not taste): micro below 2,500, small below
/// 10,000, medium below 25,000, large from 25,000. A lower bound belongs to its tier: exactly
/// 2,500 is small.
public enum CapitalTier: String, CaseIterable, Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    case micro, small, medium, large

    /// The equity at which the tier starts (inclusive); 0 for micro.
    public var lowerBound: Double {
        switch self {
        case .micro: 0
        case .small: 2_500
        case .medium: 10_000
        case .large: 25_000
        }
    }

    /// The equity at which the next tier starts (exclusive upper bound); nil for large.
    public var upperBound: Double? { next?.lowerBound }

    /// The tier of `equity` without hysteresis: the highest tier whose lower bound is at most
    /// `equity`. Negative or NaN equity is micro.
    public static func tier(for equity: Double) -> CapitalTier {
        var result = CapitalTier.micro
        for t in allCases where equity >= t.lowerBound { result = t }
        return result
    }

    /// Position in `allCases`, smallest first.
    public var rank: Int {
        switch self {
        case .micro: 0
        case .small: 1
        case .medium: 2
        case .large: 3
        }
    }

    /// The tier above, nil for large.
    public var next: CapitalTier? { rank + 1 < Self.allCases.count ? Self.allCases[rank + 1] : nil }
    /// The tier below, nil for micro.
    public var previous: CapitalTier? { rank > 0 ? Self.allCases[rank - 1] : nil }

    public static func < (a: CapitalTier, b: CapitalTier) -> Bool { a.rank < b.rank }

    public var description: String { rawValue }

    /// `< 2,500`, `2,500 – 10,000`, `>= 25,000`: the range in words, for tables.
    public var rangeDescription: String {
        switch (self, upperBound) {
        case (.micro, let upper?): "< \(Self.grouped(upper))"
        case (_, let upper?): "\(Self.grouped(lowerBound)) – \(Self.grouped(upper))"
        case (_, nil): ">= \(Self.grouped(lowerBound))"
        }
    }

    private static func grouped(_ v: Double) -> String {
        let digits = String(Int(v))
        var out = ""
        for (i, ch) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }
}
