#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import TraderCore

/// A Gaussian HMM fitted to a series' daily log returns and read as regimes: the statistical
/// counterpart of the threshold classifier.
///
/// Each state is labelled once, from its fitted parameters, with the same cuts as the
/// thresholds (`RegimeThresholds.classifyState`): its annualized volatility σ·√P against the
/// 25 % and 40 % bands, its annualized drift μ·P against ±5 % (μ·P is in the units of the
/// threshold trend, the mean daily log return times P), and crisis for a state at crisis
/// volatility with a strong bear drift. Two states may share a label.
///
/// Bar t's observation is the log return from bar t−1 to bar t, so bar 0 has no state.
/// `filteredStates` uses the forward filter (each bar decided from returns up to it, as a live
/// system would); `viterbiStates` is the most likely path with hindsight. The parameters
/// themselves are fitted on every return of the series given.
public struct HMMRegimes: Sendable {
    /// The fit: model, log-likelihood history, iterations.
    public let fit: HMMFit
    /// Bars per year used to annualize the states.
    public let periodsPerYear: Double
    /// The regime each state stands for.
    public let stateRegimes: [Regime]
    /// P(state | returns up to the bar) per bar; empty at bar 0.
    public let filtered: [[Double]]
    /// The most probable state by the filter per bar (nil at bar 0).
    public let filteredStates: [Int?]
    /// The Viterbi path per bar (nil at bar 0).
    public let viterbiStates: [Int?]

    /// Fits `fitter` to the log returns of `closes` and labels the states with `thresholds`.
    public init(closes: [Double], fitter: BaumWelch = BaumWelch(), thresholds: RegimeThresholds = RegimeThresholds()) throws(DomainError) {
        try thresholds.validate()
        let returns = Self.logReturns(closes)
        let fit = try fitter.fit(returns)
        self.fit = fit
        periodsPerYear = thresholds.periodsPerYear
        let model = fit.model
        stateRegimes = (0..<model.stateCount).map { j in
            thresholds.classifyState(volatility: model.variances[j].squareRoot() * thresholds.periodsPerYear.squareRoot(),
                                     drift: model.means[j] * thresholds.periodsPerYear)
        }
        var filter = HMMFilter(model: model)
        var filtered: [[Double]] = [[]]
        var states: [Int?] = [nil]
        filtered.reserveCapacity(closes.count)
        states.reserveCapacity(closes.count)
        for r in returns {
            filter.update(r)
            filtered.append(filter.probabilities)
            states.append(filter.mostLikelyState)
        }
        self.filtered = filtered
        filteredStates = states
        viterbiStates = [nil] + model.viterbi(returns).path.map { Optional($0) }
    }

    /// ln(close[t] / close[t−1]) for t ≥ 1.
    public static func logReturns(_ closes: [Double]) -> [Double] {
        guard closes.count > 1 else { return [] }
        return (1..<closes.count).map { log(closes[$0] / closes[$0 - 1]) }
    }

    /// The fitted model.
    public var model: GaussianHMM { fit.model }
    /// Annualized drift of `state`: its mean daily log return × `periodsPerYear`.
    public func annualizedDrift(_ state: Int) -> Double { model.means[state] * periodsPerYear }
    /// Annualized volatility of `state`: its standard deviation × √`periodsPerYear`.
    public func annualizedVolatility(_ state: Int) -> Double { model.variances[state].squareRoot() * periodsPerYear.squareRoot() }

    /// The regime of each bar by the filter (no lookahead within the fitted model).
    public var filteredRegimes: [Regime?] { filteredStates.map { $0.map { stateRegimes[$0] } } }
    /// The regime of each bar by the Viterbi path (hindsight).
    public var viterbiRegimes: [Regime?] { viterbiStates.map { $0.map { stateRegimes[$0] } } }
}
