import TraderCore

/// Equity returns between calendar periods (days for intraday and daily bars; weeks, months or
/// years for coarser bars): the last equity of each period with bars, then percentage changes.
struct PeriodicReturns {
    var returns: [Double] = []
    /// Equity at the end of the first and last period, and whether every period ended with
    /// positive, finite equity: then the geometric mean needs no logarithm per period.
    private var first = Double.nan, last = Double.nan
    private var allPositive = false

    /// Returns between consecutive values of the equity at the end of each period.
    init(periodEndEquity values: [Double]) {
        let m = values.count
        guard m > 1 else { return }
        var positive = true
        returns = values.withUnsafeBufferPointer { v in
            [Double](unsafeUninitializedCapacity: m - 1) { out, initialized in
                for k in 1..<m {
                    let value = v[k], previous = v[k - 1]
                    positive = positive && value > 0 && value.isFinite
                    out[k - 1] = value / previous - 1
                }
                initialized = m - 1
            }
        }
        first = values[0]
        last = values[m - 1]
        allPositive = positive && first > 0 && first.isFinite
    }

    /// `exp(mean(log(1 + r))) − 1`, 0 if any period lost everything, NaN with no returns.
    ///
    /// When every period ends with positive equity, `Σ log(1 + r)` telescopes to
    /// `log(last / first)`: one logarithm instead of one per period. The two differ only by the
    /// rounding of each `1 + r` (about 1e-16 per period), far inside the 1e-6 the statistics are
    /// held to against backtesting.py.
    var geometricMean: Double {
        guard !returns.isEmpty else { return .nan }
        if allPositive { return exp(log(last / first) / Double(returns.count)) - 1 }
        var s = 0.0
        for r in returns {
            let x = (r.isNaN ? 0 : r) + 1
            if x <= 0 { return 0 }
            s += log(x)
        }
        return exp(s / Double(returns.count)) - 1
    }

    /// Sample variance (ddof 1, two-pass) and downside deviation `sqrt(mean(min(r, 0)²))`, in
    /// one pass after the mean. Four independent lanes let the loop vectorize (a single running
    /// sum would serialize it on addition latency); lanes are added in a fixed order at the end,
    /// so the result is deterministic.
    var dispersion: (sampleVariance: Double, downsideDeviation: Double) {
        let n = returns.count
        guard n > 0 else { return (.nan, .nan) }
        return returns.withUnsafeBufferPointer { r in
            var sum = SIMD4<Double>()
            var i = 0
            while i + 4 <= n { sum += load4(r, i); i += 4 }
            var total = sum[0] + sum[1] + sum[2] + sum[3]
            while i < n { total += r[i]; i += 1 }
            let mean = total / Double(n)
            var squares = SIMD4<Double>(), downside = SIMD4<Double>()
            let zero = SIMD4<Double>()
            i = 0
            while i + 4 <= n {
                let x = load4(r, i)
                let d = x - mean
                squares += d * d
                let negative = x.replacing(with: zero, where: .!(x .< zero))  // min(x, 0); NaN counts 0
                downside += negative * negative
                i += 4
            }
            var ss = squares[0] + squares[1] + squares[2] + squares[3]
            var ds = downside[0] + downside[1] + downside[2] + downside[3]
            while i < n {
                ss += (r[i] - mean) * (r[i] - mean)
                if r[i] < 0 { ds += r[i] * r[i] }
                i += 1
            }
            return (n > 1 ? ss / Double(n - 1) : .nan, (ds / Double(n)).squareRoot())
        }
    }

    @inline(__always)
    private func load4(_ r: UnsafeBufferPointer<Double>, _ i: Int) -> SIMD4<Double> {
        UnsafeRawPointer(r.baseAddress! + i).loadUnaligned(as: SIMD4<Double>.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
