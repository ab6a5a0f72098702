import TraderCore

/// Flat `name → number` maps (metrics, optimizer parameters) as JSON text, through `JSONValue`.
///
/// Statistics are often not finite (a profit factor with no losing trade is +∞), which JSON
/// cannot hold: NaN is written as `null`, ±∞ as the strings `"Infinity"`/`"-Infinity"`, and read
/// back the same. Numbers use Swift's shortest round-trip form and are parsed with correct
/// rounding, so every finite value reads back bit for bit (Foundation's `JSONSerialization` on
/// Linux does not: it changed last digits). Keys are sorted, so the same map always gives the
/// same text.
enum MetricsJSON {
    static func encode(_ values: [String: Double]) -> String {
        JSONValue.object(values.keys.sorted().map { key in
            let v = values[key]!
            return (key, v.isNaN ? .null : v == .infinity ? .string("Infinity") : v == -.infinity ? .string("-Infinity") : .number(v))
        }).serialized(indent: nil)
    }

    /// - Throws: `StoreError.corrupt(field:)` when the text is not such a map.
    static func decode(_ text: String, field: String) throws -> [String: Double] {
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch { throw StoreError.corrupt(field: field, reason: "\(error)") }
        guard case let .object(pairs) = value else { throw StoreError.corrupt(field: field, reason: "not a JSON object") }
        var result: [String: Double] = [:]
        result.reserveCapacity(pairs.count)
        for (key, v) in pairs {
            switch v {
            case .null: result[key] = .nan
            case .string("Infinity"): result[key] = .infinity
            case .string("-Infinity"): result[key] = -.infinity
            case .number(let d): result[key] = d
            case .integer(let i): result[key] = Double(i)
            default: throw StoreError.corrupt(field: "\(field).\(key)", reason: "not a number")
            }
        }
        return result
    }
}
