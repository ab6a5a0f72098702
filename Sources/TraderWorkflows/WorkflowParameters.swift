import Foundation
public import TraderCore

extension WorkflowDefinition {
    /// The workflow with `overrides` applied to its declared parameters and every `${name}` in
    /// its steps' parameters replaced.
    ///
    /// A parameter value that is exactly `${name}` takes the parameter's value with its type (a
    /// number stays a number); inside a longer string it is spliced in as text. Unknown names in
    /// `overrides` or in a step are errors, so a misspelt `--param` never runs silently with the
    /// default.
    public func instantiate(with overrides: [String: JSONValue] = [:]) throws(WorkflowError) -> WorkflowDefinition {
        let declared = parameters.map(\.name)
        for name in overrides.keys.sorted() where !declared.contains(name) {
            throw .unknownParameter(name, known: declared)
        }
        var given: [String: JSONValue] = [:]
        for p in parameters { given[p.name] = overrides[p.name] ?? p.value }
        let values = try resolveParameters(given)
        var copy = self
        copy.parameters = parameters.map { ($0.name, values[$0.name]!) }
        for i in copy.steps.indices {
            var substituted: [String: JSONValue] = [:]
            for (key, value) in copy.steps[i].parameters {
                substituted[key] = try Self.substitute(value, values, step: copy.steps[i].id)
            }
            copy.steps[i].parameters = substituted
        }
        return copy
    }

    /// Parameter values with their own `${name}` references to other parameters worked out, in
    /// any order of definition. A reference that leads back to where it started is a cycle; the
    /// error names the parameters in order and where the first was written, so a file that can
    /// never run is refused before anything starts (exit 2) rather than failing at a step.
    func resolveParameters(_ given: [String: JSONValue]) throws(WorkflowError) -> [String: JSONValue] {
        var resolved: [String: JSONValue] = [:]
        func resolve(_ name: String, chain: [String]) throws(WorkflowError) -> JSONValue {
            if let done = resolved[name] { return done }
            if let start = chain.firstIndex(of: name) {
                let cycle = chain[start...] + [name]
                throw .parameter(name: cycle.first!, reason: "refers to itself through ${}: \(cycle.joined(separator: " → "))",
                                 at: parameterLocations[cycle.first!])
            }
            guard let raw = given[name] else { throw .parameter(name: chain.last ?? name, reason: "refers to ${\(name)}, which is not a parameter",
                                                               at: chain.last.flatMap { parameterLocations[$0] }) }
            var references: [String] = []
            Self.collectReferences(raw, into: &references)
            var known: [String: JSONValue] = [:]
            for reference in references {
                known[reference] = try resolve(reference, chain: chain + [name])
            }
            let value: JSONValue
            do { value = try Self.substitute(raw, known, step: name) } catch {
                throw .parameter(name: name, reason: error.description.replacingOccurrences(of: "step '\(name)': ", with: ""),
                                 at: parameterLocations[name])
            }
            resolved[name] = value
            return value
        }
        for p in parameters { _ = try resolve(p.name, chain: []) }
        return resolved
    }

    /// The names `${name}` in `value` refers to (strings inside arrays and objects included).
    static func collectReferences(_ value: JSONValue, into names: inout [String]) {
        switch value {
        case .string(let text):
            var rest = Substring(text)
            while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
                names.append(String(rest[open.upperBound..<close]))
                rest = rest[rest.index(after: close)...]
            }
        case .array(let items): for item in items { collectReferences(item, into: &names) }
        case .object(let pairs): for (_, item) in pairs { collectReferences(item, into: &names) }
        default: break
        }
    }

    static func substitute(_ value: JSONValue, _ values: [String: JSONValue], step: String) throws(WorkflowError) -> JSONValue {
        switch value {
        case .string(let text):
            guard text.contains("${") else { return value }
            if text.hasPrefix("${"), text.hasSuffix("}"), text.dropFirst(2).dropLast().allSatisfy({ $0 != "}" && $0 != "$" }) {
                let name = String(text.dropFirst(2).dropLast())
                guard let v = values[name] else { throw .invalid(step: step, reason: "refers to ${\(name)}, which is not a parameter of the workflow") }
                return v
            }
            var out = ""
            var rest = Substring(text)
            while let open = rest.range(of: "${") {
                out += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                    throw .invalid(step: step, reason: "unclosed ${ in '\(text)'")
                }
                let name = String(rest[open.upperBound..<close])
                guard let v = values[name] else { throw .invalid(step: step, reason: "refers to ${\(name)}, which is not a parameter of the workflow") }
                out += v.plainText
                rest = rest[rest.index(after: close)...]
            }
            return .string(out + rest)
        case .array(let items):
            var out: [JSONValue] = []
            for item in items { out.append(try substitute(item, values, step: step)) }
            return .array(out)
        case .object(let pairs):
            var out: [(String, JSONValue)] = []
            for (k, v) in pairs { out.append((k, try substitute(v, values, step: step))) }
            return .object(out)
        default:
            return value
        }
    }

}

/// When a scheduled workflow runs: every `interval`, `times` runs or until it is stopped.
/// A run that takes longer than the interval delays the next one instead of overlapping it.
public struct WorkflowSchedule: Sendable, Equatable {
    public var interval: Duration
    public var times: Int?

    /// How many runs a schedule may ask for.
    public static let timesBounds = Bounds.integers(1, 1_000_000, unit: "runs")

    public init(interval: Duration, times: Int? = nil) {
        self.interval = interval
        self.times = times
    }

    /// Calls `body` with the run number (1, 2, ...) on the schedule until `times` runs are done,
    /// `body` returns false (a run was cancelled: the schedule ends with it) or the task is
    /// cancelled; returns how many ran.
    @discardableResult
    public func repeatRuns(_ body: (Int) async -> Bool) async -> Int {
        let clock = ContinuousClock()
        var count = 0
        while !Task.isCancelled {
            let started = clock.now
            count += 1
            guard await body(count) else { break }
            if let times, count >= times { break }
            do { try await clock.sleep(until: started + interval) } catch { break }
        }
        return count
    }
}

/// Durations as workflow files and `--every` write them: `250ms`, `30s`, `5m`, `2h`, `1d`, or a
/// bare number of seconds; a plain decimal number (`DecimalText`) within `bounds`.
public enum DurationText {
    public static func parse(_ text: String) -> Duration? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        var seconds: Double?
        for (suffix, unit) in units where t.hasSuffix(suffix) {
            // "ms" is tried before "s" and "m", so "5ms" never reads as minutes.
            seconds = DecimalText.parse(t.dropLast(suffix.count)).map { $0 * unit }
            break
        }
        if seconds == nil, t.last.map({ $0.isNumber || $0 == "." }) == true { seconds = DecimalText.parse(t) }
        // Checked before the conversion to whole milliseconds, which would trap beyond Int64.
        guard let seconds, bounds.contains(seconds) else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Durations users may write: zero to a year (`--every`, timeouts, retry back-offs, `wait`
    /// steps). No schedule needs more, and the bound keeps `1e300s` from trapping when it is
    /// turned into milliseconds.
    public static let bounds = Bounds.closed(0, 365 * 86_400, unit: "seconds")

    /// What `parse` accepts, in words, for error messages.
    public static let expectation = "a duration such as 250ms, 30s, 5m, 2h or 1d, at most 365d"

    /// Whole milliseconds (the unit of step records and JSON output).
    public static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1000 + Int(d.components.attoseconds / 1_000_000_000_000_000)
    }

    /// `1.5s`, `250ms`, `5m`: the shortest form for progress lines and `workflow show`.
    public static func format(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        if ms < 1000 { return "\(Int(ms.rounded()))ms" }
        let s = ms / 1000
        if s < 60 { return s == s.rounded() ? "\(Int(s))s" : String(format: "%.1fs", s) }
        if s.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(s / 3600))h" }
        if s.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(s / 60))m" }
        return String(format: "%.0fs", s)
    }
}
