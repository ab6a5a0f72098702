import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
public import TraderCore

/// Reads a running server's status: `GET {url}/api/v1/status`, the document `status --output
/// json` prints. An unreachable server or a non-JSON answer is a runtime error saying which.
///
/// A small HTTP/1.1 client on swift-nio (already linked for the cache and the store) rather than
/// Foundation's URLSession: FoundationNetworking pulls libcurl and a dozen libraries into every
/// start of the program, which cost each command about 10 ms. Plain http only, for now: put a
/// TLS server behind an SSH tunnel or a private network.
public enum StatusClient {
    public static func fetch(_ base: String, timeout: Duration = .seconds(10)) async throws -> JSONValue {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: trimmed + "/api/v1/status"), let host = url.host else { throw AppError.usage("--url: '\(base)' is not a URL") }
        guard url.scheme == "http" else {
            throw AppError.usage("--url: only http:// is supported (reach an https server through an SSH tunnel or its private address)")
        }
        let port = url.port ?? 80
        let target = url.absoluteString
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "Connection", value: "close")
        let key = ActiveConfiguration.string("server.api_key")
        if !key.isEmpty { headers.add(name: "X-API-Key", value: key) }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.path.isEmpty ? "/" : url.path, headers: headers)

        let (status, body): (Int, String)
        do {
            (status, body) = try await withThrowingTaskGroup(of: (Int, String)?.self) { group in
                group.addTask { try await get(host: host, port: port, head: head) }
                group.addTask { try await Task.sleep(for: timeout); return nil }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let answer = first else { throw StatusTimeout() }
                return answer
            }
        } catch is StatusTimeout {
            throw AppError.runtime("cannot reach \(target): no answer within \(timeout)")
        } catch {
            throw AppError.runtime("cannot reach \(target): \(error)")
        }
        guard status == 200 else { throw AppError.runtime("\(target) answered HTTP \(status): \(body.prefix(200))") }
        do { return try JSONValue(parsing: body) } catch {
            throw AppError.runtime("\(target) did not answer with a status document: \(error)")
        }
    }

    struct StatusTimeout: Error {}

    static func get(host: String, port: Int, head: HTTPRequestHead) async throws -> (Int, String) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))
            var status = 0
            var body = ByteBuffer()
            reading: for try await part in inbound {
                switch part {
                case .head(let h): status = Int(h.status.code)
                case .body(var chunk): body.writeBuffer(&chunk)
                case .end: break reading
                }
            }
            return (status, String(buffer: body))
        }
    }
}
