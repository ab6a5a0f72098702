import Testing
import TraderAnalysis
import TraderCore

/// Each pattern on a hand-drawn series where it is known to sit at known bars (the expected
/// bars and prices below are worked out by hand from the waypoints and the documented rules),
/// and a near miss where it must not be found.
@Suite struct ChartPatternTests {
    let detector = try! PatternDetector()

    func patterns(_ waypoints: [(Int, Double)], through last: Int? = nil) throws -> [ChartPattern] {
        let series = try Path.bars(waypoints)
        return try detector.detect(in: series, through: last ?? series.count - 1)
    }

    // Peaks at bars 20 (high 120.2) and 50 (120.7), trough at 35 (low 107.8). The fall after bar 50
    // loses 1.025 a bar: close 108.2 at bar 62, 107.175 at 63, the first close below 107.8.
    static let doubleTop: [(Int, Double)] = [(0, 100), (20, 120), (35, 108), (50, 120.5), (70, 100), (80, 104)]

    @Test func doubleTopIsFoundAtItsBars() throws {
        let found = try patterns(Self.doubleTop).filter { $0.kind == .doubleTop }
        #expect(found.count == 1)
        let p = try #require(found.first)
        #expect(p.pointBars == [20, 35, 50, 63])
        #expect(p.roles == ["first-peak", "neckline", "second-peak", "breakout"])
        #expect(p.points.map(\.price).prefix(3).elementsEqual([120.2, 107.8, 120.7]) { abs($0 - $1) < 1e-9 })
        #expect(p.startIndex == 20 && p.endIndex == 63 && p.status == .confirmed && p.bias == .bearish)
        // Neckline minus the peaks' mean height above it: 107.8 − (120.45 − 107.8).
        #expect(close(p.target, 95.15))
        #expect(p.detectedAt == 63)
        #expect(p.startTime == Timestamp(year: 2020, month: 1, day: 21))
    }

    @Test func doubleTopIsFormingBeforeTheBreakoutAndUnknownBeforeTheSecondPeakIsConfirmed() throws {
        // The second peak (bar 50) is a swing high only once bars 51...55 are seen.
        #expect(try patterns(Self.doubleTop, through: 54).filter { $0.kind == .doubleTop }.isEmpty)
        let forming = try #require(try patterns(Self.doubleTop, through: 60).first { $0.kind == .doubleTop })
        #expect(forming.status == .forming && forming.endIndex == 50 && forming.detectedAt == 55)
        #expect(forming.pointBars == [20, 35, 50])
    }

    @Test func peaksTooFarApartInPriceAreNoDoubleTop() throws {
        // Second peak 126.2 is 5 % above the first: beyond the 3 % tolerance.
        let waypoints: [(Int, Double)] = [(0, 100), (20, 120), (35, 108), (50, 126), (70, 100), (80, 104)]
        #expect(try patterns(waypoints).filter { $0.kind == .doubleTop }.isEmpty)
    }

    @Test func doubleBottomIsFoundAtItsBars() throws {
        // The double top reflected: troughs 99.8 (bar 20) and 99.3 (bar 50), neckline 112.2 (bar
        // 35); the rise after bar 50 first closes above 112.2 at bar 63 (112.825).
        let found = try patterns(Path.mirrored(Self.doubleTop)).filter { $0.kind == .doubleBottom }
        #expect(found.count == 1)
        let p = try #require(found.first)
        #expect(p.pointBars == [20, 35, 50, 63] && p.status == .confirmed && p.bias == .bullish)
        #expect(p.points.map(\.price).prefix(3).elementsEqual([99.8, 112.2, 99.3]) { abs($0 - $1) < 1e-9 })
        #expect(close(p.target, 112.2 + (112.2 - 99.55)))
    }

    @Test func aDoubleBottomVoidedByANewLowIsNotReported() throws {
        // Same troughs, but after the second one price falls to a new low instead of breaking out.
        let waypoints: [(Int, Double)] = [(0, 120), (20, 100), (35, 112), (50, 99.5), (60, 105), (75, 90)]
        #expect(try patterns(waypoints).filter { $0.kind == .doubleBottom }.isEmpty)
    }

    // Shoulders 115.2 (bar 15) and 115.7 (bar 70), head 125.2 (bar 42), troughs 107.8 (bar 27) and
    // 108.3 (bar 57). Neckline 107.8 + (bar − 27) / 60; after bar 70 the close loses 1.025 a bar:
    // bar 76 closes 109.35 above the neckline (108.617), bar 77 closes 108.325 below it (108.633).
    static let headAndShoulders: [(Int, Double)] = [(0, 100), (15, 115), (27, 108), (42, 125), (57, 108.5), (70, 115.5), (90, 95), (100, 100)]

    @Test func headAndShouldersIsFoundAtItsBars() throws {
        let found = try patterns(Self.headAndShoulders).filter { $0.kind == .headAndShoulders }
        #expect(found.count == 1)
        let p = try #require(found.first)
        #expect(p.pointBars == [15, 27, 42, 57, 70, 77])
        #expect(p.roles == ["left-shoulder", "left-trough", "head", "right-trough", "right-shoulder", "breakout"])
        #expect(p.status == .confirmed && p.bias == .bearish && p.startIndex == 15 && p.endIndex == 77)
        // Neckline at the breakout (107.8 + 50/60) minus the head's height above the neckline
        // at the head (125.2 − (107.8 + 15/60)).
        #expect(close(p.target, 107.8 + 50.0 / 60 - (125.2 - 108.05)))
    }

    @Test func inverseHeadAndShouldersIsFoundAtItsBars() throws {
        let found = try patterns(Path.mirrored(Self.headAndShoulders)).filter { $0.kind == .inverseHeadAndShoulders }
        #expect(found.count == 1)
        let p = try #require(found.first)
        #expect(p.pointBars == [15, 27, 42, 57, 70, 77] && p.bias == .bullish && p.status == .confirmed)
        #expect(close(p.target, 112.2 - 50.0 / 60 + (112.2 - 0.25 - 94.8)))
    }

    @Test func aHeadNoHigherThanTheShouldersIsNoHeadAndShoulders() throws {
        // The "head" at 116 is less than 2 % above the right shoulder.
        let waypoints: [(Int, Double)] = [(0, 100), (15, 115), (27, 108), (42, 116), (57, 108.5), (70, 115.5), (90, 95), (100, 100)]
        #expect(try patterns(waypoints).filter { $0.kind == .headAndShoulders }.isEmpty)
    }

    // Highs 120.2 at bars 10, 30, 50 (a flat line); lows 104.8, 109.8, 113.8 at bars 20, 40, 60,
    // whose least-squares line is 100.4667 + 0.225 · bar. From bar 60 the close rises 1 a bar:
    // 120 at bar 66, 121 at bar 67, the first close above 120.2.
    static let ascending: [(Int, Double)] = [(0, 100), (10, 120), (20, 105), (30, 120), (40, 110), (50, 120), (60, 114), (75, 129)]

    @Test func ascendingTriangleIsFoundAtItsBars() throws {
        let found = try patterns(Self.ascending).filter { $0.kind == .ascendingTriangle }
        #expect(found.count == 1)
        let p = try #require(found.first)
        #expect(p.pointBars == [10, 20, 30, 40, 50, 60, 67])
        #expect(p.status == .confirmed && p.bias == .bullish && p.endIndex == 67)
        // Breakout close plus the height at the first touch: 120.2 − (100.4667 + 2.25).
        #expect(close(p.target, 121 + 120.2 - (328.4 / 3 - 9 + 2.25), 1e-9))
        #expect(try patterns(Self.ascending).filter { $0.kind == .doubleTop }.isEmpty, "the breakout voids the equal highs as double tops")
    }

    @Test func descendingTriangleIsTheMirrorImage() throws {
        let found = try patterns(Path.mirrored(Self.ascending)).filter { $0.kind == .descendingTriangle }
        let p = try #require(found.first)
        #expect(found.count == 1 && p.pointBars == [10, 20, 30, 40, 50, 60, 67] && p.bias == .bearish)
    }

    @Test func symmetricalTriangleTakesTheBreakoutsDirection() throws {
        // Highs 130.2, 125.2, 120.2 (bars 10, 30, 50) and lows 99.8, 104.8, 109.8 (20, 40, 60):
        // lines 132.7 − 0.25 · bar and 94.8 + 0.25 · bar. Rising 1 a bar from 110 at bar 60, the
        // close is 116 at bar 66 (line 116.2) and 117 at bar 67 (line 115.95).
        let waypoints: [(Int, Double)] = [(0, 110), (10, 130), (20, 100), (30, 125), (40, 105), (50, 120), (60, 110), (75, 125)]
        let found = try patterns(waypoints).filter { $0.kind == .symmetricalTriangle }
        #expect(found.count == 1)
        let p = try #require(found.first)
        #expect(p.pointBars == [10, 20, 30, 40, 50, 60, 67] && p.bias == .bullish && p.status == .confirmed)
        #expect(close(p.target, 117 + 32.9, 1e-9))
        // Before the breakout it is forming and neutral.
        let forming = try #require(try patterns(waypoints, through: 66).first { $0.kind == .symmetricalTriangle })
        #expect(forming.status == .forming && forming.bias == .neutral && forming.endIndex == 60 && forming.target == nil)
    }

    @Test func parallelLinesAreNoTriangle() throws {
        // A horizontal range: highs 120.2 and lows 99.8 throughout, so the lines never converge.
        let waypoints: [(Int, Double)] = [(0, 110), (10, 120), (20, 100), (30, 120), (40, 100), (50, 120), (60, 100), (70, 110)]
        let kinds: Set<PatternKind> = [.ascendingTriangle, .descendingTriangle, .symmetricalTriangle]
        #expect(try patterns(waypoints).filter { kinds.contains($0.kind) }.isEmpty)
    }

    // Pole: swing low 99.8 (bar 10) to swing high 115.2 (bar 20), +15.4 %. Flag: closes fall 0.4 a
    // bar to 111 at bar 30 (a 4.4 pullback, under half the pole), a channel 0.4 wide. Bar 31 closes
    // 112, above the channel's upper line (110.8 there).
    static let bullFlag: [(Int, Double)] = [(0, 105), (10, 100), (20, 115), (30, 111), (45, 126)]

    @Test func bullFlagIsFoundAtItsBars() throws {
        let found = try patterns(Self.bullFlag).filter { $0.kind == .bullFlag }
        #expect(found.count == 1)
        let p = try #require(found.first)
        #expect(p.pointBars == [10, 20, 30, 31])
        #expect(p.roles == ["pole-start", "pole-top", "flag-end", "breakout"])
        #expect(p.startIndex == 10 && p.endIndex == 31 && p.status == .confirmed && p.bias == .bullish)
        #expect(close(p.target, 112 + 15.4))
    }

    @Test func bullFlagIsFormingInsideItsChannel() throws {
        // As of bar 28 the consolidation (bars 21...28) is 8 bars long with no breakout yet.
        let p = try #require(try patterns(Self.bullFlag, through: 28).first { $0.kind == .bullFlag })
        #expect(p.status == .forming && p.endIndex == 28 && p.pointBars == [10, 20, 28])
    }

    @Test func bearFlagIsTheMirrorImage() throws {
        let found = try patterns(Path.mirrored(Self.bullFlag)).filter { $0.kind == .bearFlag }
        let p = try #require(found.first)
        #expect(found.count == 1 && p.pointBars == [10, 20, 30, 31] && p.bias == .bearish)
        #expect(close(p.target, 108 - 15.4))
    }

    @Test func aPullbackOfMoreThanHalfThePoleIsNoFlag() throws {
        // The consolidation falls to 105: a pullback of 10.2 on a 15.4 pole.
        let waypoints: [(Int, Double)] = [(0, 105), (10, 100), (20, 115), (30, 105), (45, 126)]
        #expect(try patterns(waypoints).filter { $0.kind == .bullFlag }.isEmpty)
    }

    @Test func aStraightLineHasNoPatterns() throws {
        #expect(try patterns([(0, 100), (300, 160)]).isEmpty)
    }

    @Test func badToleranceNamesTheField() {
        var p = PatternParameters()
        p.minFlagBars = 1
        #expect(throws: DomainError.invalid(field: "min-flag-bars", reason: "must be >= 2, got 1")) { try PatternDetector(parameters: p) }
        p = PatternParameters()
        p.peakTolerance = -0.1
        let error = #expect(throws: DomainError.self) { try PatternDetector(parameters: p) }
        #expect(error?.description.hasPrefix("invalid peak-tolerance:") == true)
    }
}
