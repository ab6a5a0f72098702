import Testing
import TraderAnalysis
import TraderCore
import TraderData
import TraderEngine

/// The recommendation is a weighted sum of named components; these tests check the sum, the
/// bands, the confidence formula and each component's rule on hand-made inputs.
@Suite struct RecommendationTests {
    let weights = RecommendationWeights()

    func components(_ values: [Double], available: [Bool]? = nil) -> [RecommendationComponent] {
        zip(weights.all, values).enumerated().map { i, pair in
            RecommendationComponent(name: pair.0.name, value: pair.1, weight: pair.0.weight,
                                    available: available?[i] ?? true, detail: "")
        }
    }

    @Test func componentsSumToTheScore() throws {
        let series = try SyntheticBars.generate(symbol: "REC", bars: 900, seed: 11, timeframe: .day1)
        for k in [260, 500, 899] {
            let r = try MarketAnalyzer.analyze(series, asOf: k).recommendation
            #expect(r.components.map(\.name) == ["trend", "momentum", "oscillators", "volume", "patterns", "strategy"])
            var sum = 0.0
            for c in r.components {
                #expect(c.contribution == c.weight * c.value)
                #expect(c.value >= -1 && c.value <= 1)
                sum += c.weight * c.value
            }
            #expect(abs(r.score - sum) <= 1e-15)
            #expect(abs(r.components.reduce(0) { $0 + $1.weight } - 1) <= 1e-12)
            #expect(r.action == weights.action(for: r.score))
            #expect(r.confidence >= 0 && r.confidence <= 1)
        }
    }

    @Test func scoreBandsGiveTheAction() {
        #expect(weights.action(for: 0.5) == .strongBuy)
        #expect(weights.action(for: 0.49) == .buy && weights.action(for: 0.15) == .buy)
        #expect(weights.action(for: 0.149) == .hold && weights.action(for: -0.149) == .hold)
        #expect(weights.action(for: -0.15) == .sell && weights.action(for: -0.5) == .strongSell)
    }

    @Test func confidenceByHand() {
        // Trend and momentum fully bullish, the rest neutral: score 0.25 + 0.20 = 0.45, a buy;
        // agreement 0.45 / 0.45 = 1, margin 0.45 / 0.5 = 0.9, coverage 1 → (1 + 0.9) / 2.
        let buy = components([1, 1, 0, 0, 0, 0])
        #expect(abs(weights.confidence(score: 0.45, action: .buy, components: buy) - 0.95) < 1e-12)
        // Trend +1 against momentum −1: score 0.05, a hold; quiet 1 − 0.45 = 0.55, margin
        // 1 − 0.05 / 0.15 = 2/3 → (0.55 + 2/3) / 2.
        let mixed = components([1, -1, 0, 0, 0, 0])
        #expect(abs(weights.confidence(score: 0.05, action: .hold, components: mixed) - (0.55 + 2.0 / 3) / 2) < 1e-12)
        // Trend unavailable, everything else neutral: coverage 0.75, quiet 1, margin 1.
        let thin = components([0, 0, 0, 0, 0, 0], available: [false, true, true, true, true, true])
        #expect(abs(weights.confidence(score: 0, action: .hold, components: thin) - 0.75) < 1e-12)
    }

    @Test func componentsOfASteadyClimb() throws {
        // Close +0.5 a bar, range ± 0.2, constant volume. Trend: all five signs +1. Momentum: RSI
        // 100 gives +1 and the MACD histogram of a straight line tends to 0, so 0.5. Oscillators:
        // RSI ≥ 70 → −1, %K = 100 · 6.7 / 6.9 ≥ 80 → −1, %B = (4.75 + 2σ) / 4σ ≈ 0.90 with
        // σ = 0.5 · √35 (the sample std of 20 steps of 0.5), inside the bands → 0; so −2/3. Volume: OBV grows by the volume every bar → +1. Patterns:
        // a straight line has no swing points → 0.
        let series = try Path.bars([(0, 100), (300, 250)])
        let a = try MarketAnalyzer.analyze(series)
        let byName = Dictionary(uniqueKeysWithValues: a.recommendation.components.map { ($0.name, $0) })
        #expect(byName["trend"]?.value == 1)
        #expect(close(byName["momentum"]?.value, 0.5, 1e-6))
        #expect(close(byName["oscillators"]?.value, -2.0 / 3, 1e-12))
        #expect(close(byName["volume"]?.value, 1, 1e-12))
        #expect(byName["patterns"]?.value == 0)
        // Strategy: the best strategy's last signal when its score is positive, else 0.
        let best = try #require(a.comparison.best)
        let expected = best.score > 0 ? Double(best.lastSignal?.rawValue ?? 0) : 0
        #expect(byName["strategy"]?.value == expected)
        #expect(close(a.recommendation.score, 0.25 + 0.2 * 0.5 - 0.15 * 2 / 3 + 0.1 + 0.15 * expected, 1e-6))
    }

    @Test func patternComponentWeighsRecentPatternsByStatus() throws {
        // The double top of ChartPatternTests: forming as of bar 60, confirmed at bar 63.
        let series = try Path.bars(ChartPatternTests.doubleTop)
        let detector = try PatternDetector()
        func component(_ k: Int) throws -> Double {
            let snapshot = try IndicatorSnapshot(series: series, through: k)
            let r = RecommendationModel.recommend(snapshot: snapshot, patterns: try detector.detect(in: series, through: k),
                                                  comparison: nil, through: k)
            return try #require(r.components.first { $0.name == "patterns" }).value
        }
        #expect(try component(60) == -0.5)  // forming, bearish
        #expect(try component(70) == -1)    // confirmed at 63, within 20 bars
        // Without a comparison the strategy component is unavailable.
        let snapshot = try IndicatorSnapshot(series: series, through: 70)
        let r = RecommendationModel.recommend(snapshot: snapshot, patterns: [], comparison: nil, through: 70)
        #expect(r.components.last?.available == false && r.coverage < 1)
    }

    @Test func weightsMustSumToOne() {
        var w = RecommendationWeights()
        w.trend = 0.5
        let error = #expect(throws: DomainError.self) { try w.validate() }
        #expect(error?.description.hasPrefix("invalid weights:") == true)
        w = RecommendationWeights()
        w.strongThreshold = 0.1
        #expect(throws: DomainError.self) { try w.validate() }
    }
}
