/// A fast, reproducible random number generator: xoshiro256** (Blackman & Vigna) with its state
/// seeded by SplitMix64 from one `UInt64`.
///
/// The same seed gives the same sequence on every platform and every run: the generator, the
/// uniform and Gaussian transforms and the logarithm they use are plain integer and IEEE
/// arithmetic, with no system library involved. Use it wherever results must be repeatable
/// (synthetic data, random search, bootstraps, simulations); pass it to any API that takes a
/// `RandomNumberGenerator` (`Int.random(in:using:)`, `shuffled(using:)`).
public struct SeededRandom: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline internal var s0: UInt64
    @usableFromInline internal var s1: UInt64
    @usableFromInline internal var s2: UInt64
    @usableFromInline internal var s3: UInt64
    /// The second Gaussian of the last polar-method pair, returned by the next call.
    private var spareGaussian: Double = 0
    private var hasSpareGaussian = false

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var state = seed
        s0 = SeededRandom.splitMix64(&state)
        s1 = SeededRandom.splitMix64(&state)
        s2 = SeededRandom.splitMix64(&state)
        s3 = SeededRandom.splitMix64(&state)
    }

    /// An independent stream for `label` (a symbol, a worker name) under `seed`: the same pair
    /// always gives the same sequence, different labels give unrelated ones.
    public init(seed: UInt64, stream label: String) {
        self.init(seed: SeededRandom.mix(seed, label))
    }

    /// One step of SplitMix64 (Steele, Lea & Flood): advances `state` and returns the output.
    @inlinable
    public static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed derived from `seed` and the UTF-8 bytes of `label` (FNV-1a, then SplitMix64).
    /// Stable across runs and platforms, unlike `Hasher`, which is randomly seeded per process.
    public static func mix(_ seed: UInt64, _ label: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        var state = seed ^ (hash &* 0x9E37_79B9_7F4A_7C15)
        return splitMix64(&state)
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = SeededRandom.rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = SeededRandom.rotateLeft(s3, 45)
        return result
    }

    /// A uniform double in `[0, 1)`, a multiple of 2^-53.
    @inlinable
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal variate (mean 0, standard deviation 1), by Marsaglia's polar method;
    /// variates come in pairs and the second is kept for the next call.
    public mutating func nextGaussian() -> Double {
        if hasSpareGaussian {
            hasSpareGaussian = false
            return spareGaussian
        }
        while true {
            let u = 2 * nextUniform() - 1
            let v = 2 * nextUniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * SeededRandom.naturalLog(s) / s).squareRoot()
                spareGaussian = v * factor
                hasSpareGaussian = true
                return u * factor
            }
        }
    }

    /// A normal variate with the given mean and standard deviation.
    @inlinable
    public mutating func nextGaussian(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * nextGaussian()
    }

    @inlinable
    internal static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// ln(x) for finite x > 0, to within about one ulp, in portable arithmetic (so Gaussian
    /// streams do not depend on the platform's libm): x = m·2^e with m in [√½, √2), and
    /// ln m = 2·atanh((m−1)/(m+1)) by its series.
    static func naturalLog(_ x: Double) -> Double {
        var bits = x.bitPattern
        var exponent = Int((bits >> 52) & 0x7FF)
        if exponent == 0 {  // subnormal: scale into the normal range
            bits = (x * 0x1p54).bitPattern
            exponent = Int((bits >> 52) & 0x7FF) - 54
        }
        exponent -= 1023
        var m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        if m > 1.4142135623730951 {
            m *= 0.5
            exponent += 1
        }
        let s = (m - 1) / (m + 1)
        let z = s * s
        var series = 1.0 / 19
        series = 1.0 / 17 + z * series
        series = 1.0 / 15 + z * series
        series = 1.0 / 13 + z * series
        series = 1.0 / 11 + z * series
        series = 1.0 / 9 + z * series
        series = 1.0 / 7 + z * series
        series = 1.0 / 5 + z * series
        series = 1.0 / 3 + z * series
        let lnM = 2 * s + 2 * s * z * series
        let e = Double(exponent)
        let ln2High = Double(bitPattern: 0x3FE6_2E42_FEE0_0000)
        let ln2Low = Double(bitPattern: 0x3DEA_39EF_3579_3C76)
        return e * ln2High + (lnM + e * ln2Low)
    }
}
