public import TraderCore
import Yams

/// A YAML document as plain values that remember where they were written, so every error about
/// a workflow file or a config file can name the file, line and column.
///
/// Only what these files need: mappings (in order, keys are strings), sequences and scalars
/// resolved to JSON types (`null`, booleans, integers, floats, strings). Anchors and aliases are
/// expanded by the parser.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        case scalar(JSONValue)
        case mapping([(key: String, keyLocation: YAMLLocation, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    public let kind: Kind
    public let location: YAMLLocation

    /// Parses `text`; syntax errors and non-string keys are `YAMLError`s naming `file`, line and
    /// column. An empty document is an empty mapping.
    public static func parse(_ text: String, file: String) throws(YAMLError) -> YAMLNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw YAMLError.syntax(e, file: file)
        } catch {
            throw YAMLError(file: file, line: 1, column: 1, message: "\(error)")
        }
        guard let root else { return YAMLNode(kind: .mapping([]), location: YAMLLocation(file: file, line: 1, column: 1)) }
        return try convert(root, file: file)
    }

    static func convert(_ node: Node, file: String) throws(YAMLError) -> YAMLNode {
        let location = YAMLLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        switch node {
        case .scalar(let s):
            return YAMLNode(kind: .scalar(scalarValue(s)), location: location)
        case .sequence(let seq):
            var items: [YAMLNode] = []
            for item in seq { items.append(try convert(item, file: file)) }
            return YAMLNode(kind: .sequence(items), location: location)
        case .mapping(let map):
            var pairs: [(key: String, keyLocation: YAMLLocation, value: YAMLNode)] = []
            var seen = Set<String>()
            for (k, v) in map {
                let keyLocation = YAMLLocation(file: file, line: k.mark?.line ?? location.line, column: k.mark?.column ?? location.column)
                guard let key = k.scalar?.string else { throw keyLocation.error("keys must be plain text") }
                guard seen.insert(key).inserted else { throw keyLocation.error("'\(key)' is given twice") }
                pairs.append((key, keyLocation, try convert(v, file: file)))
            }
            return YAMLNode(kind: .mapping(pairs), location: location)
        case .alias:
            throw location.error("unresolved alias")
        }
    }

    /// A scalar as the YAML 1.1 core schema resolves it (`yes`/`no` stay strings: only
    /// true/false are booleans, as in YAML 1.2).
    static func scalarValue(_ s: Node.Scalar) -> JSONValue {
        let text = s.string
        if s.style != .plain { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let i = Int(text.replacingOccurrences(of: "_", with: "")), !text.hasPrefix("_") { return .integer(i) }
        // One number syntax everywhere: plain decimal (`0x1p3`, `.inf` and `.nan` stay text).
        if let d = DecimalText.parse(text) { return .number(d) }
        return .string(text)
    }

    /// The plain value (marks dropped), as JSON.
    public var json: JSONValue {
        switch kind {
        case .scalar(let v): v
        case .sequence(let items): .array(items.map(\.json))
        case .mapping(let pairs): .object(pairs.map { ($0.key, $0.value.json) })
        }
    }

    /// The entries of a mapping; any other node is an error saying what `what` should be.
    public func mapping(_ what: String) throws(YAMLError) -> [(key: String, keyLocation: YAMLLocation, value: YAMLNode)] {
        guard case .mapping(let pairs) = kind else { throw location.error("\(what) must be a mapping (key: value lines)") }
        return pairs
    }

    public func sequence(_ what: String) throws(YAMLError) -> [YAMLNode] {
        guard case .sequence(let items) = kind else { throw location.error("\(what) must be a list (- item lines)") }
        return items
    }

    /// Scalar text: strings as they are, numbers and booleans as written.
    public func text(_ what: String) throws(YAMLError) -> String {
        switch kind {
        case .scalar(.string(let s)): return s
        case .scalar(.integer(let i)): return String(i)
        case .scalar(.number(let d)): return String(d)
        case .scalar(.bool(let b)): return b ? "true" : "false"
        default: throw location.error("\(what) must be text")
        }
    }

    public func integer(_ what: String) throws(YAMLError) -> Int {
        guard case .scalar(.integer(let i)) = kind else { throw location.error("\(what) must be a whole number") }
        return i
    }

    public func bool(_ what: String) throws(YAMLError) -> Bool {
        guard case .scalar(.bool(let b)) = kind else { throw location.error("\(what) must be true or false") }
        return b
    }
}

/// Where a value was written.
public struct YAMLLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public func error(_ message: String) -> YAMLError { YAMLError(file: file, line: line, column: column, message: message) }
}

/// An error in a YAML file: `FILE:LINE:COLUMN: message`.
public struct YAMLError: Error, Equatable, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }

    static func syntax(_ e: YamlError, file: String) -> YAMLError {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let text = context.map { "\($0.text) " } ?? ""
            return YAMLError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(text)\(problem)".replacingOccurrences(of: "  ", with: " "))
        case let .duplicatedKeysInMapping(duplicates, context):
            return YAMLError(file: file, line: context.mark.line, column: context.mark.column,
                             message: "\(duplicates.map { "'\($0)'" }.joined(separator: ", ")) given twice in one mapping")
        case let .reader(problem, _, _, _):
            return YAMLError(file: file, line: 1, column: 1, message: "unreadable YAML: \(problem)")
        default:
            return YAMLError(file: file, line: 1, column: 1, message: "invalid YAML: \(e)")
        }
    }
}
