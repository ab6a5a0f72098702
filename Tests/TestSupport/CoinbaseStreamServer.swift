import Foundation
import Hummingbird
import HummingbirdWebSocket
import Synchronization
import TraderCore

/// A local server speaking the subset of Coinbase Advanced Trade's market-data WebSocket the
/// feed uses: `subscribe` to `market_trades` and `heartbeats`, answered by a `subscriptions`
/// message, then `market_trades` and `heartbeats` messages numbered by `sequence_num`, the
/// venue's shapes (decimal text prices and sizes, RFC 3339 times). A script per connection says
/// what it sends (faults included: repeated trades, skipped sequence numbers, drops).
public final class CoinbaseStreamServer: Sendable {
    /// One message of a connection's script.
    public enum Message: Sendable {
        /// A `market_trades` update with these trades (`snapshot` for the first after subscribing).
        case trades([Trade], snapshot: Bool = false)
        /// A heartbeat sent at `time`.
        case heartbeat(Timestamp)
        /// Skips `n` sequence numbers (messages the client never gets).
        case skip(Int)
        /// A refusal (`{"type":"error"}`), after which the server closes.
        case error(String)
    }

    public struct Trade: Sendable {
        public var id: Int
        public var price: Double
        public var size: Double
        public var time: Timestamp
        public init(id: Int, price: Double, size: Double, time: Timestamp) {
            self.id = id
            self.price = price
            self.size = size
            self.time = time
        }
    }

    public let product: String
    /// Connection `n`'s messages after the subscription, and whether it then drops.
    public let script: @Sendable (Int) -> (messages: [Message], drop: Bool)
    public let connections = Atomic<Int>(0)
    public let subscriptions = Mutex<[String]>([])

    public init(product: String, script: @escaping @Sendable (Int) -> (messages: [Message], drop: Bool)) {
        self.product = product
        self.script = script
    }

    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await serveLocally(Router().buildResponder(), server: .http1WebSocketUpgrade { _, _, _ in
            .upgrade([:]) { inbound, outbound, _ in try await self.session(inbound, outbound) }
        }, label: "coinbase-stream-test-server", body)
    }

    func session(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        let n = connections.add(1, ordering: .relaxed).oldValue
        var sequence = 0
        func envelope(_ channel: String, _ time: Timestamp, _ events: String) -> String {
            defer { sequence += 1 }
            return #"{"channel":"\#(channel)","client_id":"","timestamp":"\#(time.iso8601())Z","sequence_num":\#(sequence),"events":[\#(events)]}"#
        }
        var channels: Set<String> = []
        var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        while channels.count < 2, let message = try await messages.next() {
            guard case let .text(text) = message, let o = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                  o["type"] as? String == "subscribe", let channel = o["channel"] as? String,
                  (o["product_ids"] as? [String])?.contains(product) == true else { continue }
            subscriptions.withLock { $0.append(channel) }
            channels.insert(channel)
        }
        try await outbound.write(.text(envelope("subscriptions", Timestamp(nanos: 0),
                                                #"{"subscriptions":{"market_trades":["\#(product)"],"heartbeats":["heartbeats"]}}"#)))
        let (script, drop) = self.script(n)
        for message in script {
            switch message {
            case let .trades(trades, snapshot):
                let list = trades.map { t in
                    #"{"trade_id":"\#(t.id)","product_id":"\#(product)","price":"\#(t.price)","size":"\#(t.size)","side":"BUY","time":"\#(t.time.iso8601())Z"}"#
                }
                try await outbound.write(.text(envelope("market_trades", trades.last?.time ?? Timestamp(nanos: 0),
                                                        #"{"type":"\#(snapshot ? "snapshot" : "update")","trades":[\#(list.joined(separator: ","))]}"#)))
            case let .heartbeat(time):
                try await outbound.write(.text(envelope("heartbeats", time, #"{"current_time":"\#(time.iso8601())","heartbeat_counter":"\#(sequence)"}"#)))
            case let .skip(k):
                sequence += k
            case let .error(text):
                try await outbound.write(.text(#"{"type":"error","message":"\#(text)"}"#))
                return
            }
        }
        if drop { return }
        while try await messages.next() != nil {}
    }
}
