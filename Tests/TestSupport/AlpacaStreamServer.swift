import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Synchronization
import TraderCore

/// A local server speaking the subset of Alpaca's market-data stream the feed uses
/// (`connected`, `auth`, `subscribe`, bars as `T: b`), with faults injected by a script per
/// connection: it drops connections, repeats bars, sends them late and skips minutes.
public final class AlpacaStreamServer: Sendable {
    /// What connection number `n` (from 0) sends after the subscription: indices into `bars`,
    /// then whether it drops the connection (else it stays open, idle).
    public let script: @Sendable (Int) -> (bars: [Int], drop: Bool)
    public let bars: [Bar]
    public let symbol: String
    public let key = "test-key", secret = "test-secret"
    public let connections = Atomic<Int>(0)
    public let authentications = Mutex<[String]>([])

    /// When given, the first connection sends, one frame each, the bars whose indices arrive
    /// here, as they arrive (a benchmark drives the stream bar by bar); the script then applies
    /// to the connections after it.
    public let driven: AsyncStream<Int>?

    public init(symbol: String, bars: [Bar], driven: AsyncStream<Int>? = nil, script: @escaping @Sendable (Int) -> (bars: [Int], drop: Bool)) {
        self.symbol = symbol
        self.bars = bars
        self.driven = driven
        self.script = script
    }

    public static func json(_ bar: Bar, symbol: String) -> String {
        #"{"T":"b","S":"\#(symbol)","o":\#(bar.open),"h":\#(bar.high),"l":\#(bar.low),"c":\#(bar.close),"v":\#(bar.volume),"t":"\#(bar.timestamp.iso8601())Z","n":10,"vw":\#(bar.close)}"#
    }

    /// Runs the server on a free loopback port until `body` returns.
    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        // A driven connection writes bars without reading, so it would not see the client's
        // answers to the server's pings and would close it after a minute: no pings for it.
        let configuration = WebSocketServerConfiguration(autoPing: driven == nil ? .enabled(timePeriod: .seconds(30)) : .disabled)
        return try await serveLocally(Router().buildResponder(), server: .http1WebSocketUpgrade(configuration: configuration) { _, _, _ in
            .upgrade([:]) { inbound, outbound, _ in try await self.session(inbound, outbound) }
        }, label: "alpaca-stream-test-server", body)
    }

    func session(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        let n = connections.add(1, ordering: .relaxed).oldValue
        try await outbound.write(.text(#"[{"T":"success","msg":"connected"}]"#))
        var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        while let message = try await messages.next() {
            guard case let .text(text) = message,
                  let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            switch object["action"] as? String {
            case "auth":
                authentications.withLock { $0.append("\(object["key"] ?? "")") }
                guard object["key"] as? String == key, object["secret"] as? String == secret else {
                    try await outbound.write(.text(#"[{"T":"error","code":402,"msg":"auth failed"}]"#))
                    return
                }
                try await outbound.write(.text(#"[{"T":"success","msg":"authenticated"}]"#))
            case "subscribe":
                let wanted = object["bars"] as? [String] ?? []
                try await outbound.write(.text(#"[{"T":"subscription","trades":[],"quotes":[],"bars":["\#(wanted.joined(separator: "\",\""))"]}]"#))
                if n == 0, let driven {
                    for await i in driven { try await outbound.write(.text("[" + Self.json(bars[i], symbol: symbol) + "]")) }
                    return
                }
                let (indices, drop) = script(n)
                // Several bars per frame, as the venue batches them.
                for chunk in stride(from: 0, to: indices.count, by: 3) {
                    let frame = indices[chunk..<min(chunk + 3, indices.count)].map { Self.json(bars[$0], symbol: symbol) }
                    try await outbound.write(.text("[" + frame.joined(separator: ",") + "]"))
                }
                if drop { return }
            default:
                break
            }
        }
    }
}

