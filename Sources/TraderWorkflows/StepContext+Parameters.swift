import Foundation
public import TraderCore

/// A parameter an action cannot use: names the step, the parameter and what was expected.
public struct StepParameterError: Error, CustomStringConvertible, Sendable {
    public let step: String
    public let parameter: String
    public let reason: String

    public init(step: String, parameter: String, reason: String) {
        self.step = step
        self.parameter = parameter
        self.reason = reason
    }

    public var description: String { "step '\(step)': parameter '\(parameter)' \(reason)" }
}

/// Typed access to a step's parameters (falling back to its dependencies' outputs, see
/// `value(_:)`), with errors that name the parameter.
extension StepContext {
    public func error(_ parameter: String, _ reason: String) -> StepParameterError {
        StepParameterError(step: step, parameter: parameter, reason: reason)
    }

    public func string(_ key: String) throws(StepParameterError) -> String? {
        guard let v = value(key) else { return nil }
        switch v {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        default: throw error(key, "must be text, got \(v.serialized(indent: nil))")
        }
    }

    public func requiredString(_ key: String) throws(StepParameterError) -> String {
        guard let s = try string(key) else { throw error(key, "is required") }
        return s
    }

    public func number(_ key: String) throws(StepParameterError) -> Double? {
        guard let v = value(key) else { return nil }
        switch v {
        case .number(let d): return d
        case .integer(let i): return Double(i)
        case .string(let s): if let d = DecimalText.parse(s) { return d }
        default: break
        }
        throw error(key, "must be a number, got \(v.serialized(indent: nil))")
    }

    public func integer(_ key: String) throws(StepParameterError) -> Int? {
        guard let d = try number(key) else { return nil }
        guard d == d.rounded(), abs(d) < 1e15 else { throw error(key, "must be a whole number, got \(d)") }
        return Int(d)
    }

    /// A number that must lie within `bounds`; the error names the parameter and the range.
    public func number(_ key: String, in bounds: Bounds) throws(StepParameterError) -> Double? {
        guard let d = try number(key) else { return nil }
        if let reason = bounds.violation(d) { throw error(key, reason) }
        return d
    }

    /// A whole number that must lie within `bounds` (checked before it becomes an `Int`).
    public func integer(_ key: String, in bounds: Bounds) throws(StepParameterError) -> Int? {
        guard let d = try number(key) else { return nil }
        if let reason = bounds.violation(d) { throw error(key, reason) }
        return Int(d)
    }

    public func bool(_ key: String) throws(StepParameterError) -> Bool? {
        guard let v = value(key) else { return nil }
        switch v {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        default: throw error(key, "must be true or false, got \(v.serialized(indent: nil))")
        }
    }

    /// A list given as a YAML list or as comma-separated text.
    public func strings(_ key: String) throws(StepParameterError) -> [String]? {
        guard let v = value(key) else { return nil }
        switch v {
        case .string(let s): return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .array(let items):
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw error(key, "must be a list of text, got \(v.serialized(indent: nil))") }
                out.append(s)
            }
            return out
        default: throw error(key, "must be a list, got \(v.serialized(indent: nil))")
        }
    }

    /// A mapping of names to numbers (strategy parameters, weights).
    public func numbers(_ key: String) throws(StepParameterError) -> [(String, Double)]? {
        guard let v = value(key) else { return nil }
        guard case .object(let pairs) = v else { throw error(key, "must be a mapping of names to numbers, got \(v.serialized(indent: nil))") }
        var out: [(String, Double)] = []
        for (k, item) in pairs {
            switch item {
            case .number(let d): out.append((k, d))
            case .integer(let i): out.append((k, Double(i)))
            default: throw error(key, "value of '\(k)' must be a number, got \(item.serialized(indent: nil))")
            }
        }
        return out
    }
}
