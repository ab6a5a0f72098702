#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import TraderCore

/// A hidden Markov model with one Gaussian emission per state: the statistical regime model.
///
/// Daily log returns are drawn from the normal distribution of a hidden state (a calm state with
/// small variance, a turbulent one with large variance, ...), and the state follows a Markov
/// chain. Unlike the thresholds, nothing is cut by hand: `BaumWelch` fits the means, variances
/// and switching probabilities to the data, `viterbi` gives the most likely state path with
/// hindsight, and `HMMFilter` gives each bar's state probabilities from the bars up to it only.
///
/// Parameters are validated at construction; the derived constants of the densities are
/// computed once.
public struct GaussianHMM: Sendable, Hashable {
    /// Number of hidden states, K.
    public let stateCount: Int
    /// Mean of each state's emission.
    public let means: [Double]
    /// Variance of each state's emission (> 0).
    public let variances: [Double]
    /// Row-major K×K transition probabilities: `transitions[i * K + j]` = P(next j | now i).
    public let transitions: [Double]
    /// Probability of each state at the first observation.
    public let initial: [Double]
    /// `−½ ln(2πσ²)` per state.
    let logNormalizers: [Double]
    /// `1 / (2σ²)` per state.
    let halfPrecisions: [Double]

    /// A model; throws naming the field when a variance is not positive, a probability is
    /// negative, a row of `transitions` or `initial` does not sum to 1 (within 1e-9), or the
    /// sizes disagree.
    public init(means: [Double], variances: [Double], transitions: [[Double]], initial: [Double]) throws(DomainError) {
        let k = means.count
        guard k > 0 else { throw .invalid(field: "means", reason: "need at least one state") }
        guard means.allSatisfy(\.isFinite) else { throw .invalid(field: "means", reason: "must be finite") }
        guard variances.count == k else { throw .invalid(field: "variances", reason: "need \(k) values, got \(variances.count)") }
        guard variances.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalid(field: "variances", reason: "must be finite and > 0, got \(variances)")
        }
        guard transitions.count == k, transitions.allSatisfy({ $0.count == k }) else {
            throw .invalid(field: "transitions", reason: "must be \(k)×\(k)")
        }
        for (i, row) in transitions.enumerated() {
            try Self.checkDistribution(row, field: "transitions[\(i)]")
        }
        guard initial.count == k else { throw .invalid(field: "initial", reason: "need \(k) values, got \(initial.count)") }
        try Self.checkDistribution(initial, field: "initial")
        self.init(unchecked: means, variances: variances, transitions: transitions.flatMap { $0 }, initial: initial)
    }

    /// A model from parameters the caller guarantees valid (the fitter's M-step).
    init(unchecked means: [Double], variances: [Double], transitions: [Double], initial: [Double]) {
        stateCount = means.count
        self.means = means
        self.variances = variances
        self.transitions = transitions
        self.initial = initial
        logNormalizers = variances.map { -0.5 * log(2 * Double.pi * $0) }
        halfPrecisions = variances.map { 0.5 / $0 }
    }

    private static func checkDistribution(_ p: [Double], field: String) throws(DomainError) {
        guard p.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw .invalid(field: field, reason: "probabilities must be >= 0, got \(p)") }
        let sum = p.reduce(0, +)
        guard abs(sum - 1) <= 1e-9 else { throw .invalid(field: field, reason: "must sum to 1, sums to \(sum)") }
    }

    /// P(next state `to` | state `from`).
    public func transition(from: Int, to: Int) -> Double { transitions[from * stateCount + to] }

    /// The transition probabilities as rows.
    public var transitionRows: [[Double]] {
        (0..<stateCount).map { Array(transitions[($0 * stateCount)..<($0 * stateCount + stateCount)]) }
    }

    /// Standard deviation of each state's emission.
    public var standardDeviations: [Double] { variances.map { $0.squareRoot() } }

    /// Expected number of consecutive observations in `state` once entered: 1 / (1 − P(stay)).
    public func expectedDuration(_ state: Int) -> Double { 1 / (1 - transition(from: state, to: state)) }

    /// ln of the emission density of `x` in `state`.
    @inline(__always)
    public func logDensity(_ x: Double, state: Int) -> Double {
        let d = x - means[state]
        return logNormalizers[state] - d * d * halfPrecisions[state]
    }

    /// ln P(observations | model), by the scaled forward recursion.
    public func logLikelihood(_ observations: [Double]) -> Double {
        var filter = HMMFilter(model: self)
        for x in observations { filter.update(x) }
        return filter.logLikelihood
    }

    /// P(state at t | observations 0...t) for every t: the forward (filtering) probabilities,
    /// which use no later observation.
    public func filteredProbabilities(_ observations: [Double]) -> [[Double]] {
        var filter = HMMFilter(model: self)
        return observations.map { filter.update($0); return filter.probabilities }
    }

    /// The most likely state path given all the observations (Viterbi, in log space) and its
    /// joint log probability ln P(path, observations). Ties go to the lower state.
    public func viterbi(_ observations: [Double]) -> (path: [Int], logProbability: Double) {
        let k = stateCount, n = observations.count
        guard n > 0 else { return ([], 0) }
        let logA = transitions.map { log($0) }
        var delta = (0..<k).map { log(initial[$0]) + logDensity(observations[0], state: $0) }
        var next = [Double](repeating: 0, count: k)
        var back = [Int32](repeating: 0, count: n * k)
        for t in 1..<n {
            let x = observations[t]
            for j in 0..<k {
                var best = -Double.infinity, arg = 0
                for i in 0..<k {
                    let v = delta[i] + logA[i * k + j]
                    if v > best { best = v; arg = i }
                }
                next[j] = best + logDensity(x, state: j)
                back[t * k + j] = Int32(arg)
            }
            swap(&delta, &next)
        }
        var state = 0
        for j in 1..<k where delta[j] > delta[state] { state = j }
        let logProbability = delta[state]
        var path = [Int](repeating: 0, count: n)
        path[n - 1] = state
        var t = n - 1
        while t > 0 {
            state = Int(back[t * k + state])
            path[t - 1] = state
            t -= 1
        }
        return (path, logProbability)
    }

    /// `count` states and observations drawn from the model with `random` (for simulations and
    /// for testing that fitting recovers a known model).
    public func sample(count: Int, using random: inout SeededRandom) -> (states: [Int], observations: [Double]) {
        var states: [Int] = [], observations: [Double] = []
        states.reserveCapacity(count)
        observations.reserveCapacity(count)
        let sd = standardDeviations
        var state = -1
        for _ in 0..<count {
            state = state < 0 ? Self.draw(initial, 0, using: &random)
                : Self.draw(transitions, state * stateCount, count: stateCount, using: &random)
            states.append(state)
            observations.append(random.nextGaussian(mean: means[state], standardDeviation: sd[state]))
        }
        return (states, observations)
    }

    /// An index drawn from the distribution `p[offset..<offset + count]`.
    private static func draw(_ p: [Double], _ offset: Int, count: Int? = nil, using random: inout SeededRandom) -> Int {
        let n = count ?? p.count
        let u = random.nextUniform()
        var cumulative = 0.0
        for i in 0..<n {
            cumulative += p[offset + i]
            if u < cumulative { return i }
        }
        return n - 1
    }

    /// Writes the emission densities of `x` relative to the largest one into
    /// `b[offset..<offset + K]` and returns ln of the largest. Scaling by the largest keeps the
    /// densities of tiny-variance states from overflowing and those of far-away states from all
    /// underflowing to 0; each relative density is kept >= the smallest normal double so a
    /// forward step can never divide by 0.
    @inline(__always)
    func relativeDensities(_ x: Double, into b: inout [Double], at offset: Int) -> Double {
        var top = -Double.infinity
        for j in 0..<stateCount {
            let l = logDensity(x, state: j)
            b[offset + j] = l
            if l > top { top = l }
        }
        for j in 0..<stateCount { b[offset + j] = Swift.max(exp(b[offset + j] - top), Double.leastNormalMagnitude) }
        return top
    }

    /// One step of the scaled forward recursion:
    /// `alpha[row][j] = (Σ_i alpha[previous][i] · A[i][j]) · b[j]` (`initial[j] · b[j]` when
    /// `previous` is nil), then normalized to sum to 1. Returns the normalizer `c`; the
    /// log-likelihood grows by `ln c` plus the densities' shift. Shared by the filter and by
    /// Baum-Welch, so both compute the same numbers.
    @inline(__always)
    func forwardStep(alpha: inout [Double], row: Int, previous: Int?, densities b: [Double], at bOffset: Int) -> Double {
        let k = stateCount
        var c = 0.0
        for j in 0..<k {
            var s = 0.0
            if let p = previous {
                for i in 0..<k { s += alpha[p * k + i] * transitions[i * k + j] }
            } else {
                s = initial[j]
            }
            let v = s * b[bOffset + j]
            alpha[row * k + j] = v
            c += v
        }
        let inverse = 1 / c
        for j in 0..<k { alpha[row * k + j] *= inverse }
        return c
    }
}
