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
        buffer.writeString("*\(arguments.count)\r\n")
        for a in arguments {
            buffer.writeString("$\(a.count)\r\n")
            buffer.writeBytes(a)
            buffer.writeString("\r\n")
        }
    }

    /// Reads one complete value from the start of `buffer`, or returns nil (leaving the buffer
    /// untouched) if the value is not complete yet. Throws on bytes that are not RESP.
    static func read(from buffer: inout ByteBuffer) throws(RESPError) -> RESPValue? {
        var copy = buffer
        guard let value = try parse(&copy) else { return nil }
        buffer = copy
        return value
    }

    private static func parse(_ buffer: inout ByteBuffer) throws(RESPError) -> RESPValue? {
        guard let kind = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        guard let line = readLine(&buffer, skipping: 1) else { return nil }
        switch kind {
        case UInt8(ascii: "+"): return .simpleString(line)
        case UInt8(ascii: "-"): return .error(line)
        case UInt8(ascii: ":"):
            guard let n = Int(line) else { throw RESPError.malformed("integer '\(line)'") }
            return .integer(n)
        case UInt8(ascii: "$"):
            guard let n = Int(line), n >= -1 else { throw RESPError.malformed("bulk length '\(line)'") }
            if n == -1 { return .bulkString(nil) }
            guard buffer.readableBytes >= n + 2, let bytes = buffer.readBytes(length: n) else { return nil }
            guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw RESPError.malformed("bulk string without CRLF") }
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            guard let n = Int(line), n >= -1 else { throw RESPError.malformed("array length '\(line)'") }
            if n == -1 { return .array(nil) }
            var items: [RESPValue] = []
            items.reserveCapacity(n)
            for _ in 0..<n {
                guard let item = try parse(&buffer) else { return nil }
                items.append(item)
            }
            return .array(items)
        default:
            throw RESPError.malformed("type byte \(kind)")
        }
    }

    /// The text after `skipping` bytes up to CRLF, consumed with the CRLF; nil if no CRLF yet.
    private static func readLine(_ buffer: inout ByteBuffer, skipping: Int) -> String? {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: 0x0D), view.index(after: cr) < view.endIndex, view[view.index(after: cr)] == 0x0A else { return nil }
        let length = cr - view.startIndex
        buffer.moveReaderIndex(forwardBy: skipping)
        let text = buffer.readString(length: length - skipping) ?? ""
        buffer.moveReaderIndex(forwardBy: 2)
        return text
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
