/// Reading JSON text back into a `JSONValue`, keeping the order of object keys (a stored
/// document prints as it was written). Strict RFC 8259: one value, no trailing commas or
/// comments; whole numbers without a fraction or exponent become `.integer`.
extension JSONValue {
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// Byte offset of the problem in the UTF-8 text.
        public let offset: Int
        public let reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    public init(parsing text: String) throws(ParseError) {
        var parser = Parser(bytes: Array(text.utf8))
        self = try parser.document()
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func fail(_ reason: String) -> ParseError { ParseError(offset: i, reason: reason) }

        mutating func document() throws(ParseError) -> JSONValue {
            let v = try value()
            skipSpace()
            guard i == bytes.count else { throw fail("unexpected text after the value") }
            return v
        }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func literal(_ word: String, _ v: JSONValue) throws(ParseError) -> JSONValue {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("expected \(word)") }
            i += w.count
            return v
        }

        /// One array or object whose end has not been read yet.
        struct Open {
            let isObject: Bool
            var items: [JSONValue] = []
            var pairs: [(String, JSONValue)] = []
            /// The key of the member being read (objects).
            var key = ""
            var close: UInt8 { isObject ? UInt8(ascii: "}") : UInt8(ascii: "]") }
        }

        /// The value at `i`. Containers are kept on an explicit stack rather than the call stack,
        /// so 512 levels cost the same on a 512 KiB thread stack (macOS, small tasks) as anywhere.
        mutating func value() throws(ParseError) -> JSONValue {
            var open: [Open] = []
            while true {
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of text") }
                var finished: JSONValue
                switch bytes[i] {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard open.count < Self.maxDepth else { throw fail("nested too deeply") }
                    var container = Open(isObject: bytes[i] == UInt8(ascii: "{"))
                    i += 1
                    skipSpace()
                    if i < bytes.count, bytes[i] == container.close {
                        i += 1
                        finished = container.isObject ? .object([]) : .array([])
                    } else {
                        if container.isObject { container.key = try key() }
                        open.append(container)
                        continue   // its first member
                    }
                case UInt8(ascii: "\""): finished = .string(try string())
                case UInt8(ascii: "t"): finished = try literal("true", .bool(true))
                case UInt8(ascii: "f"): finished = try literal("false", .bool(false))
                case UInt8(ascii: "n"): finished = try literal("null", .null)
                default: finished = try number()
                }
                // Hand the value to the innermost container; close those that end here.
                while var container = open.popLast() {
                    if container.isObject { container.pairs.append((container.key, finished)) } else { container.items.append(finished) }
                    skipSpace()
                    guard i < bytes.count else { throw fail("unexpected end of text") }
                    if bytes[i] == container.close {
                        i += 1
                        finished = container.isObject ? .object(container.pairs) : .array(container.items)
                        continue
                    }
                    guard bytes[i] == UInt8(ascii: ",") else { throw fail("expected ',' or '\(Character(UnicodeScalar(container.close)))'") }
                    i += 1
                    if container.isObject { container.key = try key() }
                    open.append(container)
                    break
                }
                if open.isEmpty { return finished }
            }
        }

        static let maxDepth = 512

        /// `"key":` of an object member.
        mutating func key() throws(ParseError) -> String {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            i += 1
            return key
        }

        mutating func string() throws(ParseError) -> String {
            i += 1   // opening quote
            var scalars = String.UnicodeScalarView()
            var run = i
            func flush(_ end: Int) { scalars.append(contentsOf: String(decoding: bytes[run..<end], as: UTF8.self).unicodeScalars) }
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    flush(i)
                    i += 1
                    return String(scalars)
                }
                if b < 0x20 { throw fail("control character in a string") }
                if b != UInt8(ascii: "\\") { i += 1; continue }
                flush(i)
                i += 1
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {   // a surrogate pair
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { throw fail("lone surrogate") }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("bad surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
                    scalars.append(scalar)
                default: throw fail("invalid escape")
                }
                run = i
            }
            throw fail("unterminated string")
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else { throw fail("invalid \\u escape") }
            i += 4
            return v
        }

        mutating func number() throws(ParseError) -> JSONValue {
            let start = i
            var integral = true
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            while i < bytes.count {
                let b = bytes[i]
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { i += 1; continue }
                if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                    integral = false
                    i += 1
                    continue
                }
                break
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard !text.isEmpty, text != "-" else { i = start; throw fail("unexpected character") }
            if integral, let n = Int(text) { return .integer(n) }
            // The one number syntax: no `1e400` (infinity), and the grammar of `DecimalText`.
            guard let d = DecimalText.parse(text) else { i = start; throw fail("'\(DisplayText.quote(text))' is not a finite decimal number") }
            return .number(d)
        }
    }
}
