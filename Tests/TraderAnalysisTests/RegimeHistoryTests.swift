import Testing
import TraderCore
@testable import TraderAnalysis

@Suite struct RegimeHistoryTests {
    // bq bq bv bv bv crisis bq — bq bq (a bar without regime at 7)
    let sequence: [Regime?] = [.bullQuiet, .bullQuiet, .bullVolatile, .bullVolatile, .bullVolatile, .crisis, .bullQuiet, nil, .bullQuiet, .bullQuiet]
    var timestamps: [Int64] { (0..<sequence.count).map { Int64($0) * Timestamp.nanosPerDay } }

    @Test func transitionMatrixOfAKnownSequence() {
        let h = RegimeHistory(regimes: sequence, timestamps: timestamps)
        let m = h.transitions
        let bq = Regime.bullQuiet.ordinal, bv = Regime.bullVolatile.ordinal, c = Regime.crisis.ordinal
        // Pairs (0,1) and (8,9) stay in bull-quiet; (1,2) bq→bv; (2,3),(3,4) stay; (4,5) bv→crisis;
        // (5,6) crisis→bq; (6,7) and (7,8) touch the missing bar and are not counted.
        #expect(m.count(from: bq, to: bq) == 2 && m.count(from: bq, to: bv) == 1)
        #expect(m.count(from: bv, to: bv) == 2 && m.count(from: bv, to: c) == 1)
        #expect(m.count(from: c, to: bq) == 1)
        #expect(m.total == 7)
        #expect(m.probability(from: bq, to: bq) == 2.0 / 3 && m.probability(from: bq, to: bv) == 1.0 / 3)
        #expect(m.probability(from: bv, to: bv) == 2.0 / 3 && m.probability(from: c, to: bq) == 1)
        #expect(m.probability(from: Regime.bearQuiet.ordinal, to: bq).isNaN)
        #expect(m.probabilityRows[bv] == [0, 2.0 / 3, 0, 0, 0, 0, 1.0 / 3])
        #expect(TransitionMatrix(sequence: sequence.map { $0?.ordinal }, size: 7) == m)
    }

    @Test func runsSharesAndChanges() {
        let h = RegimeHistory(regimes: sequence, timestamps: timestamps)
        #expect(h.runs.map(\.regime) == [.bullQuiet, .bullVolatile, .crisis, .bullQuiet, .bullQuiet])
        #expect(h.runs.map(\.length) == [2, 3, 1, 1, 2])
        #expect(h.runs[1].startBar == 2 && h.runs[1].endBar == 4 && h.runs[1].end == Timestamp(nanos: 4 * Timestamp.nanosPerDay))
        #expect(h.classifiedBars == 9)
        #expect(h.barCount(.bullQuiet) == 5 && h.share(.bullQuiet) == 5.0 / 9 && h.share(.crisis) == 1.0 / 9)
        #expect(h.runCount(.bullQuiet) == 3 && h.averageRunLength(.bullQuiet) == 5.0 / 3)
        #expect(h.averageRunLength(.bearQuiet).isNaN)
        // The missing bar is skipped by the change rule: bull-quiet at 8 is no change.
        #expect(h.changes.map(\.bar) == [0, 2, 5, 6])
        #expect(h.changes.map(\.from) == [nil, .bullQuiet, .bullVolatile, .crisis])
        #expect(h.changes.map(\.to) == [.bullQuiet, .bullVolatile, .crisis, .bullQuiet])
        #expect(h.last == .bullQuiet)
    }

    @Test func aRangeStartsFromTheRegimeInForce() {
        let h = RegimeHistory(regimes: sequence, timestamps: timestamps, range: 1..<6)
        #expect(h.classifiedBars == 5 && h.transitions.total == 4)
        #expect(h.runs.map(\.startBar) == [1, 2, 5])
        // Bar 1 continues bar 0's bull-quiet: no change there.
        #expect(h.changes.map(\.bar) == [2, 5])
        #expect(h.changes.first?.from == .bullQuiet)
    }

    @Test func monitorEmitsExactlyTheKnownChanges() throws {
        var monitor = try RegimeChangeMonitor()
        var emitted: [RegimeChange] = []
        for (i, close) in ConstructedSeries.closes.enumerated() {
            if let change = monitor.update(close: close, at: Timestamp(nanos: ConstructedSeries.timestamps[i])) { emitted.append(change) }
        }
        let expected = ConstructedSeries.changes
        #expect(emitted.count == expected.count)
        for (e, x) in zip(emitted, expected) {
            #expect(e.bar == x.0 && e.from == x.1 && e.to == x.2)
            #expect(e.timestamp == Timestamp(nanos: ConstructedSeries.timestamps[x.0]))
        }
        #expect(monitor.current == .sidewaysQuiet && monitor.latest.regime == .sidewaysQuiet)
        // The history reports the same changes from the classified series.
        let regimes = try ThresholdRegimeClassifier.regimes(closes: ConstructedSeries.closes)
        let history = RegimeHistory(regimes: regimes, timestamps: ConstructedSeries.timestamps)
        #expect(history.changes == emitted)
    }

    @Test func trackerReportsOnlyDifferences() {
        var tracker = RegimeChangeTracker()
        let t = Timestamp(nanos: 0)
        #expect(tracker.observe(nil, at: t) == nil)
        #expect(tracker.observe(.bearQuiet, at: t) == RegimeChange(bar: 1, timestamp: t, from: nil, to: .bearQuiet))
        #expect(tracker.observe(.bearQuiet, at: t) == nil)
        #expect(tracker.observe(nil, at: t) == nil)
        #expect(tracker.observe(.crisis, at: t)?.bar == 4)
    }

    @Test func agreementCountsHandChecked() {
        let a: [Regime?] = [nil, .bullQuiet, .bullQuiet, .bearVolatile, .crisis, .sidewaysQuiet]
        let b: [Regime?] = [.bullQuiet, .bullQuiet, .bullVolatile, .bearVolatile, .bearVolatile, nil]
        let g = RegimeAgreement(reference: a, other: b)
        // Compared: bars 1–4. Same: 1, 3. Same volatility axis: 1, 3, 4 (crisis counts as
        // volatile). Same direction: 1, 2, 3, 4 (crisis counts as bear).
        #expect(g.comparedBars == 4 && g.agreeingBars == 2 && g.agreement == 0.5)
        #expect(g.volatilityAgreement == 0.75 && g.directionAgreement == 1)
        #expect(g.count(reference: .bullQuiet, other: .bullVolatile) == 1)
        #expect(g.count(reference: .crisis, other: .bearVolatile) == 1)
        #expect(g.rows.flatMap { $0 }.reduce(0, +) == 4)
    }
}
