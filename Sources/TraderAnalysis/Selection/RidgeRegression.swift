public import TraderCore

/// Ridge least squares: `w = argmin ‖y − b − Xw‖² + λ‖w‖²` on standardized features, solved in
/// closed form (`(ZᵀZ + λI) w = Zᵀ(y − ȳ)` by Cholesky), with the intercept `b = ȳ` unpenalized.
///
/// Standardizing first (each feature to mean 0, standard deviation 1 over the training rows)
/// makes one λ mean the same for features of any scale (returns ~0.01, RSI ~50); a constant
/// feature (standard deviation 0) gets weight 0. The model is a plain value, `Codable`, so a
/// trained selector can be saved and loaded.
public struct RidgeRegression: Sendable, Hashable, Codable {
    public let lambda: Double
    /// Per feature: training mean and standard deviation, and the weight on the standardized value.
    public let means: [Double]
    public let scales: [Double]
    public let weights: [Double]
    public let intercept: Double
    /// Root mean squared residual on the training rows (the model's error estimate).
    public let residualStandardDeviation: Double
    public let trainingRows: Int

    /// Fits on `rows` (one feature vector each, all the same length) and targets `y`.
    public init(rows: [[Double]], targets y: [Double], lambda: Double) throws(DomainError) {
        let n = rows.count
        guard n > 0, y.count == n else { throw .invalid(field: "training", reason: "needs as many targets as rows, and at least one row (got \(n) rows, \(y.count) targets)") }
        let d = rows[0].count
        guard rows.allSatisfy({ $0.count == d }) else { throw .invalid(field: "training", reason: "rows have different lengths") }
        guard lambda > 0, lambda.isFinite else { throw .invalid(field: "lambda", reason: "must be > 0, got \(lambda)") }
        guard rows.allSatisfy({ $0.allSatisfy(\.isFinite) }), y.allSatisfy(\.isFinite) else {
            throw .invalid(field: "training", reason: "features and targets must be finite numbers")
        }
        var means = [Double](repeating: 0, count: d), scales = [Double](repeating: 0, count: d)
        for j in 0..<d {
            var m = 0.0
            for r in rows { m += r[j] }
            m /= Double(n)
            var ss = 0.0
            for r in rows { ss += (r[j] - m) * (r[j] - m) }
            means[j] = m
            scales[j] = (ss / Double(n)).squareRoot()
        }
        let yMean = y.reduce(0, +) / Double(n)
        // Normal equations on standardized columns; constant columns are left out (weight 0).
        var a = [Double](repeating: 0, count: d * d), b = [Double](repeating: 0, count: d)
        for (r, target) in zip(rows, y) {
            var z = [Double](repeating: 0, count: d)
            for j in 0..<d where scales[j] > 0 { z[j] = (r[j] - means[j]) / scales[j] }
            let t = target - yMean
            for i in 0..<d where scales[i] > 0 {
                b[i] += z[i] * t
                for j in 0...i where scales[j] > 0 { a[i * d + j] += z[i] * z[j] }
            }
        }
        for i in 0..<d { a[i * d + i] += lambda }
        let w = try Self.solveSymmetricPositiveDefinite(a, b, dimension: d)
        let weights = (0..<d).map { scales[$0] > 0 ? w[$0] : 0 }
        var sse = 0.0
        for (r, target) in zip(rows, y) {
            let e = target - Self.predict(r, means: means, scales: scales, weights: weights, intercept: yMean)
            sse += e * e
        }
        self.lambda = lambda
        self.means = means
        self.scales = scales
        self.weights = weights
        self.intercept = yMean
        self.trainingRows = n
        self.residualStandardDeviation = (sse / Double(n)).squareRoot()
    }

    /// The prediction for feature vector `x`.
    public func predict(_ x: [Double]) -> Double {
        Self.predict(x, means: means, scales: scales, weights: weights, intercept: intercept)
    }

    private static func predict(_ x: [Double], means: [Double], scales: [Double], weights: [Double], intercept: Double) -> Double {
        var s = intercept
        for j in weights.indices where scales[j] > 0 { s += weights[j] * (x[j] - means[j]) / scales[j] }
        return s
    }

    /// Solves `A x = b` for symmetric positive definite `A` (lower triangle used, row-major) by
    /// Cholesky decomposition.
    static func solveSymmetricPositiveDefinite(_ a: [Double], _ b: [Double], dimension d: Int) throws(DomainError) -> [Double] {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = a[i * d + j]
                for k in 0..<j { s -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard s > 0 else { throw .invalid(field: "training", reason: "the normal equations are not positive definite") }
                    l[i * d + i] = s.squareRoot()
                } else {
                    l[i * d + j] = s / l[j * d + j]
                }
            }
        }
        var z = [Double](repeating: 0, count: d)
        for i in 0..<d {
            var s = b[i]
            for k in 0..<i { s -= l[i * d + k] * z[k] }
            z[i] = s / l[i * d + i]
        }
        var x = [Double](repeating: 0, count: d)
        for i in stride(from: d - 1, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<d { s -= l[k * d + i] * x[k] }
            x[i] = s / l[i * d + i]
        }
        return x
    }
}
