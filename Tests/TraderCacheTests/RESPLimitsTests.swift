import Foundation
import NIOCore
import Synchronization
import Testing
@testable import TraderCache

/// A broken or hostile Redis server cannot make the client allocate without bound or crash:
/// lengths, counts, nesting and unfinished replies are bounded, and the connection is closed.
@Suite struct RESPLimitsTests {
    static let small = RESPLimits(maxBulkBytes: 16, maxLineBytes: 8, maxArrayCount: 4, maxDepth: 3, maxReplyBytes: 64)

    func read(_ bytes: [UInt8], _ limits: RESPLimits = .standard) throws -> RESPValue? {
        try bytes.withUnsafeBytes { raw in
            var reader = RESPReader(raw, limits: limits)
            return try reader.value()
        }
    }

    func read(_ text: String, _ limits: RESPLimits = .standard) throws -> RESPValue? { try read(Array(text.utf8), limits) }

    @Test func lengthsAndCountsAreBounded() throws {
        // Announced sizes are refused before anything waits for the bytes (`n + 2` used to trap
        // for 2⁶³ − 1).
        #expect(throws: RESPError.malformed("bulk string of 9223372036854775807 bytes, more than 512 MiB")) { try read("$9223372036854775807\r\n") }
        #expect(throws: RESPError.malformed("bulk string of 536870913 bytes, more than 512 MiB")) { try read("$536870913\r\n") }
        #expect(throws: RESPError.malformed("array of 1048577 elements, more than 1048576")) { try read("*1048577\r\n") }
        #expect(throws: RESPError.malformed("bulk string of 17 bytes, more than 16 bytes")) { try read("$17\r\n", Self.small) }
        #expect(throws: RESPError.malformed("array of 5 elements, more than 4")) { try read("*5\r\n", Self.small) }
        // Within the limits, values read as before.
        #expect(try read("$16\r\n0123456789abcdef\r\n", Self.small) == .bulkString(Array("0123456789abcdef".utf8)))
        #expect(try read("*4\r\n:1\r\n:2\r\n:3\r\n:4\r\n", Self.small) == .array([.integer(1), .integer(2), .integer(3), .integer(4)]))
    }

    /// `*1\r\n` nested a million times used to recurse a million times.
    @Test func nestingIsBounded() throws {
        let deep = Array(String(repeating: "*1\r\n", count: 1_000_000).utf8)
        #expect(throws: RESPError.malformed("arrays nested deeper than 32 levels")) { try read(deep) }
        #expect(throws: RESPError.malformed("arrays nested deeper than 3 levels")) { try read("*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", Self.small) }
        #expect(try read("*1\r\n*1\r\n*1\r\n:1\r\n", Self.small) == .array([.array([.array([.integer(1)])])]))
    }

    /// Bytes that never finish a reply are only waited for up to the limits.
    @Test func unfinishedRepliesAreBounded() throws {
        #expect(throws: RESPError.malformed("a line longer than 8 bytes")) { try read("+1234567890", Self.small) }
        #expect(try read("+123456789", Self.small) == nil)   // the 9th byte might have been CR: wait
        #expect(try read("+12345678\r\n", Self.small) == .simpleString("12345678"))
        #expect(throws: RESPError.malformed("a line longer than 64 KiB")) { try read("-" + String(repeating: "E", count: 70_000)) }
        // Sixteen complete 4-byte elements of an unfinished array: more than 64 bytes held.
        let many = "*4\r\n" + String(repeating: "$10\r\n0123456789\r\n", count: 3) + "$10\r\n01234"
        #expect(throws: RESPError.malformed("a reply larger than 64 bytes")) { try read(many, Self.small) }
        let bulk = Array("$16\r\n0123".utf8)
        let waiting = try bulk.withUnsafeBytes { raw in
            var reader = RESPReader(raw, limits: Self.small)
            return try reader.bulk() == nil
        }
        #expect(waiting)
    }

    /// Through a connection: the command fails with the protocol error and the connection closes
    /// (a pool replaces it), whatever the server goes on sending.
    @Test(arguments: [
        ("$9223372036854775807\r\n", "bulk string of 9223372036854775807 bytes, more than 512 MiB"),
        (String(repeating: "*1\r\n", count: 100), "arrays nested deeper than 32 levels"),
        ("+" + String(repeating: "x", count: 70_000), "a line longer than 64 KiB"),
        ("?\r\n", "type byte 63"),
    ])
    func aHostileServerClosesTheConnection(_ reply: String, _ message: String) async throws {
        let server = try HostileRedisServer(reply: Array(reply.utf8))
        defer { server.stop() }
        let redis = try await RedisConnection.connect(to: RedisURL(host: "127.0.0.1", port: server.port, database: 0), timeout: .seconds(30))
        await #expect(throws: RESPError.malformed(message)) { _ = try await redis.send(["GET", "key"]) }
        await #expect(throws: RESPError.closed) { _ = try await redis.ping() }
        #expect(!redis.isActive)
    }
}

/// A TCP server on 127.0.0.1 that answers the first bytes of each connection with `reply`, then
/// reads until the client closes. One thread per connection; stops when `stop` closes the socket.
final class HostileRedisServer: Sendable {
    let port: Int
    private let listener: Int32

    init(reply: [UInt8]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 4) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }   // the listener was closed
                Thread.detachNewThread {
                    var buffer = [UInt8](repeating: 0, count: 65_536)
                    if read(client, &buffer, buffer.count) > 0 {
                        var sent = 0
                        while sent < reply.count {
                            let n = reply[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                            if n <= 0 { break }
                            sent += n
                        }
                        while read(client, &buffer, buffer.count) > 0 {}
                    }
                    close(client)
                }
            }
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
