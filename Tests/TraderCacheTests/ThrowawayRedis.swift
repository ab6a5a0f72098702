import Foundation
import TestSupport
import TraderCache

/// A redis-server of a test's own, on a free loopback port in a temporary directory, for tests
/// that kill and restart the server (the shared one from scripts/test must stay up for the
/// other tests). Uses `GPT_TRADER_TEST_REDIS_SERVER`, else `redis-server` on the PATH.
final class ThrowawayRedis: @unchecked Sendable {
    let port: Int
    let directory: URL
    private var process: Subprocess.Running?

    init() throws {
        port = try Self.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try start()
    }

    var url: RedisURL { RedisURL(host: "127.0.0.1", port: port) }

    static var binary: String {
        if let configured = ProcessInfo.processInfo.environment["GPT_TRADER_TEST_REDIS_SERVER"], !configured.isEmpty { return configured }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(dir)/redis-server"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "/usr/bin/redis-server"
    }

    /// Starts the server (again, on the same port) and waits until it answers.
    func start() throws {
        process = try Subprocess.start(Self.binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                       "--dir", directory.path, "--enable-debug-command", "yes", "--logfile", directory.appendingPathComponent("redis.log").path])
        for _ in 0..<200 {
            if Self.answers(port: port) { return }
            Thread.sleep(forTimeInterval: 0.025)
        }
        throw RESPError.server("throwaway redis-server on port \(port) did not start")
    }

    /// SIGKILL: the server vanishes mid-stream, as in a crash.
    func kill() {
        guard let p = process else { return }
        p.signal(SIGKILL)
        _ = p.wait()
        process = nil
    }

    func stop() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    /// True when something accepts a TCP connection and answers PING with +PONG.
    static func answers(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        let ping = Array("PING\r\n".utf8)
        guard write(fd, ping, ping.count) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 16)
        let n = read(fd, &reply, reply.count)
        return n >= 5 && Array(reply[0..<5]) == Array("+PONG".utf8)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw RESPError.server("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
