public import TraderCore

/// One tunable parameter of a strategy, with its default and valid range: what `gpt-trader
/// strategies` lists, what the CLI validates, and what optimizers search over.
public struct StrategyParameter: Hashable, Sendable {
    /// Whether the parameter takes whole numbers (periods) or any real value (thresholds).
    public enum Kind: String, Sendable { case integer, real }

    public let name: String
    public let kind: Kind
    public let defaultValue: Double
    /// The valid values (see `Bounds`); windows are `Bounds.window(minimum:)`.
    public let bounds: Bounds
    public let summary: String

    /// A window of bars (a period or lookback), from `min` to `Bounds.maxWindow`.
    public static func window(_ name: String, default defaultValue: Int, min: Int, _ summary: String) -> StrategyParameter {
        StrategyParameter(name: name, kind: .integer, defaultValue: Double(defaultValue), bounds: .window(minimum: min), summary: summary)
    }

    /// A real-valued parameter in `min ... max`.
    public static func real(_ name: String, default defaultValue: Double, min: Double, max: Double, _ summary: String) -> StrategyParameter {
        StrategyParameter(name: name, kind: .real, defaultValue: defaultValue, bounds: .closed(min, max), summary: summary)
    }

    init(name: String, kind: Kind, defaultValue: Double, bounds: Bounds, summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.bounds = bounds
        self.summary = summary
    }

    /// Smallest allowed value (inclusive).
    public var minimum: Double { bounds.lower }
    /// Largest allowed value (inclusive).
    public var maximum: Double { bounds.upper }
    /// Whether the value counts bars, so that it must fit the data it runs on.
    public var isWindow: Bool { bounds.unit == "bars" }

    /// Checks `value` against kind and range; the error names the parameter and the strategy.
    public func validate(_ value: Double, strategy: String) throws(StrategyError) {
        if let reason = bounds.violation(value) { throw .invalidParameter(strategy: strategy, name: name, reason: reason) }
    }

    /// The value as a user typed it: `10` for integers, `0.02` for reals.
    public func format(_ value: Double) -> String {
        (kind == .integer || value.rounded() == value) && abs(value) <= 1e15 ? String(Int(value)) : String(value)
    }
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
