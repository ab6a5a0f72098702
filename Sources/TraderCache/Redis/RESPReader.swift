import TraderCore

/// Reads RESP2 replies straight from received bytes: header lines are scanned and their lengths
/// parsed in place (no `String` per line, no `Int(String)`), and a bulk string is reported as a
/// range of the input, so the GET path can hand out slices of the receive buffer without copying.
///
/// Every read returns nil when the input ends before the value does; the caller then keeps the
/// bytes and tries again when more arrive (`index` is only meaningful after a complete read).
///
/// A broken or hostile server is held to `RESPLimits`: a length, count or nesting beyond them, or
/// an unfinished reply holding more than `maxReplyBytes`, is `RESPError.malformed` (the
/// connection's handler then fails what waits and closes), so the receive buffer cannot grow
/// without bound and nested arrays cannot exhaust the stack.
struct RESPReader {
    let bytes: UnsafeRawBufferPointer
    let limits: RESPLimits
    /// Where the next value starts.
    var index = 0
    /// Arrays open around the value being read.
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer, limits: RESPLimits = .standard) {
        self.bytes = bytes
        self.limits = limits
    }

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
        let start = index
        let value = try nextValue()
        if value == nil { try checkUnfinished(from: start) }
        return value
    }

    /// The next reply where a bulk string is expected; other replies are read whole. Nil if
    /// incomplete.
    mutating func bulk() throws(RESPError) -> BulkReply? {
        let start = index
        let reply = try nextBulk()
        if reply == nil { try checkUnfinished(from: start) }
        return reply
    }

    /// An unfinished reply may only wait for more bytes while what it already holds is within
    /// `maxReplyBytes`; a header line only while it is within `maxLineBytes`.
    private func checkUnfinished(from start: Int) throws(RESPError) {
        if bytes.count - start > limits.maxReplyBytes {
            throw RESPError.malformed("a reply larger than \(ByteCountText.format(limits.maxReplyBytes))")
        }
    }

    private mutating func nextValue() throws(RESPError) -> RESPValue? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "+"):
            return try line().map { .simpleString(text($0)) }
        case UInt8(ascii: "-"):
            return try line().map { .error(text($0)) }
        case UInt8(ascii: ":"):
            guard let line = try line() else { return nil }
            return .integer(try integer(line))
        case UInt8(ascii: "$"):
            switch try nextBulk() {
            case nil: return nil
            case .string(let range)?: return .bulkString(Array(bytes[range]))
            case .null?, .other?: return .bulkString(nil)
            }
        case UInt8(ascii: "*"):
            guard let line = try line() else { return nil }
            let n = try integer(line)
            guard n >= -1 else { throw RESPError.malformed("array length \(n)") }
            if n == -1 { return .array(nil) }
            guard n <= limits.maxArrayCount else {
                throw RESPError.malformed("array of \(n) elements, more than \(limits.maxArrayCount)")
            }
            guard depth < limits.maxDepth else { throw RESPError.malformed("arrays nested deeper than \(limits.maxDepth) levels") }
            depth += 1
            defer { depth -= 1 }
            var items: [RESPValue] = []
            items.reserveCapacity(min(n, 1024))
            for _ in 0..<n {
                guard let item = try nextValue() else { return nil }
                items.append(item)
            }
            return .array(items)
        case let kind:
            throw RESPError.malformed("type byte \(kind)")
        }
    }

    private mutating func nextBulk() throws(RESPError) -> BulkReply? {
        guard index < bytes.count else { return nil }
        guard bytes[index] == UInt8(ascii: "$") else { return try nextValue().map(BulkReply.other) }
        guard let line = try line() else { return nil }
        let n = try integer(line)
        guard n >= -1 else { throw RESPError.malformed("bulk length \(n)") }
        if n == -1 { return .null }
        // Checked before anything waits for the bytes (and before `n + 2`, which could overflow).
        guard n <= limits.maxBulkBytes else {
            throw RESPError.malformed("bulk string of \(n) bytes, more than \(ByteCountText.format(limits.maxBulkBytes))")
        }
        guard bytes.count - index >= n + 2 else { return nil }
        let range = index..<index + n
        guard bytes[index + n] == 0x0D, bytes[index + n + 1] == 0x0A else {
            throw RESPError.malformed("bulk string without CRLF")
        }
        index += n + 2
        return .string(range)
    }

    /// The header line at `index` without its type byte and CRLF; consumed. Nil if its CRLF has
    /// not arrived; throws when the line is longer than `maxLineBytes` (with or without its CRLF).
    private mutating func line() throws(RESPError) -> Range<Int>? {
        let start = index + 1
        // The CR of a line of `maxLineBytes` is at `start + maxLineBytes`: look no further.
        let end = min(bytes.count - 1, start + limits.maxLineBytes + 1)
        var i = start
        while i < end {
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A {
                defer { index = i + 2 }
                return start..<i
            }
            i += 1
        }
        // Not found although a CRLF after `maxLineBytes` would have arrived: too long.
        if bytes.count - start >= limits.maxLineBytes + 2 {
            throw RESPError.malformed("a line longer than \(ByteCountText.format(limits.maxLineBytes))")
        }
        return nil
    }

    /// Bytes of the reply shown in an error: escaped and cut short (`DisplayText`).
    private func quoted(_ range: Range<Int>) -> String {
        DisplayText.quote(bytes: UnsafeRawBufferPointer(rebasing: bytes[range]))
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
        guard i < range.upperBound else { throw RESPError.malformed("integer '\(quoted(range))'") }
        var n = 0
        while i < range.upperBound {
            let digit = Int(bytes[i]) &- 48
            let (times10, o1) = n.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(digit)
            guard digit >= 0 && digit <= 9, !o1, !o2 else { throw RESPError.malformed("integer '\(quoted(range))'") }
            n = next
            i += 1
        }
        if negative { return n }
        guard n != .min else { throw RESPError.malformed("integer '\(quoted(range))'") }
        return -n
    }
}
