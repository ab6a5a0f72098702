import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Adds a venue's credentials to a request: Alpaca's key headers, Coinbase's signed JWT.
/// Generic at the client, so signing is a direct call.
public protocol RequestSigner: Sendable {
    /// Headers authenticating `method` on `path` (with its query) of `host`.
    func headers(method: String, host: String, path: String) async throws -> [(String, String)]
}

/// No credentials: a venue's public endpoints (Coinbase's market data).
public struct PublicAccess: RequestSigner {
    public init() {}
    public func headers(method: String, host: String, path: String) async throws -> [(String, String)] { [] }
}

/// One venue's REST connection pool: every request of a bot to that venue goes through one
/// `HTTPClient` (keep-alive connections reused), with connect and read timeouts, retries with
/// backoff on 429 and 5xx honouring `Retry-After` (`RetryPolicy`), and the venue's credentials
/// added by its `RequestSigner`.
///
/// A response is JSON or nothing; errors come back as `VenueHTTPError`s naming the venue, the
/// request and what the venue said.
public final class VenueHTTPClient<Signer: RequestSigner>: Sendable {
    public let venue: String
    /// `scheme://host[:port]`, no trailing slash.
    public let baseURL: String
    let host: String
    let signer: Signer
    public let retry: RetryPolicy
    let timeout: TimeAmount
    let http: HTTPClient
    /// The venue's rate limit, when the client keeps to one (market-data downloads).
    public let rate: RequestRateLimiter?
    private let counters = Counters()

    final class Counters: Sendable {
        let requests = Atomic<Int>(0)
        let retries = Atomic<Int>(0)
    }

    /// A client of `baseURL` with its own connection pool (at most `connections` to the host).
    public init(venue: String, baseURL: String, signer: Signer, retry: RetryPolicy = RetryPolicy(),
                timeout: Duration = .seconds(10), connections: Int = 4, rate: RequestRateLimiter? = nil, eventLoop: BotEventLoop? = nil) {
        self.rate = rate
        self.venue = venue
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        host = URL(string: baseURL)?.host ?? baseURL
        self.signer = signer
        self.retry = retry
        let millis = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        self.timeout = .milliseconds(millis)
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .seconds(5), read: .milliseconds(millis)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections))
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        // On the bot's event loop when it has one: the session writes its orders from that thread.
        http = HTTPClient(eventLoopGroup: eventLoop?.loop ?? HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Closes the pool's connections. Call once, when the bot stops.
    public func shutdown() async throws { try await http.shutdown() }

    /// Requests sent (each try counts) and retries made: for operators and tests.
    public var statistics: (requests: Int, retries: Int) { (counters.requests.load(ordering: .relaxed), counters.retries.load(ordering: .relaxed)) }

    /// A response's status and body.
    public struct Response: Sendable {
        public var status: Int
        public var body: Data
    }

    /// Sends `method path` (the path with its query) with `body` as JSON, retrying per the policy.
    /// Returns the response for 2xx and for the statuses in `accept` (a 404 the caller expects);
    /// throws `VenueHTTPError` otherwise.
    public func send(_ method: String, _ path: String, body: Data? = nil, accept: Set<Int> = []) async throws -> Response {
        var attempt = 0
        while true {
            attempt += 1
            try await rate?.acquire()
            counters.requests.add(1, ordering: .relaxed)
            let outcome: Result<(Response, Duration?), VenueHTTPError>
            do {
                outcome = .success(try await once(method, path, body: body))
            } catch let error as VenueHTTPError {
                outcome = .failure(error)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                outcome = .failure(.unreachable(venue: venue, method: method, path: path, reason: "\(error)"))
            }
            let retryAfter: Duration?
            switch outcome {
            case let .success((response, wait)):
                if (200..<300).contains(response.status) || accept.contains(response.status) { return response }
                let message = Self.message(in: response.body)
                if response.status == 401 { throw VenueHTTPError.unauthorized(venue: venue, message: message) }
                let error = VenueHTTPError.status(venue: venue, method: method, path: path, code: response.status, message: message)
                guard RetryPolicy.isRetryable(status: response.status), attempt < retry.attempts else { throw error }
                retryAfter = wait
            case let .failure(error):
                guard case .unreachable = error, attempt < retry.attempts else { throw error }
                retryAfter = nil
            }
            counters.retries.add(1, ordering: .relaxed)
            try await Task.sleep(for: retry.delay(afterAttempt: attempt, retryAfter: retryAfter))
        }
    }

    /// GETs `path` and returns its JSON body (nil for a status in `accept`).
    public func get(_ path: String, accept: Set<Int> = []) async throws -> Data? {
        let response = try await send("GET", path, accept: accept)
        return accept.contains(response.status) ? nil : response.body
    }

    private func once(_ method: String, _ path: String, body: Data?) async throws -> (Response, Duration?) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "gpt-trader")
        for (name, value) in try await signer.headers(method: method, host: host, path: path) { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if method == "POST" { LatencyProbe.requestSent() }
        let response = try await http.execute(request, timeout: timeout)
        var buffer = try await response.body.collect(upTo: 16 << 20)
        let bytes = buffer.readData(length: buffer.readableBytes) ?? Data()
        return (Response(status: Int(response.status.code), body: bytes), RetryPolicy.retryAfter(response.headers.first(name: "Retry-After")))
    }

    /// The venue's words in an error body: its `message` (Alpaca, Coinbase) or `error` field, or
    /// the start of the body.
    static func message(in body: Data) -> String {
        if let object = VenueJSON.parse(body) as? [String: Any] {
            for key in ["message", "error", "error_details"] { if let s = object[key] as? String, !s.isEmpty { return s } }
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return text.isEmpty ? "(no body)" : text
    }
}
