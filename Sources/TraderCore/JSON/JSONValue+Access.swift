/// Reading values out of a `JSONValue` without a `switch` at every call site: workflow outputs,
/// step records, status documents and configuration values all need the same few lookups.
extension JSONValue {
    /// The value of `key` in an object (the first, if repeated); nil for a missing key or a
    /// value that is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// A number or an integer as a `Double`; nil for anything else.
    public var doubleValue: Double? {
        switch self {
        case .number(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The value as it reads inside text: a string without quotes, anything else as compact JSON.
    public var plainText: String { stringValue ?? serialized(indent: nil) }
}
