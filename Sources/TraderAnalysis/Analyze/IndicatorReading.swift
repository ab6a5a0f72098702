public import TraderCore

/// What an indicator value says, in the words traders use.
public enum Reading: String, Sendable, Hashable, CaseIterable {
    case bullish, bearish, neutral
    case overbought, oversold
    case high, normal, low
    case rising, falling, flat
    /// The indicator is still warming up (too few bars).
    case unavailable
}

/// One line of the snapshot's interpretation: an indicator, its value and its reading.
public struct IndicatorReading: Sendable, Hashable {
    /// Short name, such as `rsi14` or `sma50`.
    public let name: String
    /// The value the reading is based on.
    public let value: Double
    /// The interpretation.
    public let reading: Reading
    /// The rule that gave the reading, in words.
    public let rule: String
}

/// The thresholds that turn values into readings. The defaults are the textbook ones; they are
/// parameters so a user can tighten them without touching the rules.
public struct ReadingThresholds: Sendable, Hashable {
    /// RSI at or above this is overbought; at or below `rsiOversold` oversold.
    public var rsiOverbought = 70.0, rsiOversold = 30.0
    /// Stochastic %K at or above this is overbought; at or below `stochasticOversold` oversold.
    public var stochasticOverbought = 80.0, stochasticOversold = 20.0
    /// ATR as a percentage of the close above this is high volatility, below `atrLowPercent` low.
    public var atrHighPercent = 4.0, atrLowPercent = 1.0
    /// A normalized OBV slope above this is rising, below its negative falling.
    public var obvSlopeThreshold = 0.1

    /// The textbook thresholds.
    public init() {}

    /// Checks that each pair is ordered; the error names the threshold.
    public func validate() throws(DomainError) {
        guard rsiOversold < rsiOverbought else { throw .invalid(field: "rsi-oversold", reason: "must be below rsi-overbought") }
        guard stochasticOversold < stochasticOverbought else {
            throw .invalid(field: "stochastic-oversold", reason: "must be below stochastic-overbought")
        }
        guard atrLowPercent < atrHighPercent else { throw .invalid(field: "atr-low", reason: "must be below atr-high") }
        guard obvSlopeThreshold >= 0 else { throw .invalid(field: "obv-slope", reason: "must be >= 0") }
    }
}

extension IndicatorSnapshot {
    /// Each indicator's reading under `thresholds`, in a fixed order: the three SMAs (close above
    /// is bullish), the EMA pair (fast above slow is bullish), RSI and stochastic (overbought /
    /// oversold zones), MACD (histogram sign), Bollinger (%B beyond a band), ATR% (volatility
    /// level) and OBV (slope direction).
    public func readings(_ thresholds: ReadingThresholds = ReadingThresholds()) -> [IndicatorReading] {
        func above(_ name: String, _ average: Double) -> IndicatorReading {
            IndicatorReading(name: name, value: average, reading: compare(close, average),
                             rule: "close above the average is bullish, below bearish")
        }
        let t = thresholds
        return [
            above("sma20", sma20), above("sma50", sma50), above("sma200", sma200),
            IndicatorReading(name: "ema12-ema26", value: ema12 - ema26, reading: compare(ema12, ema26),
                             rule: "EMA(12) above EMA(26) is bullish, below bearish"),
            IndicatorReading(name: "rsi14", value: rsi14, reading: zone(rsi14, overbought: t.rsiOverbought, oversold: t.rsiOversold),
                             rule: "overbought at or above \(plain(t.rsiOverbought)), oversold at or below \(plain(t.rsiOversold))"),
            IndicatorReading(name: "macd-histogram", value: macdHistogram, reading: compare(macdHistogram, 0),
                             rule: "histogram above 0 is bullish, below bearish"),
            IndicatorReading(name: "bollinger-percent-b", value: bollingerPercentB,
                             reading: zone(bollingerPercentB, overboughtAbove: 1, oversoldBelow: 0),
                             rule: "above the upper band (%B > 1) overbought, below the lower band (%B < 0) oversold"),
            IndicatorReading(name: "atr-percent", value: atrPercent, reading: level(atrPercent, t),
                             rule: "volatility high above \(plain(t.atrHighPercent)) %, low below \(plain(t.atrLowPercent)) %"),
            IndicatorReading(name: "obv-slope", value: obvSlopeNormalized, reading: direction(obvSlopeNormalized, t.obvSlopeThreshold),
                             rule: "OBV slope over \(Self.obvSlopeBars) bars per mean volume: rising above \(plain(t.obvSlopeThreshold)), falling below −\(plain(t.obvSlopeThreshold))"),
            IndicatorReading(name: "stochastic-k", value: stochasticK,
                             reading: zone(stochasticK, overbought: t.stochasticOverbought, oversold: t.stochasticOversold),
                             rule: "overbought at or above \(plain(t.stochasticOverbought)), oversold at or below \(plain(t.stochasticOversold))"),
        ]
    }

    private func compare(_ a: Double, _ b: Double) -> Reading {
        guard !a.isNaN, !b.isNaN else { return .unavailable }
        return a > b ? .bullish : a < b ? .bearish : .neutral
    }

    private func zone(_ x: Double, overbought: Double, oversold: Double) -> Reading {
        guard !x.isNaN else { return .unavailable }
        return x >= overbought ? .overbought : x <= oversold ? .oversold : .neutral
    }

    private func zone(_ x: Double, overboughtAbove: Double, oversoldBelow: Double) -> Reading {
        guard !x.isNaN else { return .unavailable }
        return x > overboughtAbove ? .overbought : x < oversoldBelow ? .oversold : .neutral
    }

    private func level(_ x: Double, _ t: ReadingThresholds) -> Reading {
        guard !x.isNaN else { return .unavailable }
        return x > t.atrHighPercent ? .high : x < t.atrLowPercent ? .low : .normal
    }

    private func direction(_ x: Double, _ threshold: Double) -> Reading {
        guard !x.isNaN else { return .unavailable }
        return x > threshold ? .rising : x < -threshold ? .falling : .flat
    }
}

/// A threshold as people write it: `70`, `0.1`.
func plain(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
}
