import Testing
import TraderCore
@testable import TraderAnalysis

@Suite struct TierTests {
    @Test func tierOfEquity() {
        let cases: [(Double, CapitalTier)] = [
            (-5, .micro), (0, .micro), (500, .micro), (2_499.99, .micro), (2_500, .small), (9_999.99, .small),
            (10_000, .medium), (24_999.99, .medium), (25_000, .large), (1_000_000, .large),
        ]
        for (equity, tier) in cases { #expect(CapitalTier.tier(for: equity) == tier, "\(equity)") }
        #expect(CapitalTier.tier(for: .nan) == .micro)
        #expect(CapitalTier.small.rangeDescription == "2,500 – 10,000" && CapitalTier.large.rangeDescription == ">= 25,000")
        #expect(CapitalTier.micro.next == .small && CapitalTier.large.next == nil && CapitalTier.micro.previous == nil)
    }

    /// Days from 2024-01-01, one observation per day.
    func day(_ i: Int) -> Timestamp { Timestamp(nanos: Timestamp(year: 2024, month: 1, day: 1).nanos + Int64(i) * Timestamp.nanosPerDay) }

    func track(_ equities: [Double], start: Double, hysteresis: TierHysteresis = .standard) -> TierTracker {
        var tracker = TierTracker(initialEquity: start, hysteresis: hysteresis)
        for (i, e) in equities.enumerated() { tracker.update(equity: e, at: day(i)) }
        return tracker
    }

    @Test func oscillationInsideTheBufferNeverFlips() {
        // Around the 10,000 boundary, the band is [9,500, 10,500): starting on either side, the
        // tier stays put while equity wobbles inside it.
        let wobble: [Double] = [9_600, 10_400, 9_550, 10_490, 9_501, 10_499.99, 9_900, 10_100]
        #expect(track(wobble, start: 10_000).changes.isEmpty)
        #expect(track(wobble, start: 10_000).tier == .medium)
        #expect(track(wobble, start: 9_800).changes.isEmpty)
        #expect(track(wobble, start: 9_800).tier == .small)
        // Without a buffer the same path flips on every step across 10,000.
        let plain = track(wobble, start: 10_000, hysteresis: try! TierHysteresis(bufferPct: 0))
        #expect(plain.changes.count == 8)
    }

    @Test func crossingTheBufferFlipsExactlyOnce() {
        let path: [Double] = [9_800, 10_400, 10_500, 10_300, 9_600, 10_450, 9_500]
        let tracker = track(path, start: 9_800)
        #expect(tracker.changes.count == 1)
        let change = tracker.changes[0]
        #expect(change.from == .small && change.to == .medium && change.equity == 10_500 && change.time == day(2))
        #expect(tracker.tier == .medium)  // 9,500 is not below 10,000 × 0.95
        // One more step down does it.
        var t = tracker
        #expect(t.update(equity: 9_499, at: day(7)) == TierChange(time: day(7), from: .medium, to: .small, equity: 9_499))
    }

    @Test func largeMovesJumpSeveralTiersInOneChange() {
        let h = TierHysteresis.standard
        #expect(h.target(from: .micro, equity: 30_000) == .large)
        #expect(h.target(from: .micro, equity: 26_000) == .medium)  // 26,000 < 25,000 × 1.05
        #expect(h.target(from: .large, equity: 9_000) == .small)
        #expect(h.target(from: .medium, equity: 2_450) == .small)   // not below 2,500 × 0.95 = 2,375
        #expect(h.target(from: .medium, equity: 2_300) == .micro)
        #expect(h.target(from: .large, equity: 23_800) == .large)   // 23,750 is the line
        #expect(h.target(from: .large, equity: 23_700) == .medium)
        let tracker = track([30_000], start: 1_000)
        #expect(tracker.changes == [TierChange(time: day(0), from: .micro, to: .large, equity: 30_000)])
    }

    @Test func zeroBufferFollowsThePlainTier() {
        let h = try! TierHysteresis(bufferPct: 0)
        var tracker = TierTracker(initialEquity: 1_000, hysteresis: h)
        var equity = 1_000.0
        for i in 0..<400 {
            equity *= i % 7 < 4 ? 1.03 : 0.96
            tracker.update(equity: equity, at: day(i))
            #expect(tracker.tier == CapitalTier.tier(for: equity), "day \(i), equity \(equity)")
        }
    }

    @Test func minimumDaysInTierDelaysAChange() {
        let h = try! TierHysteresis(bufferPct: 5, minDaysInTier: 5)
        var tracker = TierTracker(initialEquity: 9_000, hysteresis: h, start: day(0))
        #expect(tracker.update(equity: 11_000, at: day(1)) == nil)
        #expect(tracker.update(equity: 11_000, at: day(4)) == nil)
        #expect(tracker.update(equity: 11_000, at: day(5))?.to == .medium)
        // The stay restarts with the change: a fall soon after waits too.
        #expect(tracker.update(equity: 5_000, at: day(9)) == nil)
        #expect(tracker.update(equity: 9_600, at: day(10)) == nil)  // no longer due
        #expect(tracker.update(equity: 5_000, at: day(10))?.to == .small)
        #expect(tracker.changes.count == 2)
    }

    @Test func invalidHysteresisNamesTheField() {
        #expect(throws: DomainError.invalid(field: "buffer_pct", reason: "must be in [0, 50), got 60")) { try TierHysteresis(bufferPct: 60) }
        #expect(throws: DomainError.invalid(field: "min_days_in_tier", reason: "must be >= 0, got -1")) { try TierHysteresis(minDaysInTier: -1) }
    }
}
