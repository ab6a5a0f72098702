import Foundation

/// Flat `name → number` maps (metrics, optimizer parameters) as JSON text.
///
/// Written by hand rather than with `JSONSerialization` because statistics are often not finite
/// (a profit factor with no losing trade is +∞), which JSON cannot hold: NaN becomes `null`,
/// ±∞ the strings `"Infinity"`/`"-Infinity"`, and read back the same. Numbers use Swift's
/// shortest round-trip form, so every finite value reads back bit for bit. Keys are sorted, so
/// the same map always gives the same text.
enum MetricsJSON {
    static func encode(_ values: [String: Double]) -> String {
        var out = "{"
        for (i, key) in values.keys.sorted().enumerated() {
            if i > 0 { out += "," }
            out += quoted(key)
            out += ":"
            let v = values[key]!
            if v.isNaN { out += "null" } else if v == .infinity { out += "\"Infinity\"" } else if v == -.infinity {
                out += "\"-Infinity\""
            } else { out += "\(v)" }
        }
        return out + "}"
    }

    /// - Throws: `StoreError.corrupt(field:)` when the text is not such a map.
    static func decode(_ text: String, field: String) throws -> [String: Double] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw StoreError.corrupt(field: field, reason: "not JSON")
        }
        guard let map = object as? [String: Any] else { throw StoreError.corrupt(field: field, reason: "not a JSON object") }
        var result: [String: Double] = [:]
        result.reserveCapacity(map.count)
        for (key, value) in map {
            switch value {
            case is NSNull: result[key] = .nan
            case let s as String where s == "Infinity": result[key] = .infinity
            case let s as String where s == "-Infinity": result[key] = -.infinity
            case let n as NSNumber: result[key] = n.doubleValue
            default: throw StoreError.corrupt(field: "\(field).\(key)", reason: "not a number")
            }
        }
        return result
    }

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
