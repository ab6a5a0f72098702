/// The valid values of a number a user gives: a documented range, checked where the value enters.
///
/// Every numeric setting (strategy parameters, execution settings, sizing, optimizer and
/// analysis settings, workflow step parameters, configuration keys) has exactly one `Bounds`
/// value, defined beside the type it configures and read by every face that accepts it: the CLI
/// option, the configuration key, the workflow action and the API field check the same range and
/// say the same words. `docs/limits.md` lists them all (a test keeps it equal to the code).
///
/// Ranges are finite on purpose: a window near `Int.max` or a capital of `1e308` has no meaning,
/// and accepting it would mean allocating gigabytes or computing with infinities. Checking
/// against `Bounds` before any conversion also keeps `Int(someDouble)` from trapping.
public struct Bounds: Hashable, Sendable, CustomStringConvertible {
    /// Smallest value, included unless `lowerOpen`.
    public let lower: Double
    /// Largest value, included unless `upperOpen`.
    public let upper: Double
    /// Whether `lower` itself is excluded (a capital must be above 0, not 0).
    public let lowerOpen: Bool
    /// Whether `upper` itself is excluded (a stop-loss must be below 1).
    public let upperOpen: Bool
    /// Whether only whole numbers are valid (periods, counts).
    public let whole: Bool
    /// What the number counts, for messages and documentation (`bars`, `basis points`), or nil.
    public let unit: String?

    public init(lower: Double, upper: Double, lowerOpen: Bool = false, upperOpen: Bool = false, whole: Bool = false, unit: String? = nil) {
        precondition(lower.isFinite && upper.isFinite && lower <= upper, "Bounds must be a finite, non-empty range")
        self.lower = lower
        self.upper = upper
        self.lowerOpen = lowerOpen
        self.upperOpen = upperOpen
        self.whole = whole
        self.unit = unit
    }

    /// `lower ... upper`, both included.
    public static func closed(_ lower: Double, _ upper: Double, unit: String? = nil) -> Bounds {
        Bounds(lower: lower, upper: upper, unit: unit)
    }

    /// Whole numbers `lower ... upper`.
    public static func integers(_ lower: Int, _ upper: Int, unit: String? = nil) -> Bounds {
        Bounds(lower: Double(lower), upper: Double(upper), whole: true, unit: unit)
    }

    /// Longest window (period, lookback) any indicator or strategy takes, in bars: a million
    /// bars is two years of minute bars, and the window's buffer (8 MB) stays small however many
    /// optimizer workers hold one.
    public static let maxWindow = 1_000_000

    /// A window of bars from `minimum` to `maxWindow`.
    public static func window(minimum: Int = 1) -> Bounds { .integers(minimum, maxWindow, unit: "bars") }

    /// Whether `value` is in range (and whole, when it must be).
    public func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        if whole && value.rounded(.towardZero) != value { return false }
        let aboveLower = lowerOpen ? value > lower : value >= lower
        let belowUpper = upperOpen ? value < upper : value <= upper
        return aboveLower && belowUpper
    }

    /// Whether `value` is in range.
    public func contains(_ value: Int) -> Bool { contains(Double(value)) }

    /// Why `value` is not valid (`must be between 1 and 1000000 bars, got 5000000000`), or nil.
    public func violation(_ value: Double) -> String? {
        if contains(value) { return nil }
        if value.isNaN { return "must be \(expectation), got NaN" }
        if whole && value.isFinite && value.rounded(.towardZero) != value && inRangeIgnoringWholeness(value) {
            return "must be a whole number, got \(Self.format(value))"
        }
        return "must be \(expectation), got \(Self.format(value))"
    }

    /// Why `value` is not valid, or nil.
    public func violation(_ value: Int) -> String? { contains(value) ? nil : "must be \(expectation), got \(value)" }

    /// Throws `DomainError.invalid(field:reason:)` unless `value` is valid; returns it.
    @discardableResult
    public func check(_ value: Double, field: String) throws(DomainError) -> Double {
        if let reason = violation(value) { throw .invalid(field: field, reason: reason) }
        return value
    }

    /// Throws `DomainError.invalid(field:reason:)` unless `value` is valid; returns it.
    @discardableResult
    public func check(_ value: Int, field: String) throws(DomainError) -> Int {
        if let reason = violation(value) { throw .invalid(field: field, reason: reason) }
        return value
    }

    /// `value` as an `Int` when it is valid and `whole` (never traps: the range is checked first).
    public func checkInteger(_ value: Double, field: String) throws(DomainError) -> Int {
        try check(value, field: field)
        return Int(value)
    }

    /// What a valid value is, in words: `between 1 and 1000000 bars`, `in (0, 1]`, `at least 0`.
    public var expectation: String {
        let u = unit.map { " \($0)" } ?? ""
        if !lowerOpen && !upperOpen {
            return (whole ? "a whole number " : "a number ") + "between \(Self.format(lower)) and \(Self.format(upper))\(u)"
        }
        return "in \(lowerOpen ? "(" : "[")\(Self.format(lower)), \(Self.format(upper))\(upperOpen ? ")" : "]")\(u)"
    }

    /// The range as `docs/limits.md` shows it: `1 … 1000000 bars`, `(0, 1]`.
    public var description: String {
        let u = unit.map { " \($0)" } ?? ""
        if !lowerOpen && !upperOpen { return "\(Self.format(lower)) … \(Self.format(upper))\(u)" + (whole ? " (whole)" : "") }
        return "\(lowerOpen ? "(" : "[")\(Self.format(lower)), \(Self.format(upper))\(upperOpen ? ")" : "]")\(u)"
    }

    /// A number as users write it: `10`, `0.02`, `1e12`.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-infinity" : "infinity") }
        if value == value.rounded(), abs(value) < 1e7 { return String(Int(value)) }
        if value == value.rounded(), abs(value) < 1e16 {
            // 1000000000000 reads better as 1e12; keep other large whole numbers exact.
            var mantissa = abs(value), exponent = 0
            while mantissa >= 10, mantissa.truncatingRemainder(dividingBy: 10) == 0 { mantissa /= 10; exponent += 1 }
            if mantissa < 10 && exponent >= 7 { return "\(value < 0 ? "-" : "")\(Int(mantissa))e\(exponent)" }
            return String(Int(value))
        }
        return "\(value)"
    }

    private func inRangeIgnoringWholeness(_ value: Double) -> Bool {
        (lowerOpen ? value > lower : value >= lower) && (upperOpen ? value < upper : value <= upper)
    }
}
