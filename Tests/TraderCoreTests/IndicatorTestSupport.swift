import Foundation
import Testing
@testable import TraderCore

/// Bar columns for the indicator tests.
struct TestBars {
    var high: [Double] = []
    var low: [Double] = []
    var close: [Double] = []
    var volume: [Double] = []
    var count: Int { close.count }

    /// The bars as `Bar` values (for the `update(_ bar:)` entry points).
    var bars: [Bar] {
        (0..<count).map { i in
            Bar(timestamp: Timestamp(seconds: Int64(i) * 86_400), open: close[i], high: high[i],
                low: low[i], close: close[i], volume: volume[i])
        }
    }

    /// GOOG daily bars from `data/sample/GOOG.csv` (Date,Open,High,Low,Close,Volume).
    static func goog() throws -> TestBars {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("data/sample/GOOG.csv"), encoding: .utf8)
        var out = TestBars()
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",")
            out.high.append(Double(f[2])!)
            out.low.append(Double(f[3])!)
            out.close.append(Double(f[4])!)
            out.volume.append(Double(f[5])!)
        }
        return out
    }

    /// A seeded random walk of bars; about one close in ten repeats the previous one, so flat
    /// changes (RSI, OBV) are exercised too.
    static func random(count: Int, seed: UInt64) -> TestBars {
        var rng = SplitMix64(seed: seed)
        var out = TestBars()
        var close = 100.0
        for _ in 0..<count {
            let open = close
            if rng.unit() >= 0.1 { close *= 1 + 0.04 * (rng.unit() - 0.5) }
            out.high.append(max(open, close) * (1 + 0.01 * rng.unit()))
            out.low.append(min(open, close) * (1 - 0.01 * rng.unit()))
            out.close.append(close)
            out.volume.append((1_000_000 * rng.unit()).rounded())
        }
        return out
    }
}

/// Both fixtures used by the reference comparisons.
enum Dataset: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case goog, random
    var testDescription: String { rawValue }
    func load() throws -> TestBars {
        switch self {
        case .goog: try TestBars.goog()
        case .random: TestBars.random(count: 3000, seed: 0x5EED_1234)
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood): a tiny, well-mixed seeded generator for reproducible series.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

/// True when `a` and `b` agree to `tolerance` relative to the larger magnitude (floored at 1, so
/// values near 0 such as a MACD histogram are compared absolutely), or both are NaN.
func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1)
}

/// Compares an incremental output with its reference at every step (NaN must match NaN) and
/// records the first mismatch only.
func expectMatches(_ actual: [Double], _ expected: [Double], _ label: String,
                   tolerance: Double = 1e-9, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(label): lengths differ", sourceLocation: sourceLocation)
    for i in 0..<min(actual.count, expected.count) where !isClose(actual[i], expected[i], tolerance: tolerance) {
        Issue.record("\(label): step \(i): incremental \(actual[i]) vs reference \(expected[i])",
                     sourceLocation: sourceLocation)
        return
    }
}

// MARK: - Straightforward references (recompute from scratch at every step)

enum Reference {
    static func mean(_ xs: ArraySlice<Double>) -> Double { xs.reduce(0, +) / Double(xs.count) }

    /// Simple moving average, NaN before `period` values.
    static func sma(_ xs: [Double], _ period: Int) -> [Double] {
        xs.indices.map { t in t + 1 < period ? .nan : mean(xs[(t + 1 - period)...t]) }
    }

    /// Two-pass standard deviation of each full window; exactly 0 for a constant window, as pandas
    /// gives (a two-pass mean of identical values can be off by an ulp).
    static func std(_ xs: [Double], _ period: Int, ddof: Int) -> [Double] {
        xs.indices.map { t in
            guard t + 1 >= period else { return .nan }
            let w = xs[(t + 1 - period)...t]
            if w.allSatisfy({ $0 == w.first! }) { return 0 }
            let m = mean(w)
            let ss = w.reduce(0) { $0 + ($1 - m) * ($1 - m) }
            return (ss / Double(period - ddof)).squareRoot()
        }
    }

    static func rollingMax(_ xs: [Double], _ period: Int) -> [Double] {
        xs.indices.map { t in t + 1 < period ? .nan : xs[(t + 1 - period)...t].max()! }
    }

    static func rollingMin(_ xs: [Double], _ period: Int) -> [Double] {
        xs.indices.map { t in t + 1 < period ? .nan : xs[(t + 1 - period)...t].min()! }
    }

    /// Exponential smoothing seeded with the mean of the first `seed` values, written in closed
    /// form over the whole history at every step:
    /// `s_t = (1-α)^(t-seed+1) · mean(x_0..x_{seed-1}) + Σ_{j=seed}^{t} α (1-α)^(t-j) x_j`.
    /// EMA uses α = 2/(n+1); Wilder's smoothing `(avg·(n-1)+x)/n` is α = 1/n.
    static func smoothed(_ xs: [Double], seed: Int, alpha: Double) -> [Double] {
        guard xs.count >= seed else { return [Double](repeating: .nan, count: xs.count) }
        let start = mean(xs[0..<seed])
        return xs.indices.map { t in
            guard t + 1 >= seed else { return .nan }
            var total = 0.0
            var weight = 1.0
            var j = t
            while j >= seed {
                total += alpha * weight * xs[j]
                weight *= 1 - alpha
                j -= 1
            }
            return total + weight * start
        }
    }

    static func ema(_ xs: [Double], _ period: Int) -> [Double] {
        smoothed(xs, seed: period, alpha: 2 / Double(period + 1))
    }

    static func rsi(_ closes: [Double], _ period: Int) -> [Double] {
        let changes = (1..<closes.count).map { closes[$0] - closes[$0 - 1] }
        let gains = smoothed(changes.map { max($0, 0) }, seed: period, alpha: 1 / Double(period))
        let losses = smoothed(changes.map { max(-$0, 0) }, seed: period, alpha: 1 / Double(period))
        return [.nan] + zip(gains, losses).map { g, l in
            if g.isNaN { return .nan }
            if l == 0 { return g == 0 ? 50 : 100 }
            return 100 - 100 / (1 + g / l)
        }
    }

    static func trueRange(_ b: TestBars) -> [Double] {
        (0..<b.count).map { i in
            let hl = b.high[i] - b.low[i]
            guard i > 0 else { return hl }
            return max(hl, abs(b.high[i] - b.close[i - 1]), abs(b.low[i] - b.close[i - 1]))
        }
    }

    static func atr(_ b: TestBars, _ period: Int) -> [Double] {
        smoothed(trueRange(b), seed: period, alpha: 1 / Double(period))
    }

    /// OBV summed from the first bar at every step.
    static func obv(_ b: TestBars) -> [Double] {
        (0..<b.count).map { t in
            var total = 0.0
            for j in stride(from: 1, through: t, by: 1) {
                if b.close[j] > b.close[j - 1] { total += b.volume[j] }
                if b.close[j] < b.close[j - 1] { total -= b.volume[j] }
            }
            return total
        }
    }
}

/// Feeds `xs` to a copy of `indicator` and returns the outputs, checking at every step that the
/// returned value equals `value`, that `isReady` turns true exactly after `warmup` values, and
/// that the output is NaN exactly while not ready.
func outputs<I: ScalarIndicator>(_ indicator: I, _ xs: [Double],
                                 sourceLocation: SourceLocation = #_sourceLocation) -> [Double] {
    var ind = indicator
    var out: [Double] = []
    out.reserveCapacity(xs.count)
    var reported = false
    for (i, x) in xs.enumerated() {
        let v = ind.update(x)
        let consistent = (v.isNaN ? ind.value.isNaN : v == ind.value)
            && ind.isReady == (i + 1 >= ind.warmup) && ind.isReady != v.isNaN
        if !consistent && !reported {
            reported = true
            Issue.record("\(I.self) step \(i): value \(v), .value \(ind.value), isReady \(ind.isReady), warmup \(ind.warmup)",
                         sourceLocation: sourceLocation)
        }
        out.append(v)
    }
    return out
}
