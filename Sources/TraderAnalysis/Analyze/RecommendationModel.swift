/// Turns the snapshot, the patterns and the strategy comparison into a recommendation.
///
/// Each component reduces its inputs to a number in [−1, 1] by a rule simple enough to check by
/// hand (signs, clamped ratios, zones); the score is the weighted sum, and the output lists every
/// component with its inputs, so a reader can see why the recommendation is what it is. The rules
/// are in docs/analysis.md.
public enum RecommendationModel {
    /// The recommendation as of bar `last`.
    public static func recommend(
        snapshot s: IndicatorSnapshot, patterns: [ChartPattern], comparison: StrategyComparison?, through last: Int,
        thresholds: ReadingThresholds = ReadingThresholds(), weights: RecommendationWeights = RecommendationWeights()
    ) -> Recommendation {
        let w = weights
        let components = [
            trend(s, weight: w.trend),
            momentum(s, weight: w.momentum),
            oscillators(s, thresholds, weight: w.oscillators),
            volume(s, weight: w.volume),
            patternComponent(patterns, through: last, recency: w.patternRecency, weight: w.patterns),
            strategy(comparison, weight: w.strategy),
        ]
        let score = components.reduce(0) { $0 + $1.contribution }
        let action = w.action(for: score)
        return Recommendation(action: action, score: score,
                              confidence: w.confidence(score: score, action: action, components: components),
                              coverage: components.filter(\.available).reduce(0) { $0 + $1.weight }, components: components)
    }

    /// Mean of the signs of close − SMA(20), close − SMA(50), close − SMA(200), SMA(50) − SMA(200)
    /// and EMA(12) − EMA(26), over those defined.
    static func trend(_ s: IndicatorSnapshot, weight: Double) -> RecommendationComponent {
        average("trend", weight: weight, [
            ("close vs SMA20", sign(s.close - s.sma20)), ("close vs SMA50", sign(s.close - s.sma50)),
            ("close vs SMA200", sign(s.close - s.sma200)), ("SMA50 vs SMA200", sign(s.sma50 - s.sma200)),
            ("EMA12 vs EMA26", sign(s.ema12 - s.ema26)),
        ])
    }

    /// Mean of clamp(MACD histogram / (0.25 · ATR)) and clamp((RSI − 50) / 20): momentum is the
    /// histogram measured in quarter ATRs and how far RSI sits from its midpoint.
    static func momentum(_ s: IndicatorSnapshot, weight: Double) -> RecommendationComponent {
        let macd = s.atr14 > 0 ? clamp(s.macdHistogram / (0.25 * s.atr14)) : .nan
        return average("momentum", weight: weight, [
            ("MACD histogram / (0.25 ATR)", macd), ("(RSI - 50) / 20", clamp((s.rsi14 - 50) / 20)),
        ])
    }

    /// Mean of three contrarian zone readings: RSI oversold +1 / overbought −1, stochastic %K
    /// likewise, Bollinger %B below 0 +1 / above 1 −1; 0 inside the zones.
    static func oscillators(_ s: IndicatorSnapshot, _ t: ReadingThresholds, weight: Double) -> RecommendationComponent {
        func zone(_ x: Double, oversold: Double, overbought: Double) -> Double {
            x.isNaN ? .nan : x <= oversold ? 1 : x >= overbought ? -1 : 0
        }
        let b = s.bollingerPercentB
        return average("oscillators", weight: weight, [
            ("RSI zone", zone(s.rsi14, oversold: t.rsiOversold, overbought: t.rsiOverbought)),
            ("stochastic %K zone", zone(s.stochasticK, oversold: t.stochasticOversold, overbought: t.stochasticOverbought)),
            ("Bollinger %B zone", b.isNaN ? .nan : b < 0 ? 1 : b > 1 ? -1 : 0),
        ])
    }

    /// The normalized OBV slope, clamped: accumulation (OBV rising) is bullish.
    static func volume(_ s: IndicatorSnapshot, weight: Double) -> RecommendationComponent {
        average("volume", weight: weight, [("OBV slope / mean volume", clamp(s.obvSlopeNormalized))])
    }

    /// Sum over the patterns ending in the last `recency` bars of bias (+1 bullish, −1 bearish)
    /// times 1 when confirmed or 0.5 while forming, clamped to [−1, 1].
    static func patternComponent(_ patterns: [ChartPattern], through last: Int, recency: Int, weight: Double) -> RecommendationComponent {
        let recent = patterns.filter { $0.endIndex > last - recency && $0.endIndex <= last }
        var sum = 0.0
        var parts: [String] = []
        for p in recent {
            let v = p.bias.sign * (p.status == .confirmed ? 1 : 0.5)
            sum += v
            parts.append("\(p.kind.rawValue) (\(p.status.rawValue)) \(short(v))")
        }
        let detail = recent.isEmpty ? "no pattern ended in the last \(recency) bars"
            : parts.joined(separator: ", ") + " → clamped sum"
        return RecommendationComponent(name: "patterns", value: clamp(sum), weight: weight, available: true, detail: detail)
    }

    /// The best strategy's latest signal (+1 buy, −1 sell, 0 none) when its score is positive; 0
    /// when no strategy scored above 0 (none has an edge worth following).
    static func strategy(_ comparison: StrategyComparison?, weight: Double) -> RecommendationComponent {
        guard let best = comparison?.best else {
            return RecommendationComponent(name: "strategy", value: 0, weight: weight, available: false, detail: "no strategy compared")
        }
        let name = best.spec.name
        guard best.score > 0 else {
            return RecommendationComponent(name: "strategy", value: 0, weight: weight, available: true,
                                           detail: "best strategy \(name) scored \(short(best.score)) <= 0: no edge")
        }
        let value: Double = best.lastSignal.map { Double($0.rawValue) } ?? 0
        let signal = best.lastSignal.map { "last signal \($0)" } ?? "no signal in the window"
        return RecommendationComponent(name: "strategy", value: value, weight: weight, available: true,
                                       detail: "best strategy \(name) (score \(short(best.score))), \(signal)")
    }

    /// The mean of the defined terms (unavailable when none is), with the terms in the detail.
    static func average(_ name: String, weight: Double, _ terms: [(String, Double)]) -> RecommendationComponent {
        let defined = terms.filter { !$0.1.isNaN }
        let value = defined.isEmpty ? 0 : defined.reduce(0) { $0 + $1.1 } / Double(defined.count)
        let parts = terms.map { "\($0.0) \($0.1.isNaN ? "n/a" : short($0.1))" }
        let detail = parts.joined(separator: ", ") + (defined.isEmpty ? " → unavailable" : " → mean of \(defined.count)")
        return RecommendationComponent(name: name, value: value, weight: weight, available: !defined.isEmpty, detail: detail)
    }

    /// +1, −1 or 0 by the sign; NaN stays NaN (undefined input).
    static func sign(_ x: Double) -> Double { x.isNaN ? .nan : x > 0 ? 1 : x < 0 ? -1 : 0 }

    /// `x` limited to [−1, 1]; NaN stays NaN.
    static func clamp(_ x: Double) -> Double { x.isNaN ? .nan : min(1, max(-1, x)) }

    /// `x` to three decimals with its sign (`+1`, `-0.217`, `0`), for the details.
    static func short(_ x: Double) -> String {
        let r = (x * 1000).rounded() / 1000
        return (r > 0 ? "+" : "") + plain(r)
    }
}
