public import Foundation
public import TraderCore

/// What a JSON field holds, as far as `Fields`' typed reads care.
enum FieldValue {
    case text(String)
    case number(Double)
    /// A whole number as the parser read it (kept exact beyond 2^53).
    case integer(Int)
    case other
}

/// A decoded JSON object that `Fields` reads: Foundation's `[String: Any]` (the REST answers) or
/// the members of a `JSONValue` object (the stream's frames, read without building Foundation
/// values: no boxing of every number, no dynamic cast per field, on the path from the socket to
/// the order).
protocol FieldObject {
    /// The field `key`, nil when missing.
    func field(_ key: String) -> FieldValue?
    /// The field `key` as a list of text (empty when missing or of another kind).
    func texts(_ key: String) -> [String]
}

extension Dictionary: FieldObject where Key == String, Value == Any {
    func field(_ key: String) -> FieldValue? {
        switch self[key] {
        case nil: nil
        case let s as String: .text(s)
        case let n as NSNumber: .number(n.doubleValue)
        default: .other
        }
    }

    func texts(_ key: String) -> [String] { self[key] as? [String] ?? [] }
}

/// The members of a `JSONValue` object, looked up in order (a venue's objects have a dozen).
struct JSONMembers: FieldObject {
    let members: [(String, JSONValue)]

    /// The members of `value` when it is an object.
    init?(_ value: JSONValue) {
        guard case let .object(members) = value else { return nil }
        self.members = members
    }

    func value(_ key: String) -> JSONValue? {
        // The last of repeated keys, as Foundation's dictionaries keep it.
        members.last { $0.0 == key }?.1
    }

    func field(_ key: String) -> FieldValue? {
        switch value(key) {
        case nil: nil
        case let .string(s)?: .text(s)
        case let .number(d)?: .number(d)
        case let .integer(i)?: .integer(i)
        default: .other
        }
    }

    func texts(_ key: String) -> [String] {
        guard case let .array(items)? = value(key) else { return [] }
        return items.compactMap { if case let .string(s) = $0 { s } else { nil } }
    }
}

extension VenueJSON {
    /// The value in `data` as our parser reads it, nil when it is not JSON.
    static func value(_ data: Data) -> JSONValue? { try? JSONValue(parsing: String(decoding: data, as: UTF8.self)) }
}
