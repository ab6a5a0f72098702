import Foundation
import Hummingbird
import NIOCore
import Synchronization
import TraderCore

/// A local server speaking the venues' historical-bars REST endpoints the download adapters use,
/// with the venues' paths, query parameters, JSON shapes and limits, over bars the test gives it:
///
/// - Alpaca: `GET /v2/stocks/{symbol}/bars` and `GET /v1beta3/crypto/us/bars?symbols=`, the key
///   headers required (401 without), RFC 3339 `start`/`end` (both included), at most
///   `min(limit, pageSize)` bars a page, `next_page_token` while more remain (opaque to clients);
///   `bars` is `null` when there are none, as Alpaca sends it.
/// - Coinbase: `GET /api/v3/brokerage/market/products/{product}/candles`, public, UNIX-second
///   `start`/`end` (both included), a known `granularity`; more than 350 candles in the range
///   is refused with 400 as Coinbase does; candles newest first, prices as decimal text.
///
/// Faults are injected per request (`VenueFault`: 429 with `Retry-After`, 500s, a hang);
/// `repeatEdges` makes each Alpaca page start with the previous page's last bar (a duplicate);
/// `hold(after:)` leaves requests beyond a count unanswered, so a test can kill a client mid-download
/// at a known page.
public final class HistoricalBarsServer: Sendable {
    public let key = "data-key", secret = "data-secret"
    public let pageSize: Int
    public let repeatEdges: Bool
    private let faults = FaultInjector()

    struct State {
        var bars: [String: [Bar]]
        var log: [(path: String, query: [String: String])] = []
        var holdAfter: Int?
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state: Mutex<State>

    /// Serves `bars` by symbol (sorted by time), Alpaca's pages holding at most `pageSize` bars.
    public init(bars: [String: [Bar]], pageSize: Int = 10_000, repeatEdges: Bool = false) {
        state = Mutex(State(bars: bars))
        self.pageSize = pageSize
        self.repeatEdges = repeatEdges
    }

    public func inject(_ fault: VenueFault, path: String) { faults.inject(fault, method: "GET", path: path) }
    /// Requests after the `n`th hang (until the server stops); nil answers them again.
    public func hold(after n: Int?) { state.withLock { $0.holdAfter = n } }
    /// Every request's path and query parameters, in order.
    public var log: [(path: String, query: [String: String])] { state.withLock { $0.log } }
    public func setBars(_ symbol: String, _ bars: [Bar]) { state.withLock { $0.bars[symbol] = bars } }

    /// Waits until `n` requests have arrived.
    public func waitForRequests(_ n: Int) async {
        await withCheckedContinuation { c in
            let ready = state.withLock { s in
                if s.log.count >= n { return true }
                s.waiters.append((n, c))
                return false
            }
            if ready { c.resume() }
        }
    }

    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await faults.serve(label: "history-test-server", { request in try await self.respond(request) }, body)
    }

    func respond(_ request: Request) async throws -> Response {
        let path = request.uri.path
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { query[String(k)] = String(v) }
        let (ready, held) = state.withLock { s -> ([CheckedContinuation<Void, Never>], Bool) in
            s.log.append((path, query))
            let n = s.log.count
            let ready = s.waiters.filter { $0.count <= n }.map(\.continuation)
            s.waiters.removeAll { $0.count <= n }
            return (ready, s.holdAfter.map { n > $0 } ?? false)
        }
        for c in ready { c.resume() }
        if held { return await faults.answer(.hang) ?? jsonResponse(503, "{}") }
        if let answer = await faults.answer(faults.take(method: request.method.rawValue, path: path)) { return answer }
        if path.hasPrefix("/api/v3/brokerage/market/products/") { return coinbase(path, query) }
        func header(_ name: String) -> String? { request.headers.first { $0.name.canonicalName == name }?.value }
        guard header("apca-api-key-id") == key, header("apca-api-secret-key") == secret else {
            return jsonResponse(401, #"{"code":40110000,"message":"request is not authorized"}"#)
        }
        if path == "/v1beta3/crypto/us/bars", let symbol = query["symbols"] { return alpaca(symbol, query, crypto: true) }
        let parts = path.split(separator: "/")
        if parts.count == 4, parts[0] == "v2", parts[1] == "stocks", parts[3] == "bars" {
            return alpaca(String(parts[2]).removingPercentEncoding ?? String(parts[2]), query, crypto: false)
        }
        return jsonResponse(404, #"{"message":"not found"}"#)
    }

    static let alpacaFrames: [String: Int64] = ["1Min": 60, "5Min": 300, "15Min": 900, "1Hour": 3600, "1Day": 86_400]

    func alpaca(_ symbol: String, _ query: [String: String], crypto: Bool) -> Response {
        guard let frame = query["timeframe"], Self.alpacaFrames[frame] != nil else {
            return jsonResponse(422, #"{"code":42210000,"message":"invalid timeframe"}"#)
        }
        guard let start = query["start"].flatMap(Self.rfc3339), let end = query["end"].flatMap(Self.rfc3339), start <= end else {
            return jsonResponse(422, #"{"code":42210000,"message":"invalid start or end"}"#)
        }
        let limit = min(Int(query["limit"] ?? "1000") ?? 1000, pageSize)
        let all = state.withLock { $0.bars[symbol] } ?? []
        let inRange = all.filter { $0.timestamp.nanos >= start && $0.timestamp.nanos <= end }
        let offset = query["page_token"].flatMap { Data(base64Encoded: $0) }.flatMap { Int(String(decoding: $0, as: UTF8.self).dropFirst(5)) } ?? 0
        var page = Array(inRange.dropFirst(offset).prefix(limit))
        if repeatEdges, offset > 0 { page.insert(inRange[offset - 1], at: 0) }
        let next = offset + limit < inRange.count ? Data("page:\(offset + limit)".utf8).base64EncodedString() : nil
        let items = page.map { b in
            #"{"t":"\#(b.timestamp.iso8601())Z","o":\#(b.open),"h":\#(b.high),"l":\#(b.low),"c":\#(b.close),"v":\#(b.volume),"n":1,"vw":\#(b.close)}"#
        }
        let list = page.isEmpty ? "null" : "[" + items.joined(separator: ",") + "]"
        let bars = crypto ? #"{"\#(symbol)":\#(list)}"# : list
        let token = next.map { "\"\($0)\"" } ?? "null"
        return jsonResponse(200, crypto ? #"{"bars":\#(bars),"next_page_token":\#(token)}"#
                                        : #"{"bars":\#(bars),"symbol":"\#(symbol)","next_page_token":\#(token)}"#)
    }

    static let granularities: [String: Int64] = [
        "ONE_MINUTE": 60, "FIVE_MINUTE": 300, "FIFTEEN_MINUTE": 900, "THIRTY_MINUTE": 1800,
        "ONE_HOUR": 3600, "TWO_HOUR": 7200, "SIX_HOUR": 21_600, "ONE_DAY": 86_400,
    ]

    func coinbase(_ path: String, _ query: [String: String]) -> Response {
        let parts = path.split(separator: "/")
        guard parts.count == 7, parts[6] == "candles" else { return jsonResponse(404, #"{"error":"NOT_FOUND","message":"not found"}"#) }
        let product = String(parts[5])
        guard let g = query["granularity"].flatMap({ Self.granularities[$0] }) else {
            return jsonResponse(400, #"{"error":"INVALID_ARGUMENT","message":"invalid granularity"}"#)
        }
        guard let start = query["start"].flatMap({ Int64($0) }), let end = query["end"].flatMap({ Int64($0) }), start <= end else {
            return jsonResponse(400, #"{"error":"INVALID_ARGUMENT","message":"start and end must be UNIX seconds, start not after end"}"#)
        }
        guard (end - start) / g + 1 <= 350 else {
            return jsonResponse(400, #"{"error":"INVALID_ARGUMENT","message":"number of candles requested should be less than 350"}"#)
        }
        let all = state.withLock { $0.bars[product] } ?? []
        let candles = all.filter { $0.timestamp.nanos >= start * 1_000_000_000 && $0.timestamp.nanos <= end * 1_000_000_000 }.reversed()
        let items = candles.map { b in
            #"{"start":"\#(b.timestamp.nanos / 1_000_000_000)","low":"\#(b.low)","high":"\#(b.high)","open":"\#(b.open)","close":"\#(b.close)","volume":"\#(b.volume)"}"#
        }
        return jsonResponse(200, #"{"candles":[\#(items.joined(separator: ","))]}"#)
    }

    /// `2024-01-02T03:04:05Z` (what the adapter sends) to nanoseconds.
    static func rfc3339(_ text: String) -> Int64? {
        guard let date = ISO8601DateFormatter().date(from: text) else { return nil }
        return Int64(date.timeIntervalSince1970.rounded()) * 1_000_000_000
    }
}
