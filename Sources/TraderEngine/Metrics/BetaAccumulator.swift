import TraderCore

/// Beta of the strategy against the instrument: covariance of per-bar log returns of equity and
/// close over the variance of the close's (numpy's `cov`, ddof 1).
///
/// Shifted sums: no division on the loop-carried path (a running mean would serialize the bars on
/// division latency), and the shift by the first market return keeps the sums free of
/// cancellation even for strongly trending series.
///
/// `add(equity:close:bars:)` works four bars at a time in `SIMD4<Double>`: the two divisions and
/// two polynomials per bar are most of the metrics' cost, and the bars are independent. Each
/// return is bit-identical to the scalar `logOfRatio` (a group with a ratio outside the
/// polynomial's range is redone with it). The sums are kept per lane and added up at the end,
/// which only reorders the additions: beta moves in its last bits, far inside the 1e-6 the
/// statistics are held to against backtesting.py. (Extracting the lanes to add them in bar order
/// costs more than the vectorization gains.)
struct BetaAccumulator {
    private var shiftY = Double.nan
    private var count = 0
    private var sx = SIMD4<Double>(), sy = SIMD4<Double>(), sxy = SIMD4<Double>(), syy = SIMD4<Double>()

    init() {}

    /// A whole curve at once.
    init(equity: [Double], close: [Double]) {
        equity.withUnsafeBufferPointer { e in
            close.withUnsafeBufferPointer { c in
                var range = EquityRange()
                add(equity: e.baseAddress!, close: c.baseAddress!, bars: 1..<max(1, e.count), range: &range)
            }
        }
    }

    /// The equity's log return; 0 when equity did not move (also when it stays at 0).
    @inline(__always)
    static func equityReturn(_ previousE: Double, _ e: Double) -> Double {
        e == previousE ? 0 : logOfRatio(e, previousE)
    }

    /// Adds the returns into bars `bars`, each from the bar before (so `bars.lowerBound ≥ 1`), and
    /// widens `range` by those bars' equity: the drawdown needs it, and the equity is in registers
    /// here anyway (a separate pass would read it from memory again).
    @inline(__always)
    mutating func add(equity e: UnsafePointer<Double>, close c: UnsafePointer<Double>, bars: Range<Int>,
                      range: inout EquityRange) {
        guard !bars.isEmpty else { return }
        // Lanes start at ±∞ and take a value only when a comparison holds, so NaN is skipped.
        var lowest = SIMD4<Double>(repeating: .infinity), highest = SIMD4<Double>(repeating: -.infinity)
        defer {
            range.add(lowest.min())
            range.add(highest.max())
        }
        if count == 0 { shiftY = logOfRatio(c[bars.lowerBound], c[bars.lowerBound - 1]) }
        count += bars.count
        var i = bars.lowerBound
        while i + 4 <= bars.upperBound {
            let now = load4(e + i)
            lowest.replace(with: now, where: now .< lowest)
            highest.replace(with: now, where: now .> highest)
            let rx = now / load4(e + i - 1) - 1
            let ry = load4(c + i) / load4(c + i - 1) - 1
            // All eight |r| < 2⁻⁷ if their squares sum below 2⁻¹⁴ (rounding is monotone and 2⁻¹⁴ is
            // exact); NaN and ∞ fail the test. One comparison instead of eight; a group of large
            // but valid returns merely takes the scalar path.
            let squares = rx * rx + ry * ry
            if squares.sum() < 0x1p-14 {
                // Equal equity gives r = 0 and a return of exactly 0, as `equityReturn` does.
                accumulate(logOfRatioPolynomial(rx), logOfRatioPolynomial(ry))
            } else {
                var x = SIMD4<Double>(), y = SIMD4<Double>()
                for j in 0..<4 {
                    x[j] = Self.equityReturn(e[i + j - 1], e[i + j])
                    y[j] = logOfRatio(c[i + j], c[i + j - 1])
                }
                accumulate(x, y)
            }
            i += 4
        }
        // The last few bars, in lane 0.
        while i < bars.upperBound {
            range.add(e[i])
            var x = SIMD4<Double>(), y = SIMD4<Double>(repeating: shiftY)  // lanes 1–3 add 0
            x[0] = Self.equityReturn(e[i - 1], e[i])
            y[0] = logOfRatio(c[i], c[i - 1])
            accumulate(x, y)
            i += 1
        }
    }

    @inline(__always)
    private mutating func accumulate(_ x: SIMD4<Double>, _ y: SIMD4<Double>) {
        let y = y - shiftY
        sx += x
        sy += y
        sxy += x * y
        syy += y * y
    }

    @inline(__always)
    private func load4(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }

    var beta: Double {
        guard count > 1 else { return .nan }
        let n = Double(count)
        // Lanes added in a fixed order, so the result is deterministic.
        let sx = self.sx[0] + self.sx[1] + self.sx[2] + self.sx[3]
        let sy = self.sy[0] + self.sy[1] + self.sy[2] + self.sy[3]
        let sxy = self.sxy[0] + self.sxy[1] + self.sxy[2] + self.sxy[3]
        let syy = self.syy[0] + self.syy[1] + self.syy[2] + self.syy[3]
        let cov = (sxy - sx * sy / n) / (n - 1)
        let varY = (syy - sy * sy / n) / (n - 1)
        return cov / varY
    }
}

/// `log(a / b)`, evaluated for ratios near 1 (almost every bar-to-bar return) with the Taylor series
/// of `log1p` to 9 terms instead of a libm call: for |a/b − 1| < 2⁻⁷ the truncation error is
/// below 1e-19 relative, far under the rounding of `a / b` itself, and it is several times faster.
@inline(__always)
func logOfRatio(_ a: Double, _ b: Double) -> Double {
    let q = a / b
    let r = q - 1
    guard abs(r) < 0.0078125 else { return log(q) }
    return logOfRatioPolynomial(r)
}

/// Values the `log1p` polynomial runs on: one `Double`, or four lanes of `SIMD4<Double>`.
protocol LogPolynomialLane {
    static func * (a: Self, b: Self) -> Self
    static func * (a: Self, b: Double) -> Self
    static func + (a: Self, b: Self) -> Self
    static func - (a: Double, b: Self) -> Self
}

extension Double: LogPolynomialLane {}
extension SIMD4: LogPolynomialLane where Scalar == Double {}

/// `r × (1 − r/2 + r²/3 − … + r⁸/9)` (`log1p(r)` for |r| < 2⁻⁷; callers check the range), with
/// Estrin's scheme: the same polynomial as Horner's rule but a dependency chain of 5 operations
/// instead of 16. One generic body for the scalar and the four-lane case, so every lane is
/// bit-identical to the scalar result by construction.
@inline(__always)
func logOfRatioPolynomial<Lane: LogPolynomialLane>(_ r: Lane) -> Lane {
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    let a01 = 1 - r * 0.5
    let a23 = 1.0 / 3 - r * 0.25
    let a45 = 0.2 - r * (1.0 / 6)
    let a67 = 1.0 / 7 - r * 0.125
    let b0 = a01 + r2 * a23
    let b1 = a45 + r2 * a67
    return r * (b0 + r4 * b1 + r8 * (1.0 / 9))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
