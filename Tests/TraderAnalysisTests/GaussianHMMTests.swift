import Foundation
import Testing
import TraderCore
@testable import TraderAnalysis

@Suite struct GaussianHMMTests {
    /// ln N(x; μ, 1), written out.
    func lnN(_ x: Double, _ mu: Double) -> Double { -0.5 * log(2 * Double.pi) - (x - mu) * (x - mu) / 2 }

    func twoState(stay: Double) throws -> GaussianHMM {
        try GaussianHMM(means: [0, 10], variances: [1, 1], transitions: [[stay, 1 - stay], [1 - stay, stay]], initial: [0.5, 0.5])
    }

    /// Observations 0, 5.2, 0 under means 0 and 10 (unit variances): 5.2 favours state 1 by
    /// (5.2² − 4.8²)/2 = 2.0 nats. Visiting it costs two switches: ln(0.3²/0.7²) = −1.69 nats
    /// when P(stay) = 0.7, so the path is 0,1,0; ln(0.2²/0.8²) = −2.77 nats when P(stay) = 0.8,
    /// so the path stays 0,0,0. Any path ending or starting in state 1 pays ≥ 50 nats.
    @Test func viterbiOnAHandComputedExample() throws {
        let x = [0, 5.2, 0]
        let loose = try twoState(stay: 0.7).viterbi(x)
        #expect(loose.path == [0, 1, 0])
        let expectedLoose = log(0.5) + lnN(0, 0) + log(0.3) + lnN(5.2, 10) + log(0.3) + lnN(0, 0)
        #expect(abs(loose.logProbability - expectedLoose) < 1e-12)
        let sticky = try twoState(stay: 0.8).viterbi(x)
        #expect(sticky.path == [0, 0, 0])
        let expectedSticky = log(0.5) + lnN(0, 0) + log(0.8) + lnN(5.2, 0) + log(0.8) + lnN(0, 0)
        #expect(abs(sticky.logProbability - expectedSticky) < 1e-12)
    }

    /// The scaled forward recursion gives ln Σ over all 8 paths of the joint probability.
    @Test func likelihoodEqualsTheSumOverAllPaths() throws {
        let model = try GaussianHMM(means: [0.5, -1], variances: [1, 4], transitions: [[0.9, 0.1], [0.3, 0.7]], initial: [0.6, 0.4])
        let x = [0.3, -2.0, 1.1]
        func density(_ x: Double, _ s: Int) -> Double {
            let v = model.variances[s]
            return exp(-(x - model.means[s]) * (x - model.means[s]) / (2 * v)) / (2 * Double.pi * v).squareRoot()
        }
        var total = 0.0
        for a in 0..<2 { for b in 0..<2 { for c in 0..<2 {
            total += model.initial[a] * density(x[0], a) * model.transition(from: a, to: b) * density(x[1], b)
                * model.transition(from: b, to: c) * density(x[2], c)
        } } }
        #expect(abs(model.logLikelihood(x) - log(total)) < 1e-12)
        // Filtered probability of the last state: the paths ending there over all paths.
        var endingIn0 = 0.0
        for a in 0..<2 { for b in 0..<2 {
            endingIn0 += model.initial[a] * density(x[0], a) * model.transition(from: a, to: b) * density(x[1], b)
                * model.transition(from: b, to: 0) * density(x[2], 0)
        } }
        #expect(abs(model.filteredProbabilities(x)[2][0] - endingIn0 / total) < 1e-12)
    }

    static let truth: GaussianHMM = try! GaussianHMM(
        means: [0.0005, -0.001], variances: [0.008 * 0.008, 0.025 * 0.025],
        transitions: [[0.98, 0.02], [0.04, 0.96]], initial: [0.5, 0.5])

    @Test func baumWelchRecoversAKnownModel() throws {
        var random = SeededRandom(seed: 2024)
        let (states, x) = Self.truth.sample(count: 8_000, using: &random)
        let fit = try BaumWelch(states: 2, seed: 7).fit(x)
        let m = fit.model
        #expect(fit.converged)
        // Standard errors: 0.008/√5300 ≈ 1.1e-4 and 0.025/√2700 ≈ 4.8e-4; tolerances ≈ 3–4 of them.
        #expect(abs(m.means[0] - 0.0005) < 0.0004)
        #expect(abs(m.means[1] + 0.001) < 0.0015)
        #expect(abs(m.variances[0] / (0.008 * 0.008) - 1) < 0.08)
        #expect(abs(m.variances[1] / (0.025 * 0.025) - 1) < 0.08)
        #expect(abs(m.transition(from: 0, to: 0) - 0.98) < 0.01)
        #expect(abs(m.transition(from: 1, to: 1) - 0.96) < 0.015)
        // The decoded path finds the true states almost everywhere.
        let path = m.viterbi(x).path
        let hits = zip(path, states).filter { $0 == $1 }.count
        #expect(Double(hits) / Double(x.count) > 0.9)
        // EM never lowers the likelihood.
        for (a, b) in zip(fit.logLikelihoods, fit.logLikelihoods.dropFirst()) {
            #expect(b >= a - 1e-9 * abs(a), "log-likelihood fell from \(a) to \(b)")
        }
        #expect(fit.logLikelihood == fit.startLogLikelihoods.max())
        #expect(abs(fit.logLikelihood - m.logLikelihood(x)) < 1e-6 * abs(fit.logLikelihood))
    }

    @Test func fitIsDeterministicForASeed() throws {
        var random = SeededRandom(seed: 99)
        let x = Self.truth.sample(count: 1_500, using: &random).observations
        let a = try BaumWelch(states: 3, seed: 1).fit(x)
        let b = try BaumWelch(states: 3, seed: 1).fit(x)
        #expect(a.model == b.model && a.logLikelihoods == b.logLikelihoods)
        // States come out ordered by variance.
        #expect(a.model.variances == a.model.variances.sorted())
        for row in a.model.transitionRows { #expect(abs(row.reduce(0, +) - 1) < 1e-9) }
    }

    /// No lookahead: the filtered probabilities of bars 0…k do not change when later
    /// observations are added.
    @Test func filteredProbabilitiesIgnoreLaterObservations() {
        var random = SeededRandom(seed: 5)
        let x = Self.truth.sample(count: 600, using: &random).observations
        let full = Self.truth.filteredProbabilities(x)
        for k in [1, 2, 100, 333, 599] {
            let prefix = Self.truth.filteredProbabilities(Array(x[0..<k]))
            #expect(prefix == Array(full[0..<k]), "prefix \(k) differs")
        }
        var filter = HMMFilter(model: Self.truth)
        for v in x { filter.update(v) }
        #expect(filter.probabilities == full.last!)
        #expect(filter.logLikelihood == Self.truth.logLikelihood(x))
    }

    @Test func invalidInputsNameTheField() {
        func field(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch { if case let .invalid(f, _)? = error as? DomainError { return f }; return nil }
        }
        #expect(field { _ = try GaussianHMM(means: [0], variances: [0], transitions: [[1]], initial: [1]) } == "variances")
        #expect(field { _ = try GaussianHMM(means: [0, 1], variances: [1, 1], transitions: [[0.5, 0.4], [0.5, 0.5]], initial: [0.5, 0.5]) } == "transitions[0]")
        #expect(field { _ = try GaussianHMM(means: [0], variances: [1], transitions: [[1]], initial: [0.9]) } == "initial")
        #expect(field { _ = try BaumWelch(states: 3).fit([Double](repeating: 0.01, count: 29)) } == "observations")
        #expect(field { _ = try BaumWelch(states: 2).fit([Double](repeating: 0.01, count: 50)) } == "observations")
        #expect(field { _ = try BaumWelch(states: 0).fit([0.1, 0.2]) } == "states")
        #expect(field { _ = try BaumWelch(states: 1).fit([0.1, .nan] + [Double](repeating: 0, count: 20)) } == "observations")
    }
}
