import Testing
import TraderCore
import TraderData
@testable import TraderAnalysis

@Suite struct RegimeAnalysisTests {
    @Test func bothMethodsOverARange() throws {
        let series = try SyntheticBars.generate(symbol: "AN", bars: 1_000, seed: 8)
        let from = Timestamp(nanos: series.timestamps[400])
        let a = try RegimeAnalysis(series: series, from: from, method: .both)
        #expect(a.range == 400..<1_000)
        let history = try #require(a.thresholdHistory)
        #expect(history.classifiedBars == 600)  // warm-up (60 bars) lies before the range
        #expect(history.transitions.total == 599)
        let shares = Regime.allCases.map { history.share($0) }.reduce(0, +)
        #expect(abs(shares - 1) < 1e-12)
        let hmm = try #require(a.hmm)
        #expect(hmm.filtered.count == 1_000 && hmm.filteredStates[0] == nil && hmm.viterbiStates[1] != nil)
        #expect(hmm.stateRegimes.count == 3)
        #expect(try #require(a.agreement).comparedBars == 600)
        // The HMM's labels follow the same cuts as the thresholds.
        for j in 0..<3 {
            #expect(hmm.stateRegimes[j] == a.thresholds.classifyState(volatility: hmm.annualizedVolatility(j), drift: hmm.annualizedDrift(j)))
        }
    }

    @Test func thresholdsOnlyAndShortSeries() throws {
        let series = try SyntheticBars.generate(symbol: "SH", bars: 60, seed: 1)
        do {
            _ = try RegimeAnalysis(series: series, method: .threshold)
            Issue.record("60 bars cannot give a regime")
        } catch {
            if case let .invalid(field, reason) = error { #expect(field == "bars" && reason.contains("more than 60")) }
        }
        let longer = try SyntheticBars.generate(symbol: "SH", bars: 61, seed: 1)
        let a = try RegimeAnalysis(series: longer, method: .threshold)
        #expect(a.hmm == nil && a.agreement == nil && a.thresholdHistory?.classifiedBars == 1)
        let hmmOnly = try RegimeAnalysis(series: longer, method: .hmm, fitter: BaumWelch(states: 2))
        #expect(hmmOnly.readings == nil && hmmOnly.hmmHistory?.classifiedBars == 60)
    }
}
