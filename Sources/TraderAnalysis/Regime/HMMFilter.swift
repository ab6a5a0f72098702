#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The forward filter of a `GaussianHMM`: after each observation, the probability of each state
/// given the observations so far — what a live system can know at a bar, with no lookahead.
///
/// O(K²) per observation and allocation-free after construction (two rows of probabilities and
/// one of densities), so it can follow a live feed. It runs the same forward step as
/// `BaumWelch`, so its log-likelihood equals the fitter's for the same model and data.
public struct HMMFilter: Sendable {
    /// The model being filtered.
    public let model: GaussianHMM
    /// Two rows of forward probabilities; `row` is the latest.
    private var alpha: [Double]
    private var densities: [Double]
    private var row = 0
    /// Observations seen.
    public private(set) var count = 0
    /// ln P(observations so far | model); 0 before the first.
    public private(set) var logLikelihood = 0.0

    /// A filter at the start, before any observation.
    public init(model: GaussianHMM) {
        self.model = model
        alpha = model.initial + [Double](repeating: 0, count: model.stateCount)
        densities = [Double](repeating: 0, count: model.stateCount)
    }

    /// P(state | observations so far) for each state; the initial distribution before the first
    /// observation.
    public var probabilities: [Double] {
        let k = model.stateCount
        return Array(alpha[(row * k)..<(row * k + k)])
    }

    /// P(`state` | observations so far).
    public func probability(of state: Int) -> Double { alpha[row * model.stateCount + state] }

    /// The state with the highest filtered probability (the lower one on ties).
    public var mostLikelyState: Int {
        let k = model.stateCount
        var best = 0
        for j in 1..<k where alpha[row * k + j] > alpha[row * k + best] { best = j }
        return best
    }

    /// Feeds the next observation.
    public mutating func update(_ x: Double) {
        let shift = model.relativeDensities(x, into: &densities, at: 0)
        let next = count == 0 ? row : 1 - row
        let c = model.forwardStep(alpha: &alpha, row: next, previous: count == 0 ? nil : row, densities: densities, at: 0)
        row = next
        count += 1
        logLikelihood += log(c) + shift
    }
}
