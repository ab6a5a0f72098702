#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TraderCore

/// Parses decimal text into `Double` straight from UTF-8 bytes, correctly rounded, with results
/// bit-identical to `strtod` and `Double(String)`.
///
/// Three tiers, fastest first:
/// 1. Clinger's fast path: a mantissa of at most 2^53 and a decimal exponent within ±22 are both
///    exact doubles, so one IEEE multiply or divide gives the correctly rounded result.
/// 2. Eisel–Lemire (as in Lemire's fast_float): up to 19 significant digits against a table of
///    128-bit powers of five; this covers the 17-digit shortest round-trip output of
///    `Double.description`, `repr` in Python and most exporters.
/// 3. `strtod` on a small NUL-terminated stack copy for everything else (more than 19
///    significant digits, or the rare product Eisel–Lemire leaves undecided), so no case is
///    approximated.
///
/// Only decimal text is a number (`DecimalText.isDecimal`, the one number syntax of every
/// input): `strtod` would also take hexadecimal floats (`0x1p3`), `inf` and `nan`, so the text
/// is checked against the decimal grammar before it gets there.
public enum DecimalParser {
    /// The value of the whole of `text`, or nil when it is not a decimal number. Gives what
    /// `Double(String)` gives for decimal text, bit for bit.
    public static func parseDouble(_ text: some StringProtocol) -> Double? {
        var copy = String(text)
        return copy.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return nil }
            return parseExactly(base, 0, utf8.count)
        }
    }

    /// The value of all of `bytes` (UTF-8), or nil when they are not a number.
    public static func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
        let typed = bytes.bindMemory(to: UInt8.self)
        guard let base = typed.baseAddress else { return nil }
        return parseExactly(base, 0, typed.count)
    }

    /// Parses all of `p[start..<end]`; nil unless every byte belongs to a decimal number.
    static func parseExactly(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        if let value = scan(p, &i, end), i == end { return value }
        guard end > start, DecimalText.isDecimal(UnsafeBufferPointer(start: p + start, count: end - start)) else { return nil }
        return strtodFallback(p, start, end)
    }

    /// Parses the decimal number starting at `p[i]` (optional sign, digits with an optional
    /// fraction, optional exponent) and moves `i` past it. Returns nil, leaving `i` alone, when
    /// there is no number there or when it needs `strtod` (more than 19 significant digits, or
    /// the rare product Eisel–Lemire cannot decide); the caller then tries `parseExactly` on the
    /// whole field.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> Double? {
        var j = i
        var negative = false
        if j < end {
            let c = p[j]
            if c == ASCII.minus { negative = true; j += 1 } else if c == ASCII.plus { j += 1 }
        }
        // Digits accumulate with wrapping arithmetic; more than 19 significant digits (which
        // could wrap) are detected afterwards and left to strtod.
        let digitsStart = j
        var mantissa: UInt64 = 0
        scanDigits(p, &j, end, &mantissa)
        var digitCount = j - digitsStart
        var exponent = 0
        if j < end && p[j] == ASCII.dot {
            j += 1
            let fractionStart = j
            scanDigits(p, &j, end, &mantissa)
            exponent = fractionStart - j
            digitCount -= exponent
        }
        guard digitCount > 0 else { return nil }
        if digitCount > 19 {
            // Leading zeros are not significant (and leave the mantissa exact).
            var k = digitsStart
            while k < j && (p[k] == ASCII.zero || p[k] == ASCII.dot) {
                if p[k] == ASCII.zero { digitCount -= 1 }
                k += 1
            }
            if digitCount > 19 { return nil }
        }
        if j < end && p[j] | 0x20 == 0x65 {  // e or E
            var k = j + 1
            var exponentNegative = false
            if k < end && (p[k] == ASCII.minus || p[k] == ASCII.plus) {
                exponentNegative = p[k] == ASCII.minus
                k += 1
            }
            guard k < end && p[k] &- ASCII.zero <= 9 else { return nil }
            var e = 0
            while k < end {
                let d = p[k] &- ASCII.zero
                if d > 9 { break }
                if e < 100_000 { e = e * 10 + Int(d) }
                k += 1
            }
            exponent += exponentNegative ? -e : e
            j = k
        }
        guard let value = makeDouble(mantissa: mantissa, exponent: exponent, negative: negative) else { return nil }
        i = j
        return value
    }

    /// Consumes the run of ASCII digits at `p[j]`, appending them to `mantissa` (wrapping; the
    /// caller counts digits). Eight bytes at a time while they are available: the length of the
    /// digit run within the word is found with bit tricks and the digits are converted at once.
    @inline(__always)
    static func scanDigits(_ p: UnsafePointer<UInt8>, _ j: inout Int, _ end: Int, _ mantissa: inout UInt64) {
        while end - j >= 8 {
            let word = loadEight(p, j)
            let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
            let zeros: UInt64 = 0x3030_3030_3030_3030
            // A byte of `flags` is zero exactly when that byte of `word` is a digit.
            let flags = ((word & high) ^ zeros) | (((word &+ 0x0606_0606_0606_0606) & high) ^ zeros)
            let count = flags.trailingZeroBitCount >> 3
            if count == 0 { return }
            // Move the digits to the top bytes, pad the bottom with '0's, convert.
            let aligned = (word << UInt64(64 - 8 * count)) | (zeros >> UInt64(8 * count))
            mantissa = mantissa &* powersOfTenInteger[count] &+ parseEight(aligned)
            j += count
            if count < 8 { return }
        }
        while j < end {
            let d = p[j] &- ASCII.zero
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            j += 1
        }
    }

    /// 10^0 ... 10^8 as integers.
    static let powersOfTenInteger: [UInt64] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    /// Eight bytes from `p + j` as a little-endian word.
    @inline(__always)
    static func loadEight(_ p: UnsafePointer<UInt8>, _ j: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
    }

    /// True when all eight bytes of `word` are ASCII digits (fast_float's SWAR test).
    @inline(__always)
    static func isEightDigits(_ word: UInt64) -> Bool {
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        return ((word & high) | (((word &+ 0x0606_0606_0606_0606) & high) >> 4)) == 0x3333_3333_3333_3333
    }

    /// The value of eight ASCII digits, first byte most significant, in three multiplies.
    @inline(__always)
    static func parseEight(_ word: UInt64) -> UInt64 {
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        var value = word &- 0x3030_3030_3030_3030
        value = (value &* 10) &+ (value >> 8)
        return (((value & mask) &* 0x000F_4240_0000_0064) &+ (((value >> 16) & mask) &* 0x0000_2710_0000_0001)) >> 32
    }

    /// `±mantissa × 10^exponent`, correctly rounded, or nil when only `strtod` can tell.
    @inline(__always)
    static func makeDouble(mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if exponent >= -22 && exponent <= 22 && mantissa <= 1 << 53 {
            var value = Double(mantissa)
            if exponent < 0 { value /= exactPowersOfTen[-exponent] } else { value *= exactPowersOfTen[exponent] }
            return negative ? -value : value
        }
        guard let bits = eiselLemire(exponent, mantissa) else { return nil }
        return Double(bitPattern: negative ? bits | (1 << 63) : bits)
    }

    /// 10^0 ... 10^22, every one exactly representable.
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The bit pattern of the double nearest `w × 10^q` (w != 0), after D. Lemire, "Number
    /// Parsing at a Gigabyte per Second" (2021), as implemented in fast_float. Nil only for the
    /// products the original paper left undecided, which then go to `strtod`.
    @inline(never)
    static func eiselLemire(_ q: Int, _ w: UInt64) -> UInt64? {
        let infinityBits: UInt64 = 0x7FF0_0000_0000_0000
        if q < -342 { return 0 }
        if q > 308 { return infinityBits }
        let leadingZeros = w.leadingZeroBitCount
        let normalizedW = w << UInt64(leadingZeros)
        let index = 2 * (q + 342)
        var (high, low) = normalizedW.multipliedFullWidth(by: powersOfFive128[index])
        let precisionMask: UInt64 = 0x1FF  // UInt64.max >> (52 + 3)
        if high & precisionMask == precisionMask {
            let second = normalizedW.multipliedFullWidth(by: powersOfFive128[index + 1]).high
            let (sum, overflow) = low.addingReportingOverflow(second)
            low = sum
            if overflow { high &+= 1 }
        }
        if low == UInt64.max && (q < -27 || q > 55) { return nil }
        let upperBit = Int(high >> 63)
        let shift = upperBit + 64 - 52 - 3
        var mantissa = high >> UInt64(shift)
        var power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upperBit - leadingZeros + 1023
        if power2 <= 0 {
            // Subnormal.
            if -power2 + 1 >= 64 { return 0 }
            mantissa >>= UInt64(-power2 + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            power2 = mantissa < (1 << 52) ? 0 : 1
            return mantissa | (UInt64(power2) << 52)
        }
        // A product exactly halfway between two doubles rounds to even.
        if low <= 1 && q >= -4 && q <= 23 && mantissa & 3 == 1 && (mantissa << UInt64(shift)) == high {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= (2 << 52) {
            mantissa = 1 << 52
            power2 += 1
        }
        mantissa &= ~(1 << 52)
        if power2 >= 0x7FF { return infinityBits }
        return mantissa | (UInt64(power2) << 52)
    }

    /// `strtod` on a NUL-terminated copy of `p[start..<end]`; nil unless it consumes every byte.
    /// Leading whitespace is refused, as `Double(String)` refuses it. Callers check the text is
    /// decimal first (`parseExactly`).
    static func strtodFallback(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let count = end - start
        guard count > 0 else { return nil }
        let first = p[start]
        if first == ASCII.space || (first >= ASCII.tab && first <= ASCII.cr) { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            for k in 0..<count { base[k] = CChar(bitPattern: p[start + k]) }
            base[count] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(base, &stop)
            guard stop == base + count else { return nil }
            return value
        }
    }
}
