public import TraderCore

/// A candidate strategy's two fitted models.
public struct CandidateModel: Sendable, Hashable, Codable {
    public let strategy: String
    public let sharpe: RidgeRegression
    public let `return`: RidgeRegression
}

/// A trained selector: the configuration, the feature names it was trained with (checked when a
/// saved model is loaded, so a model from another feature set is refused rather than misread),
/// and each candidate's models. `Codable`: the app saves it as JSON and loads it back.
public struct SelectionModel: Sendable, Hashable, Codable {
    /// Bumped when the meaning of a saved model changes.
    public static let formatVersion = 1

    public var formatVersion = SelectionModel.formatVersion
    public let configuration: SelectorConfiguration
    public let featureNames: [String]
    public let candidates: [CandidateModel]
    public let symbol: String
    /// Nanoseconds since the epoch of the last bar of the last training period.
    public let trainedThroughNanos: Int64
    public let periodsUsed: Int

    public init(configuration: SelectorConfiguration, featureNames: [String], candidates: [CandidateModel], symbol: String,
                trainedThrough: Timestamp, periodsUsed: Int) {
        self.configuration = configuration
        self.featureNames = featureNames
        self.candidates = candidates
        self.symbol = symbol
        self.trainedThroughNanos = trainedThrough.nanos
        self.periodsUsed = periodsUsed
    }

    public var trainedThrough: Timestamp { Timestamp(nanos: trainedThroughNanos) }

    /// Checks that a loaded model can be used with this build's features.
    public func validate() throws(DomainError) {
        guard formatVersion == Self.formatVersion else {
            throw .invalid(field: "model", reason: "format version \(formatVersion), this build reads \(Self.formatVersion)")
        }
        guard featureNames == SelectionFeatures.names else {
            throw .invalid(field: "model", reason: "trained on features \(featureNames.joined(separator: ",")), this build computes \(SelectionFeatures.names.joined(separator: ","))")
        }
        for c in candidates where c.sharpe.weights.count != featureNames.count || c.return.weights.count != featureNames.count {
            throw .invalid(field: "model", reason: "the model of \(c.strategy) has the wrong number of weights")
        }
    }

    /// Ranks the candidates for the feature vector `x`, best predicted Sharpe first.
    public func rank(features x: [Double]) -> [SelectionScore] { Self.rank(candidates, features: x) }

    static func rank(_ models: [CandidateModel], features x: [Double]) -> [SelectionScore] {
        let predictions = models.map { (model: $0, sharpe: $0.sharpe.predict(x), ret: $0.return.predict(x)) }
            .sorted { $0.sharpe != $1.sharpe ? $0.sharpe > $1.sharpe : $0.model.strategy < $1.model.strategy }
        guard let top = predictions.first else { return [] }
        return predictions.enumerated().map { i, p in
            // P(top beats this one) for the others, reported as P(this one beats top); for the
            // top, P(it beats the runner-up).
            let other = i == 0 ? (predictions.count > 1 ? predictions[1] : nil) : top
            var confidence = 1.0
            if let other {
                let spread = (p.model.sharpe.residualStandardDeviation * p.model.sharpe.residualStandardDeviation
                    + other.model.sharpe.residualStandardDeviation * other.model.sharpe.residualStandardDeviation).squareRoot()
                let z = spread > 0 ? (p.sharpe - other.sharpe) / spread : (p.sharpe >= other.sharpe ? .infinity : -.infinity)
                confidence = 0.5 * (1 + erf(z / 2.0.squareRoot()))
            }
            return SelectionScore(strategy: p.model.strategy, predictedSharpe: p.sharpe, predictedReturn: p.ret, confidence: confidence)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
