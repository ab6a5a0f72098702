import Foundation
public import TraderCore

/// A condition over earlier steps' outputs: `STEP.OUTPUT OP VALUE`, where OP is one of `==`,
/// `!=`, `<`, `<=`, `>`, `>=` and VALUE a number, `true`/`false` or a quoted string, e.g.
/// `regime.volatility < 0.3` or `detect.regime == 'bull'`. The step named must be a dependency,
/// so its outputs exist when the condition is evaluated.
public struct StepCondition: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable { case eq = "==", ne = "!=", le = "<=", ge = ">=", lt = "<", gt = ">" }

    public let step: String
    public let output: String
    public let op: Operator
    public let value: JSONValue

    public var description: String { "\(step).\(output) \(op.rawValue) \(value.serialized(indent: nil))" }

    /// Parses the text; the error says what is wrong with it.
    public init(parsing text: String) throws(WorkflowError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Two-character operators first, so `<=` is not read as `<`.
        guard let op = [Operator.eq, .ne, .le, .ge, .lt, .gt].first(where: { trimmed.contains($0.rawValue) }),
              let range = trimmed.range(of: op.rawValue) else {
            throw .invalidCondition(step: "", reason: "'\(text)' has no operator (==, !=, <, <=, >, >=)")
        }
        let left = trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        let right = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
        let path = left.split(separator: ".", maxSplits: 1).map(String.init)
        guard path.count == 2, !path[0].isEmpty, !path[1].isEmpty else {
            throw .invalidCondition(step: "", reason: "'\(text)': the left side must be STEP.OUTPUT")
        }
        let value: JSONValue
        if right == "true" || right == "false" {
            value = .bool(right == "true")
        } else if let d = Double(right) {
            value = .number(d)
        } else if right.count >= 2, let q = right.first, q == "'" || q == "\"", right.last == q {
            value = .string(String(right.dropFirst().dropLast()))
        } else {
            throw .invalidCondition(step: "", reason: "'\(text)': the right side must be a number, true/false or a quoted string")
        }
        self.step = path[0]
        self.output = path[1]
        self.op = op
        self.value = value
    }

    /// Whether the condition holds for `outputs` (step id → its outputs). A missing output or
    /// values of different kinds make it false.
    public func holds(_ outputs: [String: [String: JSONValue]]) -> Bool {
        guard let actual = outputs[step]?[output] else { return false }
        switch (actual.doubleValue, value.doubleValue) {
        case let (a?, b?):
            switch op {
            case .eq: return a == b
            case .ne: return a != b
            case .lt: return a < b
            case .le: return a <= b
            case .gt: return a > b
            case .ge: return a >= b
            }
        default:
            let same = actual.serialized(indent: nil) == value.serialized(indent: nil)
            switch op {
            case .eq: return same
            case .ne: return !same
            default: return false
            }
        }
    }
}
