public import TraderCore
public import TraderStrategies

/// Why a parameter search could not be set up; each case names what the user typed.
public enum OptimizationError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedRange(String, reason: String)
    case malformedConstraint(String, reason: String)
    case unknownParameter(String, known: [String])
    case emptySpace(reason: String)
    case unknownMetric(String, known: [String])

    public var description: String {
        switch self {
        case let .malformedRange(text, reason): "--param '\(text)': \(reason)"
        case let .malformedConstraint(text, reason): "--constraint '\(text)': \(reason)"
        case let .unknownParameter(name, known): "unknown parameter '\(name)' (searchable: \(known.joined(separator: ", ")))"
        case let .emptySpace(reason): "nothing to search: \(reason)"
        case let .unknownMetric(name, known): "unknown metric '\(name)'; choose one of: \(known.joined(separator: ", "))"
        }
    }
}

/// The values one parameter takes in a search.
///
/// Written `name=start:stop:step` (inclusive of `stop` when the steps land on it, as
/// `fast=5:50:5`), `name=a,b,c` for a list, or `name=v` for a single value.
public struct ParameterRange: Hashable, Sendable {
    public let name: String
    public let values: [Double]

    public init(name: String, values: [Double]) throws(OptimizationError) {
        guard !values.isEmpty else { throw .malformedRange(name, reason: "no values") }
        guard values.allSatisfy(\.isFinite) else { throw .malformedRange(name, reason: "values must be finite numbers") }
        self.name = name
        self.values = values
    }

    /// Parses `name=start:stop:step`, `name=a,b,c` or `name=v`.
    public init(parsing text: String) throws(OptimizationError) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .malformedRange(text, reason: "expected name=start:stop:step, name=a,b,c or name=value")
        }
        let name = String(parts[0]), spec = String(parts[1])
        func number(_ s: Substring) throws(OptimizationError) -> Double {
            guard let v = DecimalText.parse(s.trimmingSpaces) else {
                throw .malformedRange(text, reason: "'\(DisplayText.quote(s))' is not \(DecimalText.expectation)")
            }
            return v
        }
        if spec.contains(":") {
            let f = spec.split(separator: ":", omittingEmptySubsequences: false)
            guard f.count == 3 else { throw .malformedRange(text, reason: "a range needs start:stop:step") }
            let start = try number(f[0]), stop = try number(f[1]), step = try number(f[2])
            guard step > 0 else { throw .malformedRange(text, reason: "step must be > 0") }
            guard stop >= start else { throw .malformedRange(text, reason: "stop (\(Bounds.format(stop))) is below start (\(Bounds.format(start)))") }
            // Counted in floating point and checked before any conversion: (stop - start) / step
            // can be far beyond Int's range (or infinite) for hostile input.
            let steps = ((stop - start) / step + 1e-9).rounded(.down)
            guard steps.isFinite, steps < Double(Self.maxValues) else {
                throw .malformedRange(text, reason: "more than \(Self.maxValues) values")
            }
            let count = Int(steps) + 1
            // start + i × step (not repeated addition), so 0.1 steps do not drift.
            try self.init(name: name, values: (0..<count).map { start + Double($0) * step })
        } else {
            var values: [Double] = []
            for item in spec.split(separator: ",") { values.append(try number(item)) }
            guard values.count <= Self.maxValues else { throw .malformedRange(text, reason: "more than \(Self.maxValues) values") }
            try self.init(name: name, values: values)
        }
    }

    /// Most values one range may take.
    public static let maxValues = 1_000_000
}

/// A rule between parameters (or a parameter and a number) that every searched set must satisfy,
/// written `fast<slow`, `lookback>=10`, `a!=b`.
public struct ParameterConstraint: Hashable, Sendable, CustomStringConvertible {
    public enum Comparison: String, Sendable, CaseIterable {
        case lessOrEqual = "<=", greaterOrEqual = ">=", notEqual = "!=", equal = "==", less = "<", greater = ">"
    }
    /// A parameter name or a literal number.
    public enum Operand: Hashable, Sendable {
        case parameter(String)
        case number(Double)
    }

    public let left: Operand
    public let comparison: Comparison
    public let right: Operand
    public let text: String

    public init(parsing text: String) throws(OptimizationError) {
        let compact = text.filter { !$0.isWhitespace }
        // Two-character operators first, so "<=" is not read as "<".
        for op in Comparison.allCases {
            guard let r = compact.firstRange(of: op.rawValue) else { continue }
            let l = String(compact[..<r.lowerBound]), rhs = String(compact[r.upperBound...])
            guard !l.isEmpty, !rhs.isEmpty else { throw .malformedConstraint(text, reason: "needs a value on both sides of \(op.rawValue)") }
            func operand(_ s: String) -> Operand { DecimalText.parse(s).map(Operand.number) ?? .parameter(s) }
            self.left = operand(l)
            self.comparison = op
            self.right = operand(rhs)
            self.text = text
            return
        }
        throw .malformedConstraint(text, reason: "expected a comparison such as fast<slow (<, <=, >, >=, ==, !=)")
    }

    /// Parameter names the constraint refers to.
    public var parameters: [String] {
        [left, right].compactMap { if case let .parameter(p) = $0 { p } else { nil } }
    }

    /// Whether `values` satisfies the rule.
    public func isSatisfied(by values: [String: Double]) -> Bool {
        func value(_ o: Operand) -> Double {
            switch o {
            case let .parameter(p): values[p] ?? .nan
            case let .number(v): v
            }
        }
        let a = value(left), b = value(right)
        switch comparison {
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        case .equal: return a == b
        case .notEqual: return a != b
        }
    }

    public var description: String { text }
}

/// The sets of parameters a search visits: the product of the ranges, filtered by constraints.
public struct ParameterSpace: Sendable {
    public let ranges: [ParameterRange]
    public let constraints: [ParameterConstraint]

    /// Checks that every range and constraint names one of `known` parameters.
    public init(ranges: [ParameterRange], constraints: [ParameterConstraint] = [], known: [String]) throws(OptimizationError) {
        guard !ranges.isEmpty else { throw .emptySpace(reason: "give at least one --param") }
        var seen = Set<String>()
        for r in ranges {
            guard known.contains(r.name) else { throw .unknownParameter(r.name, known: known) }
            guard seen.insert(r.name).inserted else { throw .malformedRange(r.name, reason: "parameter given twice") }
        }
        for c in constraints {
            for p in c.parameters where !known.contains(p) { throw .unknownParameter(p, known: known) }
        }
        self.ranges = ranges
        self.constraints = constraints
    }

    /// Size of the unfiltered product (saturating at `Int.max`: five ranges of a million values
    /// each must say "too many", not overflow).
    public var productSize: Int {
        ranges.reduce(1) { size, range in
            let (product, overflow) = size.multipliedReportingOverflow(by: range.values.count)
            return overflow ? Int.max : product
        }
    }

    /// Checks every value of every range against the strategy's parameter bounds, and windows
    /// against the `barCount` bars the search runs on (when given): one error naming the range,
    /// before a single set is run.
    public func check(against descriptor: StrategyDescriptor, barCount: Int? = nil) throws(OptimizationError) {
        for r in ranges {
            guard let p = descriptor.parameter(named: r.name) else { continue }
            for v in r.values {
                if let reason = p.bounds.violation(v) {
                    throw .malformedRange(r.name, reason: reason)
                }
            }
            if let barCount, p.isWindow, let longest = r.values.max(), Int(longest) > barCount {
                throw .malformedRange(r.name, reason: "\(r.name) up to \(p.format(longest)) bars is longer than the data (\(barCount) bars)")
            }
        }
    }

    /// The parameter set at position `index` of the product (last range varies fastest).
    public func combination(at index: Int) -> [String: Double] {
        var rest = index
        var out: [String: Double] = [:]
        for r in ranges.reversed() {
            out[r.name] = r.values[rest % r.values.count]
            rest /= r.values.count
        }
        return out
    }

    func satisfies(_ values: [String: Double]) -> Bool { constraints.allSatisfy { $0.isSatisfied(by: values) } }

    /// Every set of the product that satisfies the constraints, in product order.
    public func grid() throws(OptimizationError) -> [[String: Double]] {
        guard productSize <= OptimizerLimits.maxGridSets else {
            let size = productSize == Int.max ? "more than \(Int.max)" : "\(productSize)"
            throw .emptySpace(reason: "the grid has \(size) sets (at most \(OptimizerLimits.maxGridSets)); use --method random")
        }
        let all = (0..<productSize).lazy.map(combination(at:)).filter(satisfies)
        let sets = Array(all)
        guard !sets.isEmpty else { throw .emptySpace(reason: "no parameter set satisfies the constraints") }
        return sets
    }

    /// `count` distinct sets drawn uniformly from the constrained product with `seed`; the same seed
    /// gives the same sets in the same order. Fewer when the space is smaller.
    public func sample(_ count: Int, seed: UInt64) throws(OptimizationError) -> [[String: Double]] {
        if let reason = OptimizerLimits.samples.violation(count) { throw .emptySpace(reason: "--samples \(reason)") }
        var rng = SeededRandom(seed: seed)
        let size = productSize
        var chosen: [[String: Double]] = []
        var seen = Set<Int>()
        var attempts = 0
        // Rejection sampling over product indices; bounded so a tight constraint cannot loop forever.
        while chosen.count < count && seen.count < size && attempts < count * 200 + 10_000 {
            attempts += 1
            let i = Int(rng.next() % UInt64(size))
            guard seen.insert(i).inserted else { continue }
            let set = combination(at: i)
            if satisfies(set) { chosen.append(set) }
        }
        guard !chosen.isEmpty else { throw .emptySpace(reason: "no parameter set satisfies the constraints") }
        return chosen
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return s
    }
}

extension String {
    var trimmingSpaces: String { String(Substring(self).trimmingSpaces) }
}
