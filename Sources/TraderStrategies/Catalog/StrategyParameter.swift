import TraderCore

/// One tunable parameter of a strategy, with its default and valid range: what `gpt-trader
/// strategies` lists, what the CLI validates, and what optimizers search over.
public struct StrategyParameter: Hashable, Sendable {
    /// Whether the parameter takes whole numbers (periods) or any real value (thresholds).
    public enum Kind: String, Sendable { case integer, real }

    public let name: String
    public let kind: Kind
    public let defaultValue: Double
    /// Smallest allowed value (inclusive).
    public let minimum: Double
    /// Largest allowed value (inclusive).
    public let maximum: Double
    public let summary: String

    public init(_ name: String, _ kind: Kind, default defaultValue: Double, min: Double, max: Double = .infinity, _ summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.minimum = min
        self.maximum = max
        self.summary = summary
    }

    /// Checks `value` against kind and range; the error names the parameter and the strategy.
    public func validate(_ value: Double, strategy: String) throws(StrategyError) {
        guard value.isFinite else { throw .invalidParameter(strategy: strategy, name: name, reason: "must be a finite number") }
        if kind == .integer && value.rounded() != value {
            throw .invalidParameter(strategy: strategy, name: name, reason: "must be a whole number, got \(value)")
        }
        // Whole numbers are used as `Int` (periods, lookbacks): beyond 10^15 the conversion could
        // trap, and no series is that long.
        if kind == .integer && abs(value) > Self.largestWholeNumber {
            throw .invalidParameter(strategy: strategy, name: name, reason: "must be at most \(format(Self.largestWholeNumber)), got \(value)")
        }
        guard value >= minimum && value <= maximum else {
            let range = maximum.isInfinite ? ">= \(format(minimum))" : "between \(format(minimum)) and \(format(maximum))"
            throw .invalidParameter(strategy: strategy, name: name, reason: "must be \(range), got \(format(value))")
        }
    }

    /// The value as a user typed it: `10` for integers, `0.02` for reals.
    public func format(_ value: Double) -> String {
        (kind == .integer || value.rounded() == value) && abs(value) <= 1e15 ? String(Int(value)) : String(value)
    }

    /// The largest magnitude of a whole-number parameter.
    static let largestWholeNumber: Double = 1e15
}

/// Why a strategy could not be built from what the user asked for.
public enum StrategyError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownStrategy(String, known: [String])
    case unknownParameter(strategy: String, name: String, known: [String])
    case invalidParameter(strategy: String, name: String, reason: String)
    case constraint(strategy: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownStrategy(name, known):
            "unknown strategy '\(name)'; choose one of: \(known.joined(separator: ", "))"
        case let .unknownParameter(strategy, name, known):
            "strategy '\(strategy)' has no parameter '\(name)'" + (known.isEmpty ? "" : "; its parameters are: \(known.joined(separator: ", "))")
        case let .invalidParameter(strategy, name, reason):
            "\(strategy): parameter '\(name)' \(reason)"
        case let .constraint(strategy, reason):
            "\(strategy): \(reason)"
        }
    }
}

extension StrategyError {
    init(_ error: DomainError, strategy: String) {
        switch error {
        case let .invalid(field, reason): self = .invalidParameter(strategy: strategy, name: field, reason: reason)
        }
    }
}
