public import TraderCore

/// One setting of the configuration file: where it lives (`section.name`), what it holds, its
/// default, and how it is shown (secrets never are).
public struct ConfigKey: Sendable {
    public enum Kind: Sendable {
        case text
        /// A whole number within the bounds, or 0 when `zeroMeans` says what 0 stands for.
        case integer(Bounds, zeroMeans: String? = nil)
        /// A number within the bounds, or 0 when `zeroMeans` says what 0 stands for.
        case number(Bounds, zeroMeans: String? = nil)
        case bool
        case choice([String])

        var expectation: String {
            switch self {
            case .text: "text"
            case let .integer(b, zero), let .number(b, zero): (zero.map { "0 (\($0)) or " } ?? "") + b.expectation
            case .bool: "true or false"
            case .choice(let options): "one of \(options.joined(separator: ", "))"
            }
        }

        /// Whether `value` is valid for a number kind.
        func accepts(_ value: Double) -> Bool {
            switch self {
            case let .integer(b, zero), let .number(b, zero): b.contains(value) || (zero != nil && value == 0)
            default: false
            }
        }
    }

    /// How a value is shown: a secret as `***`, a URL with its password replaced.
    public enum Secrecy: Sendable { case none, secret, urlPassword }

    public let section: String
    public let name: String
    public let kind: Kind
    public let defaultValue: JSONValue
    public let help: String
    public let secrecy: Secrecy
    /// The variable the rest of the program reads for this setting (`GPT_TRADER_DATABASE_URL`):
    /// set, it wins over the file; unset, it is given the configured value.
    public let alias: String?

    public init(_ section: String, _ name: String, _ kind: Kind, _ defaultValue: JSONValue, _ help: String,
                secrecy: Secrecy = .none, alias: String? = nil) {
        self.section = section
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
        self.secrecy = secrecy
        self.alias = alias
    }

    public var path: String { "\(section).\(name)" }
    /// `BOT_V2_<SECTION>_<KEY>`, as bot_v2 named them.
    public var environmentVariable: String { "BOT_V2_\(section.uppercased())_\(name.uppercased())" }

    /// `value` checked and normalized for this key (text read from the environment or the
    /// command line is converted); the error says what was expected.
    public func normalize(_ value: JSONValue) throws(ConfigValueError) -> JSONValue {
        switch (kind, value) {
        case (.text, .string), (.bool, .bool): return value
        case (.text, .integer(let i)): return .string(String(i))
        case (.text, .number(let d)): return .string(String(d))
        case (.integer, .integer(let i)) where kind.accepts(Double(i)): return value
        case (.integer, .string(let s)) where DecimalText.parseInteger(s) != nil: return try normalize(.integer(DecimalText.parseInteger(s)!))
        case (.number, .number(let d)) where kind.accepts(d): return value
        case (.number, .integer(let i)) where kind.accepts(Double(i)): return .number(Double(i))
        case (.number, .string(let s)) where DecimalText.parse(s) != nil: return try normalize(.number(DecimalText.parse(s)!))
        case (.bool, .string("true")): return .bool(true)
        case (.bool, .string("false")): return .bool(false)
        case (.choice(let options), .string(let s)) where options.contains(s): return value
        default:
            throw ConfigValueError(reason: "must be \(kind.expectation), got \(DisplayText.quote(value.serialized(indent: nil)))")
        }
    }

    /// The value as `config show` and `config get` print it.
    public func display(_ value: JSONValue) -> String {
        let text = value.plainText
        switch secrecy {
        case .none: return text
        case .secret: return text.isEmpty ? "" : "***"
        case .urlPassword: return text.isEmpty ? "" : DatabaseLocation.redactURL(text)
        }
    }
}

/// A value a key does not accept.
public struct ConfigValueError: Error, Sendable {
    public let reason: String
}
