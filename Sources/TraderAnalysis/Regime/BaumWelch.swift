#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import TraderCore

/// The result of fitting a `GaussianHMM`.
public struct HMMFit: Sendable {
    /// The fitted model, states ordered by increasing variance (state 0 is the calmest), so the
    /// same data always gives the same labels.
    public let model: GaussianHMM
    /// ln P(observations | model) before each M-step and after the last one, for the start that
    /// won: never decreasing (up to rounding), the EM guarantee.
    public let logLikelihoods: [Double]
    /// M-steps performed for the winning start.
    public let iterations: Int
    /// True when the last M-step improved the log-likelihood by less than the tolerance.
    public let converged: Bool
    /// Which of the starts won (0 = the first).
    public let start: Int
    /// Final log-likelihood of every start, in order.
    public let startLogLikelihoods: [Double]

    /// The log-likelihood of `model`.
    public var logLikelihood: Double { logLikelihoods.last ?? .nan }
}

/// Fits a `GaussianHMM` by Baum-Welch (expectation-maximization) with scaled forward-backward.
///
/// - E-step: the scaled forward recursion (`GaussianHMM.forwardStep`, shared with `HMMFilter`)
///   and a backward sweep give each bar's state probabilities γ and each pair's ξ; the
///   log-likelihood is Σ ln cₜ plus the density shifts.
/// - M-step: initial = γ₀; A[i][j] = Σξ(i,j) / Σⱼ Σξ(i,j); mean and variance of each state are
///   γ-weighted (two passes, so no precision is lost to cancellation); variances are kept above
///   `varianceFloor` × the sample variance, a constrained maximum that keeps the EM guarantee
///   and stops a state from collapsing onto one observation.
/// - Starts: `starts` deterministic initializations, each a k-means++ draw (from `SeededRandom`
///   with `seed`) refined by Lloyd iterations; the start with the highest final log-likelihood
///   wins. The same seed and data give the same fit on every platform run.
/// - Stops when an iteration improves the log-likelihood by less than `tolerance` per
///   observation, or after `maxIterations`.
public struct BaumWelch: Sendable, Hashable {
    /// Number of hidden states, K (default 3: calm, normal, turbulent).
    public var states: Int
    /// Most M-steps per start.
    public var maxIterations: Int
    /// Convergence threshold on the log-likelihood gain per observation.
    public var tolerance: Double
    /// Number of initializations tried.
    public var starts: Int
    /// Seed of the initializations.
    public var seed: UInt64
    /// Smallest variance a state may take, as a fraction of the sample variance.
    public var varianceFloor: Double

    public init(states: Int = 3, maxIterations: Int = 300, tolerance: Double = 1e-7, starts: Int = 4,
                seed: UInt64 = 42, varianceFloor: Double = 1e-4) {
        self.states = states
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.starts = starts
        self.seed = seed
        self.varianceFloor = varianceFloor
    }

    /// The valid range of the fitter's settings.
    public enum Limits {
        /// Hidden states (a one-state model is the plain Gaussian; `regime --states` takes 2 to 8).
        public static let states = Bounds.integers(1, 16, unit: "states")
        /// Baum-Welch iterations per start.
        public static let iterations = Bounds.integers(1, 100_000, unit: "iterations")
        /// Random initializations.
        public static let starts = Bounds.integers(1, 1_000, unit: "starts")
    }

    /// Observations needed per state: fewer leave a state's variance to chance.
    public static let observationsPerState = 10

    /// Checks every setting, naming the first that is wrong.
    public func validate() throws(DomainError) {
        try Limits.states.check(states, field: "states")
        try Limits.iterations.check(maxIterations, field: "maxIterations")
        guard tolerance >= 0, tolerance.isFinite else { throw .invalid(field: "tolerance", reason: "must be >= 0, got \(tolerance)") }
        try Limits.starts.check(starts, field: "starts")
        guard varianceFloor > 0, varianceFloor < 1 else {
            throw .invalid(field: "varianceFloor", reason: "must be in (0, 1), got \(varianceFloor)")
        }
    }

    /// Fits a model to `observations` (daily log returns for regimes). Throws when a setting is
    /// invalid, an observation is not finite, there are fewer than 10 observations per state,
    /// or all observations are equal.
    public func fit(_ observations: [Double]) throws(DomainError) -> HMMFit {
        try validate()
        let n = observations.count
        guard n >= Self.observationsPerState * states else {
            throw .invalid(field: "observations", reason: "need at least \(Self.observationsPerState * states) for \(states) states, got \(n)")
        }
        if let bad = observations.firstIndex(where: { !$0.isFinite }) {
            throw .invalid(field: "observations", reason: "value at index \(bad) is not finite (\(observations[bad]))")
        }
        return try fitChecked(observations)
    }

    private func fitChecked(_ x: [Double]) throws(DomainError) -> HMMFit {
        let mean = x.reduce(0, +) / Double(x.count)
        var variance = 0.0
        for v in x { variance += (v - mean) * (v - mean) }
        variance /= Double(x.count)
        guard variance > 0, x.contains(where: { $0 != x[0] }) else { throw .invalid(field: "observations", reason: "all \(x.count) values are equal; nothing to model") }
        let floor = variance * varianceFloor
        var best: HMMFit? = nil
        var finals: [Double] = []
        for s in 0..<starts {
            let start = initialModel(x, start: s, sampleVariance: variance, floor: floor)
            let fit = improve(start, on: x, floor: floor, startIndex: s)
            finals.append(fit.logLikelihood)
            if best == nil || fit.logLikelihood > best!.logLikelihood { best = fit }
        }
        let winner = best!
        return HMMFit(model: winner.model.sortedByVariance(), logLikelihoods: winner.logLikelihoods, iterations: winner.iterations,
                      converged: winner.converged, start: winner.start, startLogLikelihoods: finals)
    }

    /// Runs EM from `model` until convergence or `maxIterations`.
    func improve(_ model: GaussianHMM, on x: [Double], floor: Double, startIndex: Int) -> HMMFit {
        var model = model
        var workspace = Workspace(count: x.count, states: model.stateCount)
        var history: [Double] = []
        var converged = false
        var iterations = 0
        while true {
            let ll = workspace.expectation(model, x)
            if let previous = history.last, ll - previous < tolerance * Double(x.count) {
                history.append(ll)
                converged = true
                break
            }
            history.append(ll)
            if iterations == maxIterations { break }
            model = workspace.maximization(model, x, floor: floor)
            iterations += 1
        }
        return HMMFit(model: model, logLikelihoods: history, iterations: iterations, converged: converged,
                      start: startIndex, startLogLikelihoods: [])
    }

    /// Arrays of one E-step, allocated once per start.
    struct Workspace {
        let k: Int
        /// Forward probabilities, overwritten by γ during the backward sweep (T×K).
        var alpha: [Double]
        /// Relative emission densities (T×K).
        var b: [Double]
        /// Scale of each forward step.
        var c: [Double]
        /// Σₜ ξₜ(i, j) (K×K).
        var xi: [Double]
        var beta: [Double]
        var betaNext: [Double]
        var weights: [Double]

        init(count n: Int, states k: Int) {
            self.k = k
            alpha = [Double](repeating: 0, count: n * k)
            b = alpha
            c = [Double](repeating: 0, count: n)
            xi = [Double](repeating: 0, count: k * k)
            beta = [Double](repeating: 0, count: k)
            betaNext = beta
            weights = beta
        }

        /// Forward pass, then a backward sweep that leaves γ in `alpha` and Σξ in `xi`; returns
        /// the log-likelihood of `model`.
        mutating func expectation(_ model: GaussianHMM, _ x: [Double]) -> Double {
            let n = x.count
            var ll = 0.0
            for t in 0..<n {
                let shift = model.relativeDensities(x[t], into: &b, at: t * k)
                c[t] = model.forwardStep(alpha: &alpha, row: t, previous: t == 0 ? nil : t - 1, densities: b, at: t * k)
                ll += log(c[t]) + shift
            }
            for i in 0..<(k * k) { xi[i] = 0 }
            for i in 0..<k { betaNext[i] = 1 }
            // γ at n−1 is alpha at n−1 (β = 1).
            var t = n - 2
            while t >= 0 {
                let inverse = 1 / c[t + 1]
                for j in 0..<k { weights[j] = b[(t + 1) * k + j] * betaNext[j] * inverse }
                for i in 0..<k {
                    var s = 0.0
                    let a = alpha[t * k + i]
                    for j in 0..<k {
                        let w = model.transitions[i * k + j] * weights[j]
                        s += w
                        xi[i * k + j] += a * w
                    }
                    beta[i] = s
                }
                for i in 0..<k { alpha[t * k + i] *= beta[i] }
                swap(&beta, &betaNext)
                t -= 1
            }
            return ll
        }

        /// The M-step from the γ and Σξ of the last `expectation`.
        func maximization(_ model: GaussianHMM, _ x: [Double], floor: Double) -> GaussianHMM {
            let n = x.count
            var weight = [Double](repeating: 0, count: k)
            var sum = [Double](repeating: 0, count: k)
            for t in 0..<n {
                for j in 0..<k {
                    let g = alpha[t * k + j]
                    weight[j] += g
                    sum[j] += g * x[t]
                }
            }
            var means = model.means
            for j in 0..<k where weight[j] > 0 { means[j] = sum[j] / weight[j] }
            var squares = [Double](repeating: 0, count: k)
            for t in 0..<n {
                for j in 0..<k {
                    let d = x[t] - means[j]
                    squares[j] += alpha[t * k + j] * d * d
                }
            }
            var variances = model.variances
            for j in 0..<k where weight[j] > 0 { variances[j] = Swift.max(floor, squares[j] / weight[j]) }
            var transitions = model.transitions
            for i in 0..<k {
                var row = 0.0
                for j in 0..<k { row += xi[i * k + j] }
                guard row > 0 else { continue }
                for j in 0..<k { transitions[i * k + j] = xi[i * k + j] / row }
            }
            var initial = Array(alpha[0..<k])
            let total = initial.reduce(0, +)
            for j in 0..<k { initial[j] /= total }
            return GaussianHMM(unchecked: means, variances: variances, transitions: transitions, initial: initial)
        }
    }
}

extension GaussianHMM {
    /// The same model with states renumbered by increasing variance (ties by mean).
    func sortedByVariance() -> GaussianHMM {
        let order = (0..<stateCount).sorted { (variances[$0], means[$0], $0) < (variances[$1], means[$1], $1) }
        var transitions = [Double](repeating: 0, count: stateCount * stateCount)
        for (newI, oldI) in order.enumerated() {
            for (newJ, oldJ) in order.enumerated() {
                transitions[newI * stateCount + newJ] = transition(from: oldI, to: oldJ)
            }
        }
        return GaussianHMM(unchecked: order.map { means[$0] }, variances: order.map { variances[$0] },
                           transitions: transitions, initial: order.map { initial[$0] })
    }
}
