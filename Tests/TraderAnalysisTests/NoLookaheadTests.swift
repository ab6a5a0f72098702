import Testing
import TraderAnalysis
import TraderCore
import TraderData

/// Analysing a series as of bar k must give exactly what analysing the series cut after bar k
/// gives: nothing after k may leak into the snapshot, the levels, the patterns, the comparison
/// or the recommendation.
@Suite struct NoLookaheadTests {
    static let series = try! SyntheticBars.generate(symbol: "LA", bars: 1_200, seed: 21, timeframe: .day1)

    /// `series` with every bar after `k` replaced by a wild one (a crash to a fifth of the price on
    /// huge volume): if anything read those bars, results would move.
    func withAlteredFuture(after k: Int) throws -> BarSeries {
        let s = Self.series
        func alter(_ column: BarColumn<Double>, _ f: (Double) -> Double) -> [Double] {
            column.enumerated().map { $0.offset > k ? f($0.element) : $0.element }
        }
        return try BarSeries(symbol: s.symbol, timeframe: s.timeframe, timestamps: s.timestamps.array,
                             open: alter(s.open) { $0 / 5 }, high: alter(s.high) { $0 / 5 }, low: alter(s.low) { $0 / 5 },
                             close: alter(s.close) { $0 / 5 }, volume: alter(s.volume) { $0 * 100 + 1 })
    }

    func expectSame(_ a: MarketAnalysis, _ b: MarketAnalysis) {
        #expect(a.index == b.index)
        #expect(a.snapshot == b.snapshot)
        #expect(a.readings == b.readings)
        #expect(a.levels == b.levels)
        #expect(a.patterns == b.patterns)
        // Scores may hold NaN (a Sharpe without trades), so compare their exact text.
        #expect("\(a.comparison.scores)" == "\(b.comparison.scores)")
        #expect(a.comparison.startIndex == b.comparison.startIndex && a.comparison.endIndex == b.comparison.endIndex)
        #expect(a.recommendation == b.recommendation)
    }

    @Test(arguments: [260, 640, 1_031])
    func analysisAsOfKEqualsTheTruncatedSeries(k: Int) throws {
        let asOf = try MarketAnalyzer.analyze(Self.series, asOf: k)
        let truncated = try MarketAnalyzer.analyze(Self.series.slice(0..<(k + 1)))
        expectSame(asOf, truncated)
        expectSame(asOf, try MarketAnalyzer.analyze(withAlteredFuture(after: k), asOf: k))
        #expect(!asOf.snapshot.obvSlopeNormalized.isNaN && !asOf.snapshot.sma200.isNaN)
    }

    @Test func everyPatternAsOfKIsBuiltFromBarsUpToK() throws {
        let detector = try PatternDetector()
        var seen = 0
        for waypoints in [ChartPatternTests.doubleTop, ChartPatternTests.headAndShoulders, ChartPatternTests.ascending,
                          ChartPatternTests.bullFlag] {
            let series = try Path.bars(waypoints)
            for k in 0..<series.count {
                let asOf = try detector.detect(in: series, through: k)
                #expect(try asOf == detector.detect(in: series.slice(0..<(k + 1)), through: k))
                for p in asOf {
                    #expect(p.detectedAt <= k && p.endIndex <= k && p.points.allSatisfy { $0.index <= k })
                }
                seen += asOf.count
            }
        }
        #expect(seen > 0)
    }

    @Test func patternsOnALongSeriesDoNotDependOnLaterBars() throws {
        let detector = try PatternDetector()
        let full = try detector.detect(in: Self.series, through: Self.series.count - 1)
        #expect(!full.isEmpty, "the synthetic series should show some patterns")
        for k in stride(from: 300, to: 1_200, by: 97) {
            let altered = try withAlteredFuture(after: k)
            #expect(try detector.detect(in: Self.series, through: k) == detector.detect(in: altered, through: k))
        }
    }

    @Test func badAsOfNamesTheField() throws {
        let error = #expect(throws: DomainError.self) { try MarketAnalyzer.analyze(Self.series, asOf: 1_200) }
        #expect(error?.description.hasPrefix("invalid as-of:") == true)
        #expect(MarketAnalyzer.index(asOf: Timestamp(year: 1900, month: 1, day: 1), in: Self.series) == nil)
        #expect(MarketAnalyzer.index(asOf: Timestamp(nanos: Self.series.timestamps[10] + 1), in: Self.series) == 10)
    }
}
