public import TraderCore

/// A YAML document as plain values that remember where they were written, so every error about
/// a workflow file or a config file can name the file, line and column.
///
/// Only what these files need: mappings (in order, keys are strings), sequences and scalars
/// resolved to JSON types (`null`, booleans, integers, floats, strings). Anchors and aliases are
/// expanded by the parser (`YAMLComposer`), within `YAMLLimits`.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        case scalar(JSONValue)
        case mapping([(key: String, keyLocation: YAMLLocation, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    public let kind: Kind
    public let location: YAMLLocation

    /// Parses `text`; syntax errors, non-string keys, keys given twice and documents beyond
    /// `limits` (size, nesting, values with aliases expanded) are `YAMLError`s naming `file`,
    /// line and column. An empty document is an empty mapping.
    public static func parse(_ text: String, file: String, limits: YAMLLimits = .standard) throws(YAMLError) -> YAMLNode {
        guard text.utf8.count <= limits.maxBytes else {
            throw YAMLError(file: file, line: 1, column: 1, message: "larger than \(ByteCountText.format(limits.maxBytes)) (the limit of a YAML file)")
        }
        guard let root = try YAMLComposer.compose(text, file: file, limits: limits) else {
            return YAMLNode(kind: .mapping([]), location: YAMLLocation(file: file, line: 1, column: 1))
        }
        return root
    }

    /// A scalar as the YAML 1.1 core schema resolves it (`yes`/`no` stay strings: only
    /// true/false are booleans, as in YAML 1.2).
    static func scalarValue(_ text: String, plain: Bool) -> JSONValue {
        if !plain { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let i = Int(text.filter { $0 != "_" }), !text.hasPrefix("_") { return .integer(i) }
        // The one number syntax (`DecimalText`): `0x1p3`, `inf` or `1e400` stay text, and a key
        // that wants a number says so.
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

    /// One line whatever the file or the message quotes (`DisplayText.line`): sites quote what
    /// the user wrote with `DisplayText.quote`, and this is the guard for what they miss.
    public var description: String { DisplayText.line("\(file):\(line):\(column): \(message)") }
}
