/// The one number syntax users may write: plain decimal.
///
/// `Double(String)` (and `strtod`) also take hexadecimal floats (`0x1p3`), `inf`, `infinity` and
/// `nan` in any case, which no price, option or setting should ever be. Every place that reads a
/// number from a user (options, `--param`, configuration, workflow files, CSV rows, ranges) checks
/// the text against `isDecimal` first, so `0x10` is refused everywhere with the same words
/// rather than read as 16 in one place and refused in another.
///
/// Grammar: `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?`, ASCII only, nothing
/// before or after (callers trim what their format allows, such as spaces in a CSV field).
public enum DecimalText {
    /// What the grammar is called in error messages.
    public static let expectation = "a decimal number"

    /// Whether all of `bytes` is a decimal number in the grammar above.
    public static func isDecimal(_ bytes: some Collection<UInt8>) -> Bool {
        var i = bytes.startIndex
        let end = bytes.endIndex
        if i != end && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i = bytes.index(after: i) }
        var digits = 0
        while i != end && isDigit(bytes[i]) { digits += 1; i = bytes.index(after: i) }
        if i != end && bytes[i] == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            while i != end && isDigit(bytes[i]) { digits += 1; i = bytes.index(after: i) }
        }
        guard digits > 0 else { return false }
        if i != end && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i = bytes.index(after: i)
            if i != end && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i = bytes.index(after: i) }
            var exponentDigits = 0
            while i != end && isDigit(bytes[i]) { exponentDigits += 1; i = bytes.index(after: i) }
            guard exponentDigits > 0 else { return false }
        }
        return i == end
    }

    /// The value of `text` when it is a decimal number whose value is finite (`1e400` is not:
    /// it would be infinity), else nil. Correctly rounded (the standard library's parser).
    public static func parse(_ text: some StringProtocol) -> Double? {
        guard isDecimal(text.utf8), let value = Double(String(text)), value.isFinite else { return nil }
        return value
    }

    /// `text` as a whole number: decimal digits with an optional sign and no fraction or
    /// exponent, within `Int`'s range; nil otherwise (`1e3`, `0x10` and `9999999999999999999`
    /// included).
    public static func parseInteger(_ text: some StringProtocol) -> Int? {
        let bytes = text.utf8
        guard !bytes.isEmpty else { return nil }
        var sawDigit = false
        for (k, b) in bytes.enumerated() {
            if isDigit(b) { sawDigit = true; continue }
            if k == 0 && (b == UInt8(ascii: "+") || b == UInt8(ascii: "-")) { continue }
            return nil
        }
        guard sawDigit else { return nil }
        return Int(String(text))
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") <= 9 }
}
