/// A JSON document with ordered keys, written without Foundation so output is stable, fast and
/// maps NaN and infinities to `null` (JSON has no such numbers).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// Compact (`indent == nil`) or pretty-printed text.
    ///
    /// Containers are walked with an explicit stack, not by recursion: a parsed document may
    /// nest 512 levels, which recursion in a debug build does not fit in a 512 KiB thread stack.
    public func serialized(indent: Int? = 2) -> String {
        var out = ""
        let newline = indent == nil ? "" : "\n"
        func pad(_ level: Int) { if let indent { out += String(repeating: " ", count: indent * level) } }
        /// An array or object being written: its members and the next one to write.
        struct Frame {
            let items: [JSONValue]
            let pairs: [(String, JSONValue)]
            let isObject: Bool
            var next = 0
            var count: Int { isObject ? pairs.count : items.count }
        }
        var stack: [Frame] = []
        var pending: JSONValue? = self
        while true {
            if let value = pending {
                pending = nil
                switch value {
                case let .array(items) where !items.isEmpty:
                    out += "[" + newline
                    stack.append(Frame(items: items, pairs: [], isObject: false))
                case let .object(pairs) where !pairs.isEmpty:
                    out += "{" + newline
                    stack.append(Frame(items: [], pairs: pairs, isObject: true))
                default:
                    value.writeScalar(into: &out)
                }
            }
            guard var frame = stack.popLast() else { return out }
            if frame.next > 0 { out += (frame.next < frame.count ? "," : "") + newline }
            if frame.next == frame.count {
                pad(stack.count)
                out += frame.isObject ? "}" : "]"
                continue   // the container is done: back to its parent
            }
            pad(stack.count + 1)
            if frame.isObject {
                let (key, value) = frame.pairs[frame.next]
                JSONValue.escape(key, into: &out)
                out += indent == nil ? ":" : ": "
                pending = value
            } else {
                pending = frame.items[frame.next]
            }
            frame.next += 1
            stack.append(frame)
        }
    }

    /// Scalars and empty containers.
    private func writeScalar(into out: inout String) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .integer(i): out += String(i)
        case let .number(d):
            if !d.isFinite { out += "null" }
            else if d == d.rounded(), abs(d) < 1e15 { out += String(Int64(d)) }
            else { out += String(d) }
        case let .string(s): JSONValue.escape(s, into: &out)
        case .array: out += "[]"
        case .object: out += "{}"
        }
    }

    static func escape(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}
