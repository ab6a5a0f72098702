import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests of clients: answers each request with the
/// response registered for its path (404 otherwise), one connection at a time, `Connection:
/// close`. It records the request lines it saw.
public final class LoopbackHTTPServer: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var body: String
        public var contentType: String
        public init(status: Int = 200, body: String, contentType: String = "application/json") {
            self.status = status
            self.body = body
            self.contentType = contentType
        }
    }

    public let port: Int
    private let listener: Int32
    private let routes: Mutex<[String: Response]>
    private let seen = Mutex<[String]>([])

    public init(routes: [String: Response]) throws {
        self.routes = Mutex(routes)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        Thread.detachNewThread { [self] in serve() }
    }

    public var url: String { "http://127.0.0.1:\(port)" }
    public var requests: [String] { seen.withLock { $0 } }

    public func set(_ path: String, _ response: Response) { routes.withLock { $0[path] = response } }

    /// Stops accepting; the port is free afterwards.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.containsHeaderEnd {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return }
            request += buffer[0..<n]
        }
        let line = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self)
        seen.withLock { $0.append(line) }
        let path = line.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        let response = routes.withLock { $0[path] } ?? Response(status: 404, body: "{\"error\":\"not found\"}")
        let body = Array(response.body.utf8)
        let head = "HTTP/1.1 \(response.status) X\r\nContent-Type: \(response.contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + body
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBufferPointer { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
    }
}

extension [UInt8] {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 { return true }
        return false
    }
}
