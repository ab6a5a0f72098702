import NIOCore

/// A value of the Redis serialization protocol, version 2: what a command is sent as (an array
/// of bulk strings) and what a reply is.
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    /// nil is RESP's null bulk string (a missing key).
    case bulkString([UInt8]?)
    /// nil is RESP's null array.
    case array([RESPValue]?)

    /// The reply as text, for bulk and simple strings.
    public var string: String? {
        switch self {
        case let .simpleString(s): s
        case let .bulkString(bytes?): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// Writes a command (`GET key` …) as an array of bulk strings.
    static func writeCommand(_ arguments: [[UInt8]], into buffer: inout ByteBuffer) {
        buffer.writeRESPHeader(UInt8(ascii: "*"), arguments.count)
        for a in arguments { a.withUnsafeBytes { buffer.writeRESPBulk($0) } }
    }

    /// Writes a command given as strings, each encoded as UTF-8 straight into `buffer` (no
    /// intermediate byte arrays).
    static func writeCommand(strings arguments: some Collection<String>, into buffer: inout ByteBuffer) {
        buffer.writeRESPHeader(UInt8(ascii: "*"), arguments.count)
        for a in arguments { buffer.writeRESPBulk(a) }
    }

    /// Writes `GET key` (the hot command of a cache, so its fixed part is written as one piece).
    static func writeGet(_ key: String, into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(key, after: "*2\r\n$3\r\nGET\r\n")
    }

    /// Reads one complete value from the start of `buffer`, or returns nil (leaving the buffer
    /// untouched) if the value is not complete yet. Throws on bytes that are not RESP.
    static func read(from buffer: inout ByteBuffer) throws(RESPError) -> RESPValue? {
        let read = try buffer.withUnsafeReadableBytes { bytes throws(RESPError) -> (RESPValue, Int)? in
            var reader = RESPReader(bytes)
            return try reader.value().map { ($0, reader.index) }
        }
        guard let (value, length) = read else { return nil }
        buffer.moveReaderIndex(forwardBy: length)
        return value
    }
}

extension ByteBuffer {
    /// A RESP header line: the type byte, a decimal count and CRLF.
    mutating func writeRESPHeader(_ type: UInt8, _ count: Int) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: 24) { out in
            out[0] = type
            return 1 + Self.formatCount(count, into: out.baseAddress! + 1)
        }
    }

    /// A bulk string (`$<length>\r\n<bytes>\r\n`) after the fixed bytes of `prefix`, formatted
    /// in place in one reservation: the generic `writeString`/`writeStaticString` paths cost more
    /// than the copy itself for the short arguments of cache commands.
    mutating func writeRESPBulk(_ bytes: UnsafeRawBufferPointer, after prefix: StaticString = "") {
        writeWithUnsafeMutableBytes(minimumWritableBytes: prefix.utf8CodeUnitCount + bytes.count + 24) { out in
            let start = out.baseAddress!
            start.copyMemory(from: prefix.utf8Start, byteCount: prefix.utf8CodeUnitCount)
            var at = prefix.utf8CodeUnitCount
            out[at] = UInt8(ascii: "$")
            at += 1 + Self.formatCount(bytes.count, into: start + at + 1)
            if let source = bytes.baseAddress { (start + at).copyMemory(from: source, byteCount: bytes.count) }
            at += bytes.count
            out[at] = 0x0D
            out[at + 1] = 0x0A
            return at + 2
        }
    }

    mutating func writeRESPBulk(_ string: String, after prefix: StaticString = "") {
        if string.utf8.withContiguousStorageIfAvailable({ writeRESPBulk(UnsafeRawBufferPointer($0), after: prefix) }) == nil {
            var copy = string  // not contiguous UTF-8 (a bridged string): made native once
            copy.withUTF8 { writeRESPBulk(UnsafeRawBufferPointer($0), after: prefix) }
        }
    }

    /// Writes `count` (≥ 0) in decimal and CRLF at `out`; returns the bytes written (at most 22).
    private static func formatCount(_ count: Int, into out: UnsafeMutableRawPointer) -> Int {
        var digits = 1, rest = count / 10
        while rest > 0 { digits += 1; rest /= 10 }
        var n = count
        for i in stride(from: digits - 1, through: 0, by: -1) {
            out.storeBytes(of: UInt8(48 + n % 10), toByteOffset: i, as: UInt8.self)
            n /= 10
        }
        out.storeBytes(of: 0x0D, toByteOffset: digits, as: UInt8.self)
        out.storeBytes(of: 0x0A, toByteOffset: digits + 1, as: UInt8.self)
        return digits + 2
    }
}

/// Why a Redis exchange failed.
public enum RESPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server's bytes are not RESP.
    case malformed(String)
    /// The server answered with an error reply.
    case server(String)
    /// No reply within the timeout.
    case timeout(String)
    /// The connection is closed (or closed while waiting).
    case closed
    /// A `redis://` URL that cannot be used; names the part.
    case badURL(String)

    public var description: String {
        switch self {
        case let .malformed(what): "redis: malformed reply: \(what)"
        case let .server(message): "redis: \(message)"
        case let .timeout(command): "redis: no reply to \(command) in time"
        case .closed: "redis: connection closed"
        case let .badURL(reason): "redis URL: \(reason)"
        }
    }
}
