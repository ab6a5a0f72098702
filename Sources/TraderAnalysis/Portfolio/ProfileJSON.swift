import Foundation

/// A parsed JSON document, kept as a tree so that the profile reader can walk it key by key and
/// name the exact key in every error (missing, wrong type, unknown, out of range). Decoding
/// straight into `Codable` structs would report Foundation's coding paths and silently accept
/// misspelled optional keys.
enum JSONNode: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONNode].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONNode].self)) }
    }

    /// How the value is called in "expected a number, got a string".
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Parses `data`; the error is one line.
    static func parse(_ data: Data) throws(ProfileJSONSyntaxError) -> JSONNode {
        do {
            return try JSONDecoder().decode(JSONNode.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            let detail = (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
            throw ProfileJSONSyntaxError(detail: detail.split(whereSeparator: \.isNewline).joined(separator: " "))
        } catch {
            throw ProfileJSONSyntaxError(detail: "\(error)".split(whereSeparator: \.isNewline).joined(separator: " "))
        }
    }
}

/// The document is not JSON at all.
struct ProfileJSONSyntaxError: Error {
    let detail: String
}

/// Reads the fields of one JSON object at `path`, turning every problem into a `ProfileError`
/// naming `path.key`.
struct ProfileObjectReader {
    let file: String
    let path: String
    let fields: [String: JSONNode]

    init(file: String, path: String, node: JSONNode) throws(ProfileError) {
        guard case let .object(fields) = node else {
            throw ProfileError(file: file, key: path, reason: "expected an object, got \(node.kind)")
        }
        self.file = file
        self.path = path
        self.fields = fields
    }

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func error(_ name: String, _ reason: String) -> ProfileError { ProfileError(file: file, key: key(name), reason: reason) }

    /// Refuses keys outside `allowed` (a misspelled optional key would otherwise be ignored).
    func rejectUnknownKeys(_ allowed: [String]) throws(ProfileError) {
        for name in fields.keys.sorted() where !allowed.contains(name) {
            throw error(name, "unknown key; expected one of \(allowed.joined(separator: ", "))")
        }
    }

    /// The value of `name`; nil when absent or null and `required` is false.
    private func value(_ name: String, required: Bool) throws(ProfileError) -> JSONNode? {
        switch fields[name] {
        case nil: if required { throw error(name, "missing") } else { return nil }
        case .null?: if required { throw error(name, "must not be null") } else { return nil }
        case let v?: return v
        }
    }

    func number(_ name: String, required: Bool = true) throws(ProfileError) -> Double? {
        guard let v = try value(name, required: required) else { return nil }
        guard case let .number(d) = v else { throw error(name, "expected a number, got \(v.kind)") }
        return d
    }

    func integer(_ name: String, required: Bool = true) throws(ProfileError) -> Int? {
        guard let d = try number(name, required: required) else { return nil }
        guard d == d.rounded(), abs(d) < 1e9 else { throw error(name, "must be a whole number, got \(RiskLimits.text(d))") }
        return Int(d)
    }

    func string(_ name: String, required: Bool = true) throws(ProfileError) -> String? {
        guard let v = try value(name, required: required) else { return nil }
        guard case let .string(s) = v else { throw error(name, "expected a string, got \(v.kind)") }
        return s
    }

    func strings(_ name: String) throws(ProfileError) -> [String] {
        guard let v = try value(name, required: true) else { return [] }
        guard case let .array(items) = v else { throw error(name, "expected an array of strategy names, got \(v.kind)") }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case let .string(s) = item else { throw error("\(name)[\(i)]", "expected a string, got \(item.kind)") }
            out.append(s)
        }
        return out
    }

    func object(_ name: String, required: Bool = true) throws(ProfileError) -> ProfileObjectReader? {
        guard let v = try value(name, required: required) else { return nil }
        return try ProfileObjectReader(file: file, path: key(name), node: v)
    }
}
