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
        }
        #expect(pair.isReady)
    }

    @Test func rejectsFastNotBelowSlow() {
        #expect(throws: DomainError.self) { _ = try MovingAveragePair(fast: 5, slow: 5) }
        #expect(throws: DomainError.self) { _ = try MovingAveragePair(fast: 0, slow: 5) }
    }
}
