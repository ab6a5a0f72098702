import Foundation
import Testing
import TraderCore
import TraderData

/// `DecimalParser` must agree with `Double(String)` (strtod) bit for bit on decimal text, and
/// refuse everything else (`DecimalText.isDecimal`: no hexadecimal floats, `inf` or `nan`).
@Suite("Decimal parsing")
struct DecimalParserTests {
    /// Checks one string; returns false (and records an issue) on a mismatch.
    @discardableResult
    static func agree(_ text: String) -> Bool {
        let expected = DecimalText.isDecimal(text.utf8) ? Double(text) : nil
        let actual = DecimalParser.parseDouble(text)
        let same: Bool
        switch (expected, actual) {
        case (nil, nil): same = true
        case let (e?, a?): same = e.bitPattern == a.bitPattern || (e.isNaN && a.isNaN)
        default: same = false
        }
        if !same {
            Issue.record("\(text.debugDescription): Double(String) gives \(String(describing: expected?.bitPattern)), parser gives \(String(describing: actual?.bitPattern))")
        }
        return same
    }

    static let tricky = [
        "0", "-0", "0.0", "-0.0", "+1", "1", "-1", ".5", "5.", "0.1", "0.2", "0.3", "1e23", "8.589973e9",
        "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995",
        "18446744073709551615", "18446744073709551616", "1234567890123456789", "12345678901234567890",
        "123456789012345678901234567890", "0.000000000000000000000000000001",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "2.2250738585072012e-308",
        "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "5e-324", "1e-324",
        "1e-400", "1e400", "-1e400", "0e999999", "1e-342", "1e-343", "9.999999999999999e22", "1e22", "1e-22",
        "7.2057594037927933e16", "2.9802322387695312e-8", "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126",
        "9007199254740993.0000000000000000000000001", "3.0517578125e-05", "4.35679872e+08", "1E5", "1e+05", "1e-05",
        "100.02850398232381", "0.30000000000000004", "123.456e-2", "000000000000000000000000000001.5",
        "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
        "1.4142135623730951", "2.718281828459045", "3.141592653589793", "6.02214076e23", "1.602176634e-19",
        "nan", "NaN", "-nan", "inf", "-inf", "infinity", "Infinity", "0x1p3", "0x1.8p-1", "-0x10",
        "", " ", "-", "+", ".", "e5", "1e", "1e+", "1e-", "1.2.3", "1,5", "1_000", " 1", "1 ", "--1", "+-1",
        "null", "0x", "1d", "1f", "١٢٣", "١",
    ]

    @Test func trickyStrings() {
        for text in Self.tricky { Self.agree(text) }
        // Double(String) stops at an embedded NUL (it hands the text to strtod as a C string) and
        // accepts "1\u{0}2" as 1; the parser refuses it, which is the right answer for a CSV field.
        #expect(DecimalParser.parseDouble("1\u{0}2") == nil)
    }

    @Test func randomDecimalStrings() {
        var random = SeededRandom(seed: 20_240_601)
        var mismatches = 0
        for _ in 0..<100_000 where mismatches < 10 {
            var text = ""
            if random.next() % 4 == 0 { text += random.next() % 2 == 0 ? "-" : "+" }
            let digits = 1 + Int(random.next() % 24)
            let point = Int(random.next() % UInt64(digits + 1))
            for k in 0..<digits {
                if k == point && random.next() % 3 != 0 { text += "." }
                // Bias towards long runs of 9s and 0s, where rounding is hardest.
                switch random.next() % 8 {
                case 0: text += "9"
                case 1: text += "0"
                default: text += String(random.next() % 10)
                }
            }
            if random.next() % 3 == 0 {
                text += random.next() % 2 == 0 ? "e" : "E"
                let exponent = Int(random.next() % 700) - 350
                text += random.next() % 2 == 0 ? String(exponent) : (exponent >= 0 ? "+\(exponent)" : String(exponent))
            }
            if !Self.agree(text) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func randomDoublesInEveryNotation() {
        var random = SeededRandom(seed: 7)
        var mismatches = 0
        for k in 0..<40_000 where mismatches < 10 {
            var value = Double(bitPattern: random.next())
            if !value.isFinite { continue }
            if k % 4 == 0 { value = (random.nextUniform() * 1000).rounded(.down) / 100 }  // prices like 12.34
            for text in [value.description, String(format: "%.17g", value), String(format: "%.16e", value),
                         String(format: "%.20e", value), String(format: "%.6f", value), String(format: "%.25g", value)] {
                if !Self.agree(text) { mismatches += 1 }
            }
            // The shortest form always reads back as the value itself.
            if DecimalParser.parseDouble(value.description)?.bitPattern != value.bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// The exact decimal expansion of `mantissa × 2^exponent` (a binary fraction always has one).
    static func exactDecimal(_ mantissa: UInt64, _ exponent: Int) -> String {
        // Little-endian base-10^9 limbs of mantissa × 2^max(e,0) × 5^max(-e,0).
        var limbs: [UInt64] = [mantissa % 1_000_000_000, mantissa / 1_000_000_000 % 1_000_000_000, mantissa / 1_000_000_000_000_000_000]
        func multiply(by factor: UInt64) {
            var carry: UInt64 = 0
            for k in limbs.indices {
                let product = limbs[k] * factor + carry
                limbs[k] = product % 1_000_000_000
                carry = product / 1_000_000_000
            }
            while carry > 0 { limbs.append(carry % 1_000_000_000); carry /= 1_000_000_000 }
        }
        var twos = max(exponent, 0), fives = max(-exponent, 0)
        while twos > 0 { let k = min(twos, 29); multiply(by: 1 << UInt64(k)); twos -= k }
        while fives > 0 {
            let k = min(fives, 13)
            multiply(by: (0..<k).reduce(1) { product, _ in product * 5 })
            fives -= k
        }
        while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() }
        var digits = String(limbs.last!)
        for limb in limbs.dropLast().reversed() {
            let text = String(limb)
            digits += String(repeating: "0", count: 9 - text.count) + text
        }
        let fractionDigits = max(-exponent, 0)
        if fractionDigits == 0 { return digits }
        if digits.count <= fractionDigits { digits = String(repeating: "0", count: fractionDigits - digits.count + 1) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -fractionDigits))
        return digits
    }

    @Test func exactHalfwayCasesRoundToEven() {
        #expect(Self.exactDecimal(3, -1) == "1.5")
        #expect(Self.exactDecimal(1, -3) == "0.125")
        #expect(Self.exactDecimal(5, 4) == "80")
        var random = SeededRandom(seed: 99)
        for k in 0..<20_000 {
            // An odd 54-bit integer is exactly halfway between two adjacent doubles: short enough
            // (19 digits or fewer) for the fast paths, which must round it to even.
            let odd = (UInt64(1) << 53) | (random.next() & ((1 << 53) - 1)) | 1
            let shift = Int(random.next() % 15) - 4
            let half = Self.exactDecimal(odd, shift)
            Self.agree(half)
            Self.agree(half.contains(".") ? half + "1" : half + ".1")  // just above halfway
            if k % 10 == 0 {
                // Halfway points in far binades need many digits (strtod territory).
                Self.agree(Self.exactDecimal(odd, Int(random.next() % 1200) - 1130))
            }
        }
    }

    @Test func numbersInsideCSVMatchToo() throws {
        var random = SeededRandom(seed: 3)
        var text = "Date,Open,High,Low,Close,Volume\n"
        var expected: [Double] = []
        for d in 0..<500 {
            let digits = 1 + Int(random.next() % 19)
            var number = String(1 + random.next() % 9)
            for _ in 1..<digits { number += String(random.next() % 10) }
            let cut = 1 + Int(random.next() % UInt64(number.count))
            number.insert(".", at: number.index(number.startIndex, offsetBy: cut))
            let value = Double(number)!
            expected.append(value)
            text += "\(Timestamp(nanos: day(2000, 1, 1) + Int64(d) * Timestamp.nanosPerDay)),\(number),\(number),\(number),\(number),\(number)\n"
        }
        let series = try parseCSV(text)
        #expect(series.open.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(series.close.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(series.volume.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
