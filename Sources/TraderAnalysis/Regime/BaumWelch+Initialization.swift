import TraderCore

extension BaumWelch {
    /// Lloyd iterations that refine each k-means++ draw.
    static let lloydIterations = 10

    /// The starting model of start `start`: state means from a k-means++ draw over the
    /// observations (seeded by `seed` and the start's number, so every start differs and every
    /// run repeats), refined by Lloyd iterations; each state's variance is its cluster's
    /// (at least `floor`; the sample variance for an empty cluster); transitions stay with
    /// probability 0.9 and spread the rest evenly; the first state is uniform.
    ///
    /// k-means++ places the centers far apart in proportion to the squared distance, so on
    /// returns the states start in the left tail, the middle and the right tail, from where EM
    /// reliably separates calm from turbulent states.
    func initialModel(_ x: [Double], start: Int, sampleVariance: Double, floor: Double) -> GaussianHMM {
        let k = states
        var random = SeededRandom(seed: seed, stream: "baum-welch-start-\(start)")
        var centers: [Double] = [x[Int(random.next() % UInt64(x.count))]]
        var distance = x.map { ($0 - centers[0]) * ($0 - centers[0]) }
        while centers.count < k {
            let total = distance.reduce(0, +)
            var chosen = Int(random.next() % UInt64(x.count))
            if total > 0 {
                let target = random.nextUniform() * total
                var cumulative = 0.0
                for (i, d) in distance.enumerated() {
                    cumulative += d
                    if cumulative > target { chosen = i; break }
                }
            }
            let c = x[chosen]
            centers.append(c)
            for i in 0..<x.count { distance[i] = Swift.min(distance[i], (x[i] - c) * (x[i] - c)) }
        }

        var assignment = [Int](repeating: 0, count: x.count)
        for _ in 0..<Self.lloydIterations {
            var sums = [Double](repeating: 0, count: k), counts = [Int](repeating: 0, count: k)
            for (i, v) in x.enumerated() {
                var best = 0
                for j in 1..<k where abs(v - centers[j]) < abs(v - centers[best]) { best = j }
                assignment[i] = best
                sums[best] += v
                counts[best] += 1
            }
            for j in 0..<k where counts[j] > 0 { centers[j] = sums[j] / Double(counts[j]) }
        }

        var squares = [Double](repeating: 0, count: k), counts = [Int](repeating: 0, count: k)
        for (i, v) in x.enumerated() {
            let j = assignment[i]
            squares[j] += (v - centers[j]) * (v - centers[j])
            counts[j] += 1
        }
        let variances = (0..<k).map { counts[$0] > 0 ? Swift.max(floor, squares[$0] / Double(counts[$0])) : sampleVariance }
        let stay = k == 1 ? 1.0 : 0.9
        let move = k == 1 ? 0.0 : 0.1 / Double(k - 1)
        var transitions = [Double](repeating: move, count: k * k)
        for i in 0..<k { transitions[i * k + i] = stay }
        return GaussianHMM(unchecked: centers, variances: variances, transitions: transitions,
                           initial: [Double](repeating: 1 / Double(k), count: k))
    }
}
