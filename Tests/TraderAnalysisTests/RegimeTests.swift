import Testing
@testable import TraderAnalysis

@Suite struct RegimeTests {
    @Test func sizeMultipliersFollowBotV2() {
        #expect(Regime.allCases.count == 7)
        #expect(Regime.bullQuiet.sizeMultiplier == 1.2 && Regime.crisis.sizeMultiplier == 0.2)
        #expect(Regime(rawValue: "sideways-volatile") == .sidewaysVolatile)
    }
}
