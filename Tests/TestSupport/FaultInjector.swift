import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// What a local venue server does to a request instead of (or besides) answering it.
public enum VenueFault: Sendable {
    /// Answers with `status` (and `Retry-After`) without doing anything.
    case status(Int, retryAfter: Int? = nil)
    /// Does what was asked, then answers 500: the answer was lost.
    case lostAnswer
    /// Does not answer while the server runs (a 503 when it stops, so it can stop).
    case hang
}

/// The faults queued for a local venue server's next requests, and the requests left hanging.
final class FaultInjector: Sendable {
    private struct State {
        var faults: [(method: String, path: String, fault: VenueFault)] = []
        var hanging: [CheckedContinuation<Void, Never>] = []
        var stopped = false
    }

    private let state = Mutex(State())

    func inject(_ fault: VenueFault, method: String, path: String) { state.withLock { $0.faults.append((method, path, fault)) } }

    /// The fault for a request, if one waits for it (each fault applies once).
    func take(method: String, path: String) -> VenueFault? {
        state.withLock { s in
            guard let i = s.faults.firstIndex(where: { $0.method == method && path.hasPrefix($0.path) }) else { return nil }
            return s.faults.remove(at: i).fault
        }
    }

    /// The answer to a request under `fault` when the fault replaces the answer (nil: handle it).
    func answer(_ fault: VenueFault?) async -> Response? {
        switch fault {
        case let .status(code, retryAfter)?:
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter { headers[.retryAfter] = String(retryAfter) }
            return Response(status: .init(code: code), headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"message":"injected \#(code)"}"#)))
        case .hang?:
            await withCheckedContinuation { c in
                let stopped = state.withLock { s in
                    if !s.stopped { s.hanging.append(c) }
                    return s.stopped
                }
                if stopped { c.resume() }
            }
            return Response(status: .serviceUnavailable)
        default:
            return nil
        }
    }

    /// Runs a local HTTP server answering with `respond` until `body` (given the port) returns;
    /// hanging requests are let go first, so the server can stop.
    func serve<T: Sendable>(label: String, _ respond: @escaping @Sendable (Request) async throws -> Response,
                            _ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await serveLocally(CallbackResponder<BasicRequestContext> { request, _ in try await respond(request) }, label: label) { port in
            defer { release() }
            return try await body(port)
        }
    }

    /// Lets hanging requests end, so the server can shut down.
    func release() {
        for c in state.withLock({ s in s.stopped = true; defer { s.hanging.removeAll() }; return s.hanging }) { c.resume() }
    }
}

/// A JSON response.
func jsonResponse(_ status: Int, _ text: String) -> Response {
    Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
}
