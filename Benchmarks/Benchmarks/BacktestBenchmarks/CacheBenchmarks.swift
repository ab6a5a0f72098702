import Benchmark
import TraderCache

/// The in-process cache tier (issue 6: an L1 get hit at ≥ 10 million operations per second on one
/// thread). 10,000 keys shaped like real ones; each iteration is 1,000,000 hits.
func cacheBenchmarks() {
    let keys = (0..<10_000).map { "bars:v1:SYM\($0 % 500):1d:\($0)" }

    Benchmark("L1 cache get hit, 1,000,000 gets, one thread",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .mega,
                                   maxIterations: 20)) { benchmark in
        let cache = LRUCache<Int>(maxEntries: 100_000)
        for (i, key) in keys.enumerated() { cache.set(key, i) }
        benchmark.startMeasurement()
        var sum = 0
        var j = 0
        keys.withUnsafeBufferPointer { k in
            for _ in benchmark.scaledIterations {
                sum &+= cache.get(k[j]) ?? 0
                j += 1
                if j == k.count { j = 0 }
            }
        }
        benchmark.stopMeasurement()
        blackHole(sum)
    }
}
