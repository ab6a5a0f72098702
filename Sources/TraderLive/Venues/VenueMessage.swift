public import Foundation
public import TraderCore

/// A venue's message this program cannot take: which venue, where in the message, and why.
public enum VenueMessageError: Error, Equatable, CustomStringConvertible {
    case malformed(venue: String, reason: String)

    public var description: String {
        switch self {
        case let .malformed(venue, reason): "\(venue): \(reason)"
        }
    }

    /// The first bytes of `data` as text, for messages.
    static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(120), as: UTF8.self)
        return "'\(DisplayText.quote(text))'" + (data.count > 120 ? "…" : "")
    }
}

/// Typed reads of a decoded JSON object, each error naming the venue and the field's path.
struct Fields<Object: FieldObject> {
    let object: Object
    let venue: String
    let path: String

    func fail(_ key: String, _ why: String) -> VenueMessageError { .malformed(venue: venue, reason: "\(path).\(key) \(why)") }

    func string(_ key: String) throws(VenueMessageError) -> String {
        switch object.field(key) {
        case let .text(s)?: return s
        case nil: throw fail(key, "is missing")
        default: throw fail(key, "is not text")
        }
    }

    func strings(_ key: String) -> [String] { object.texts(key) }

    /// A number sent as a JSON number or, as Coinbase sends them, as decimal text.
    func number(_ key: String) throws(VenueMessageError) -> Double {
        let value: Double?
        switch object.field(key) {
        case let .number(n)?: value = n
        case let .integer(i)?: value = Double(i)
        case let .text(s)?: value = DecimalText.parse(s)
        case nil: throw fail(key, "is missing")
        case .other?: value = nil
        }
        guard let value, value.isFinite else { throw fail(key, "is not a finite number") }
        return value
    }

    func int(_ key: String) throws(VenueMessageError) -> Int {
        switch object.field(key) {
        case let .text(s)?: if let i = Int(s) { return i }
        case let .integer(i)?: return i
        default: break
        }
        let x = try number(key)
        guard x == x.rounded(), abs(x) < 9e15 else { throw fail(key, "is not a whole number") }
        return Int(x)
    }

    func positive(_ key: String) throws(VenueMessageError) -> Double {
        let x = try number(key)
        guard x > 0 else { throw fail(key, "must be positive, got \(x)") }
        return x
    }

    func nonNegative(_ key: String) throws(VenueMessageError) -> Double {
        let x = try number(key)
        guard x >= 0 else { throw fail(key, "must not be negative, got \(x)") }
        return x
    }

    /// An RFC 3339 time (`2021-02-22T19:15:00Z`, fractions and offsets allowed) or, as Coinbase
    /// sends candle starts, whole seconds since 1970 as text.
    func time(_ key: String) throws(VenueMessageError) -> Timestamp {
        let text = try string(key)
        if let seconds = Int64(text) { return Timestamp(nanos: seconds * Timestamp.nanosPerSecond) }
        guard let t = RFC3339.parse(text) else { throw fail(key, "is not an RFC 3339 time: '\(DisplayText.quote(text))'") }
        return t
    }

    /// A bar from the given keys, validated as every bar the program takes.
    func bar(time: String, open: String, high: String, low: String, close: String, volume: String) throws(VenueMessageError) -> Bar {
        let b = Bar(timestamp: try self.time(time), open: try number(open), high: try number(high), low: try number(low),
                    close: try number(close), volume: try number(volume))
        if let why = Bar.violation(open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume) {
            throw VenueMessageError.malformed(venue: venue, reason: "\(path): \(why)")
        }
        return b
    }
}

/// Decimal text (`"1260.01"`) to a Double, refusing what is not plain decimal.
enum DecimalText {
    static func parse(_ s: String) -> Double? {
        guard !s.isEmpty, s.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
        return Double(s)
    }
}

/// RFC 3339 times as venues send them: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, to the
/// nanosecond.
enum RFC3339 {
    static func parse(_ text: String) -> Timestamp? {
        let u = Array(text.utf8)
        func digits(_ at: Int, _ n: Int) -> Int64? {
            guard at + n <= u.count else { return nil }
            var v: Int64 = 0
            for i in at..<(at + n) {
                guard u[i] >= 48 && u[i] <= 57 else { return nil }
                v = v * 10 + Int64(u[i] - 48)
            }
            return v
        }
        guard u.count >= 20, u[4] == 45, u[7] == 45, u[10] == 84 || u[10] == 116, u[13] == 58, u[16] == 58,
              let y = digits(0, 4), let mo = digits(5, 2), let d = digits(8, 2), let h = digits(11, 2), let mi = digits(14, 2),
              let s = digits(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var i = 19
        var nanos: Int64 = 0
        if i < u.count, u[i] == 46 {
            i += 1
            var scale: Int64 = 100_000_000
            let start = i
            while i < u.count, u[i] >= 48 && u[i] <= 57 {
                if scale > 0 { nanos += Int64(u[i] - 48) * scale; scale /= 10 }
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset: Int64 = 0
        guard i < u.count else { return nil }
        if u[i] == 90 || u[i] == 122 {
            i += 1
        } else if u[i] == 43 || u[i] == 45, let oh = digits(i + 1, 2), u.count > i + 3, u[i + 3] == 58, let om = digits(i + 4, 2) {
            offset = (oh * 3600 + om * 60) * (u[i] == 43 ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == u.count else { return nil }
        let day = Timestamp(year: Int(y), month: Int(mo), day: Int(d)).nanos
        return Timestamp(nanos: day + ((h * 3600 + mi * 60 + s) - offset) * Timestamp.nanosPerSecond + nanos)
    }
}

extension DecimalText {
    /// `x` as plain decimal text (`"12.5"`, `"0.00001"`, never an exponent), as venues take
    /// quantities and prices: up to 10 decimals, trailing zeros dropped.
    static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        let plain = "\(x)"
        if !plain.contains("e") { return plain }
        var text = String(format: "%.10f", x)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// Venue JSON as Foundation values (`[String: Any]`, `[Any]`, `String`, `NSNumber`, `Bool`,
/// `NSNull`), for `Fields`. Parsed by `JSONValue`, whose numbers are read exactly: Foundation's
/// `JSONSerialization` on Linux can be one unit in the last place off for numbers of 17
/// significant digits, and a price must arrive as the venue wrote it.
enum VenueJSON {
    /// A request body: the object's members in key order, compact. Written by our serializer,
    /// not `JSONSerialization`, whose dynamic casts of `[String: Any]` cost an order's send.
    static func body(_ members: [(String, JSONValue)]) -> Data {
        Data(JSONValue.object(members.sorted { $0.0 < $1.0 }).serialized(indent: nil).utf8)
    }

    /// The value in `data`, nil when it is not JSON.
    static func parse(_ data: Data) -> Any? {
        guard let value = try? JSONValue(parsing: String(decoding: data, as: UTF8.self)) else { return nil }
        return foundation(value)
    }

    static func foundation(_ value: JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case let .bool(b): b
        case let .number(d): NSNumber(value: d)
        case let .integer(i): NSNumber(value: i)
        case let .string(s): s
        case let .array(items): items.map(foundation)
        case let .object(pairs): Dictionary(pairs.map { ($0.0, foundation($0.1)) }, uniquingKeysWith: { _, last in last })
        }
    }
}
