import Testing
@testable import TraderCore

@Suite struct MovingAveragePairTests {
    @Test(arguments: [(7, 19), (1, 2), (13, 150), (63, 64), (64, 65), (199, 200)])
    func bitIdenticalToTwoSMAs(periods: (Int, Int)) throws {
        var rng = SeededRandom(seed: 11)
        var pair = try MovingAveragePair(fast: periods.0, slow: periods.1)
        var fast = try SMA(period: periods.0), slow = try SMA(period: periods.1)
        var price = 100.0
        for i in 0..<5_000 {
            price *= 1 + 0.01 * rng.nextGaussian()
            pair.update(price)
            let f = fast.update(price), s = slow.update(price)
            #expect(pair.fast.bitPattern == f.bitPattern || (pair.fast.isNaN && f.isNaN), "fast at \(i)")
            #expect(pair.slow.bitPattern == s.bitPattern || (pair.slow.isNaN && s.isNaN), "slow at \(i)")
            #expect(pair.order == Self.compare(f, s), "order at \(i)")
        }
        #expect(pair.isReady)
    }

    /// What comparing the two values says (both comparisons are false for NaN and for equals).
    static func compare(_ f: Double, _ s: Double) -> MovingAveragePair.Order {
        f > s ? .above : f < s ? .below : .unordered
    }

    /// `order` decides from `a·q − b·p` except near ties; at and around ties (equal averages,
    /// quotients an ulp or a few apart) it must still agree with dividing and comparing.
    @Test func orderAgreesWithTheQuotientsAtNearTies() {
        var rng = SeededRandom(seed: 5)
        let periods: [(Double, Double)] = [(10, 20), (3, 7), (1, 2), (13, 150), (63, 64)]
        var checked = 0, ties = 0
        for (p, q) in periods {
            for _ in 0..<20_000 {
                let a = 100 * p * (1 + 0.5 * rng.nextGaussian())
                // b / q within a few ulps of a / p: the region where the fast test must defer.
                var b = a / p * q
                for _ in 0..<Int(rng.nextUniform() * 6) { b = rng.nextUniform() < 0.5 ? b.nextUp : b.nextDown }
                let want = Self.compare(a / p, b / q)
                #expect(MovingAveragePair.order(a, p, b, q) == want, "a \(a) p \(p) b \(b) q \(q)")
                if want == .unordered { ties += 1 }
                checked += 1
            }
        }
        #expect(ties > 1_000, "the cases must include exact ties of the quotients")
        // NaN and infinities compare as unordered / by the quotients.
        #expect(MovingAveragePair.order(.nan, 10, 1, 20) == .unordered)
        #expect(MovingAveragePair.order(.infinity, 10, 1, 20) == .above)
        #expect(MovingAveragePair.order(.greatestFiniteMagnitude, 10, .greatestFiniteMagnitude, 20) == .above)
        #expect(checked == 100_000)
    }

    /// Constant prices make the averages exactly equal: no order, so no crossover fires.
    @Test func equalAveragesAreUnordered() throws {
        var pair = try MovingAveragePair(fast: 3, slow: 5)
        for _ in 0..<10 { pair.update(100.25) }
        #expect(pair.fast == pair.slow)
        #expect(pair.order == .unordered)
    }

    @Test func rejectsFastNotBelowSlow() {
        #expect(throws: DomainError.self) { _ = try MovingAveragePair(fast: 5, slow: 5) }
        #expect(throws: DomainError.self) { _ = try MovingAveragePair(fast: 0, slow: 5) }
    }
}
