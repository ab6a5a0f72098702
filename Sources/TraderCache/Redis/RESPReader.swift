/// Reads RESP2 replies straight from received bytes: header lines are scanned and their lengths
/// parsed in place (no `String` per line, no `Int(String)`), and a bulk string is reported as a
/// range of the input, so the GET path can hand out slices of the receive buffer without copying.
///
/// Every read returns nil when the input ends before the value does; the caller then keeps the
/// bytes and tries again when more arrive (`index` is only meaningful after a complete read).
struct RESPReader {
    let bytes: UnsafeRawBufferPointer
    /// Where the next value starts.
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// What a reply expected to be a bulk string turned out to be.
    enum BulkReply {
        /// The string's bytes, as offsets into `bytes`.
        case string(Range<Int>)
        /// The null bulk string (a missing key).
        case null
        /// Any other reply (an error reply, typically).
        case other(RESPValue)
    }

    /// The next value, or nil if incomplete.
    mutating func value() throws(RESPError) -> RESPValue? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "+"):
            return line().map { .simpleString(text($0)) }
        case UInt8(ascii: "-"):
            return line().map { .error(text($0)) }
        case UInt8(ascii: ":"):
            guard let line = line() else { return nil }
            return .integer(try integer(line))
        case UInt8(ascii: "$"):
            switch try bulk() {
            case nil: return nil
            case .string(let range)?: return .bulkString(Array(bytes[range]))
            case .null?, .other?: return .bulkString(nil)
            }
        case UInt8(ascii: "*"):
            guard let line = line() else { return nil }
            let n = try integer(line)
            guard n >= -1 else { throw RESPError.malformed("array length \(n)") }
            if n == -1 { return .array(nil) }
            var items: [RESPValue] = []
            items.reserveCapacity(min(n, 1024))
            for _ in 0..<n {
                guard let item = try value() else { return nil }
                items.append(item)
            }
            return .array(items)
        case let kind:
            throw RESPError.malformed("type byte \(kind)")
        }
    }

    /// The next reply where a bulk string is expected; other replies are read whole. Nil if
    /// incomplete.
    mutating func bulk() throws(RESPError) -> BulkReply? {
        guard index < bytes.count else { return nil }
        guard bytes[index] == UInt8(ascii: "$") else { return try value().map(BulkReply.other) }
        guard let line = line() else { return nil }
        let n = try integer(line)
        guard n >= -1 else { throw RESPError.malformed("bulk length \(n)") }
        if n == -1 { return .null }
        guard bytes.count - index >= n + 2 else { return nil }
        let range = index..<index + n
        guard bytes[index + n] == 0x0D, bytes[index + n + 1] == 0x0A else {
            throw RESPError.malformed("bulk string without CRLF")
        }
        index += n + 2
        return .string(range)
    }

    /// The header line at `index` without its type byte and CRLF; consumed. Nil if its CRLF has
    /// not arrived.
    private mutating func line() -> Range<Int>? {
        var i = index + 1
        while i < bytes.count - 1 {
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A {
                defer { index = i + 2 }
                return index + 1..<i
            }
            i += 1
        }
        return nil
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A decimal integer, optionally negative, that fits in 64 bits (Redis integers are signed
    /// 64-bit). Accumulated as a negative number so that `Int.min` parses too.
    private func integer(_ range: Range<Int>) throws(RESPError) -> Int {
        var i = range.lowerBound
        let negative = i < range.upperBound && bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < range.upperBound else { throw RESPError.malformed("integer '\(text(range))'") }
        var n = 0
        while i < range.upperBound {
            let digit = Int(bytes[i]) &- 48
            let (times10, o1) = n.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(digit)
            guard digit >= 0 && digit <= 9, !o1, !o2 else { throw RESPError.malformed("integer '\(text(range))'") }
            n = next
            i += 1
        }
        if negative { return n }
        guard n != .min else { throw RESPError.malformed("integer '\(text(range))'") }
        return -n
    }
}
