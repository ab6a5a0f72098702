import TraderCore

/// Beta of the strategy against the instrument: covariance of per-bar log returns of equity and
/// close over the variance of the close's (numpy's `cov`, ddof 1).
///
/// The market's side (its shifted log returns and their sums) depends on the bars alone and comes
/// from the `SeriesProfile`; a run adds only its equity's returns, `Σx` and `Σxy`. Shifted sums
/// keep the covariance free of cancellation for strongly trending series with no division on the
/// loop-carried path.
///
/// `add(equity:market:bars:range:)` works four bars at a time in `SIMD4<Double>`: each return is
/// bit-identical to the scalar `logOfRatio` (a group with a ratio outside the polynomial's range
/// is redone with it). The sums are kept per lane and added up at the end, which only reorders
/// the additions: beta moves in its last bits, far inside the 1e-6 the statistics are held to
/// against backtesting.py.
struct BetaAccumulator {
    private var sx = SIMD4<Double>(), sxy = SIMD4<Double>()

    init() {}

    /// The equity's log return; 0 when equity did not move (also when it stays at 0).
    @inline(__always)
    static func equityReturn(_ previousE: Double, _ e: Double) -> Double {
        e == previousE ? 0 : logOfRatio(e, previousE)
    }

    /// Adds the returns into bars `bars`, each from the bar before (so `bars.lowerBound ≥ 1`),
    /// against the profile's market returns `y`, and widens `range` by those bars' equity: the
    /// drawdown needs it, and the equity is in registers here anyway (a separate pass would read it
    /// from memory again).
    @inline(__always)
    mutating func add(equity e: UnsafePointer<Double>, market y: UnsafePointer<Double>, bars: Range<Int>,
                      range: inout EquityRange) {
        guard !bars.isEmpty else { return }
        // Lanes start at ±∞ and take a value only when a comparison holds, so NaN is skipped.
        var lowest = SIMD4<Double>(repeating: .infinity), highest = SIMD4<Double>(repeating: -.infinity)
        defer {
            range.add(lowest.min())
            range.add(highest.max())
        }
        var i = bars.lowerBound
        while i + 4 <= bars.upperBound {
            let now = load4(e + i)
            lowest.replace(with: now, where: now .< lowest)
            highest.replace(with: now, where: now .> highest)
            let before = load4(e + i - 1)
            // Equity does not move while out of the market, often for many bars: four returns of
            // exactly 0 add nothing (x + 0 is x), so skip the division and the series.
            if all(now .== before) {
                i += 4
                continue
            }
            // Equal equity gives s = 0 and a return of exactly 0, as `equityReturn` does.
            let (s, inRange) = atanhArgument(now, before)
            var x: SIMD4<Double>
            if inRange {
                x = logAtanhSeries(s)
            } else {
                x = SIMD4<Double>()
                for j in 0..<4 { x[j] = Self.equityReturn(e[i + j - 1], e[i + j]) }
            }
            sx += x
            sxy += x * load4(y + i)
            i += 4
        }
        // The last few bars, in lane 0.
        while i < bars.upperBound {
            range.add(e[i])
            let x = Self.equityReturn(e[i - 1], e[i])
            sx[0] += x
            sxy[0] += x * y[i]
            i += 1
        }
    }

    @inline(__always)
    private func load4(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }

    /// Beta over all `profile.barCount − 1` returns of the series.
    func beta(_ profile: SeriesProfile) -> Double {
        beta(returns: profile.barCount - 1, marketSum: profile.marketSum, marketSumOfSquares: profile.marketSumOfSquares)
    }

    /// Beta over `count` returns, given the market's shifted sums (see `MarketReturns`).
    func beta(returns count: Int, marketSum sy: Double, marketSumOfSquares syy: Double) -> Double {
        guard count > 1 else { return .nan }
        let n = Double(count)
        // Lanes added in a fixed order, so the result is deterministic.
        let sx = self.sx[0] + self.sx[1] + self.sx[2] + self.sx[3]
        let sxy = self.sxy[0] + self.sxy[1] + self.sxy[2] + self.sxy[3]
        let cov = (sxy - sx * sy / n) / (n - 1)
        let varY = (syy - sy * sy / n) / (n - 1)
        return cov / varY
    }
}

/// `log(a / b)`, evaluated for ratios near 1 (almost every bar-to-bar return) with a short
/// series instead of a libm call: `2 atanh(s)` with `s = (a − b) / (a + b)`, one division (the
/// form through `r = a/b − 1` and `s = r / (2 + r)` takes two, and rounds `a / b` first). For
/// |s| < 2⁻⁵ (|a/b − 1| < 6.5 %) the truncation error is below 1e-19 relative; `a − b` is exact
/// there (Sterbenz), so the result is as accurate as libm's `log(a / b)` and several times faster.
@inline(__always)
func logOfRatio(_ a: Double, _ b: Double) -> Double {
    let s = (a - b) / (a + b)
    guard abs(s) < 0x1p-5 else { return log(a / b) }
    return logAtanhSeries(s)
}

/// `s` of `logAtanhSeries` for four ratios `a / b` at once, and whether all four are in the
/// series' range (|s| < 2⁻⁵: the squares sum below 2⁻¹⁰; NaN and ∞ fail the test). One
/// comparison instead of four; a group with a large but valid ratio merely takes the scalar path.
@inline(__always)
func atanhArgument(_ a: SIMD4<Double>, _ b: SIMD4<Double>) -> (s: SIMD4<Double>, inRange: Bool) {
    let s = (a - b) / (a + b)
    return (s, (s * s).sum() < 0x1p-10)
}

/// Values the logarithm's series runs on: one `Double`, or four lanes of `SIMD4<Double>`.
protocol LogPolynomialLane {
    static func * (a: Self, b: Self) -> Self
    static func * (a: Self, b: Double) -> Self
    static func + (a: Self, b: Self) -> Self
    static func + (a: Double, b: Self) -> Self
}

extension Double: LogPolynomialLane {}
extension SIMD4: LogPolynomialLane where Scalar == Double {}

/// `2 atanh(s) = log((1 + s) / (1 − s))` for |s| < 2⁻⁵ (callers check the range):
/// `2s (1 + s²/3 + s⁴/5 + … + s¹²/13)`; with |s| < 0.032 the next term is below 1e-21 relative.
/// Estrin's scheme keeps the dependency chain short. One generic body for the scalar and the
/// four-lane case, so every lane is bit-identical to the scalar result by construction.
@inline(__always)
func logAtanhSeries<Lane: LogPolynomialLane>(_ s: Lane) -> Lane {
    let z = s * s, z2 = z * z, z4 = z2 * z2
    let a = 1 + z * (1.0 / 3)
    let b = 0.2 + z * (1.0 / 7)
    let c = 1.0 / 9 + z * (1.0 / 11)
    let p = a + z2 * b + z4 * (c + z2 * (1.0 / 13))
    return (s * p) * 2
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
