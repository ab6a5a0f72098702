import ArgumentParser
import TraderCore

/// How every number option reads its value: plain decimal only (`DecimalText`), and negative
/// values taken as values.
///
/// Swift's own `Double(String)` would also take `0x1p3`, `inf` and `nan`, and ArgumentParser
/// would read `--fast -5` as a missing value followed by an unknown option `-5`. Number options
/// are declared with `parsing: .unconditional` (the next word is the value, whatever it looks
/// like), so `-5` reaches the option's range check and gets an error that says what the range
/// is; the range itself is checked where the value enters the domain (`Bounds`), not here.
///
/// Options without a default take one of these transforms. Options with a default are of type
/// `Real`, `Whole` or `Seed` instead: ArgumentParser shows no default in `--help` for an option
/// read through a transform, and `--help` must show the effective default (configuration
/// included).
enum NumberArgument {
    /// A real number: `10000`, `-0.5`, `1e-3`.
    static func real(_ text: String) throws -> Double {
        guard let value = DecimalText.parse(text) else { throw NumberArgumentError(text: text, expected: DecimalText.expectation) }
        return value
    }

    /// A whole number: `10`, `-5` (not `1e3`, not `0x10`).
    static func whole(_ text: String) throws -> Int {
        guard let value = DecimalText.parseInteger(text) else {
            throw NumberArgumentError(text: text, expected: "a whole number")
        }
        return value
    }

    /// A seed: any whole number from 0 to 18446744073709551615.
    static func seed(_ text: String) throws -> UInt64 {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") <= 9 }), let value = UInt64(text) else {
            throw NumberArgumentError(text: text, expected: "a whole number from 0 to \(UInt64.max)")
        }
        return value
    }
}

/// A number option's value that is not a number of the right kind. ArgumentParser prints it after
/// the option's name: `The value '0x10' is invalid for '--capital <capital>': not a decimal number`.
struct NumberArgumentError: Error, CustomStringConvertible {
    let text: String
    let expected: String
    var description: String { "not \(expected)" }
}

/// A decimal number option with a default (`--capital`): see `NumberArgument`.
struct Real: ExpressibleByArgument, Sendable, Equatable {
    var value: Double
    init(_ value: Double) { self.value = value }
    init?(argument: String) {
        guard let value = DecimalText.parse(argument) else { return nil }
        self.value = value
    }
    var defaultValueDescription: String { Bounds.format(value) }
}

/// A whole-number option with a default (`--top`): see `NumberArgument`.
struct Whole: ExpressibleByArgument, Sendable, Equatable {
    var value: Int
    init(_ value: Int) { self.value = value }
    init?(argument: String) {
        guard let value = DecimalText.parseInteger(argument) else { return nil }
        self.value = value
    }
    var defaultValueDescription: String { String(value) }
}

/// A seed option with a default: any whole number from 0 to `UInt64.max`.
struct Seed: ExpressibleByArgument, Sendable, Equatable {
    var value: UInt64
    init(_ value: UInt64) { self.value = value }
    init?(argument: String) {
        guard let value = try? NumberArgument.seed(argument) else { return nil }
        self.value = value
    }
    var defaultValueDescription: String { String(value) }
}
