// Market-data message to order request: how long a bot takes from a bar arriving on its venue
// WebSocket to the order that bar decided reaching the venue's REST API, over loopback.
//
//   swift run -c release latency-bench [MESSAGES] [WARMUP]      (default 100,000 and 2,000)
//
// Two local servers written for the tests speak Alpaca's protocols: its market-data stream
// (`AlpacaStreamServer`) and its trading API (`AlpacaTradingServer`). A paper session with
// Alpaca's broker reads the stream (`VenueStreamFeed.alpaca`), and SMA 1/2 on closes that go up
// and down in turn decides an order on every bar, sent at the bar's close. The stream is paced
// closed-loop: bar i+1 is written only once bar i's order arrived, so no message waits behind
// another. Each sample is from just before the stream server writes the frame to just when the
// trading server has the order request (both in this process, one monotonic clock): it includes
// both loopback hops, so it bounds the bot's own time from above. Recorded in an HDR histogram
// (hdrhistogram-swift), in nanoseconds.
import Foundation
import Histogram
import Synchronization
import TestSupport
import TraderCore
import TraderEngine
import TraderLive
import TraderStrategies

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let messages = arguments.first ?? 100_000
let warmup = arguments.dropFirst().first ?? 2_000
let total = messages + warmup

/// The clock readings of the run: when each bar was written, the gate the stream waits at, the
/// histogram of samples.
final class Probe: Sendable {
    struct State {
        var sentAt: ContinuousClock.Instant?
        var waiting: CheckedContinuation<Void, Never>?
        var arrived = false
        var samples = 0
        var finished: CheckedContinuation<Void, Never>?
        var done = false
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    }
    let state = Mutex(State())

    /// Before bar `i`'s frame: waits for bar i-1's order (from bar 10 on: the strategy's first
    /// bars decide nothing), then reads the clock.
    func beforeFrame(_ i: Int) async {
        if i > 10 {
            await withCheckedContinuation { c in
                let go = state.withLock { s in
                    if s.arrived { s.arrived = false; return true }
                    s.waiting = c
                    return false
                }
                if go { c.resume() }
            }
        }
        state.withLock { $0.sentAt = ContinuousClock.now }
    }

    /// An order request arrived: records the sample and lets the next bar go.
    func orderArrived() {
        let now = ContinuousClock.now
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let sent = s.sentAt {
                s.samples += 1
                if s.samples > warmup {
                    let d = (now - sent).components
                    _ = s.histogram.record(UInt64(d.seconds) * 1_000_000_000 + UInt64(d.attoseconds / 1_000_000_000))
                }
                s.sentAt = nil
            }
            if s.samples >= total - 20, !s.done {
                s.done = true
                s.finished?.resume()
                s.finished = nil
            }
            if let w = s.waiting { s.waiting = nil; return w }
            s.arrived = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns once the last bar's order arrived.
    func allArrived() async {
        await withCheckedContinuation { c in
            let done = state.withLock { s in
                if !s.done { s.finished = c }
                return s.done
            }
            if done { c.resume() }
        }
    }
}

let start = Timestamp(year: 2024, month: 3, day: 4, hour: 14, minute: 30).nanos
let bars = (0..<total).map { i -> Bar in
    let c = 100.0 + Double(i % 2)
    return Bar(timestamp: Timestamp(nanos: start + Int64(i) * 60_000_000_000), open: c, high: c + 0.5, low: c - 0.5, close: c, volume: 1_000)
}
let probe = Probe()
let stream = AlpacaStreamServer(symbol: "SPY", bars: bars, batch: 1, pace: { i in await probe.beforeFrame(i) }) { _ in
    (Array(0..<total), false)
}
let trading = AlpacaTradingServer(price: 100, cash: 1e15, fillSteps: 0)
trading.onRequest { method, path, moment in
    if method == "POST", moment == .before { probe.orderArrived() }
    return .proceed
}

let clock = ContinuousClock()
let elapsed = try await clock.measure {
    try await stream.serve { streamPort in
        try await trading.serve { tradingPort in
            let client = AlpacaTradingClient(baseURL: "http://127.0.0.1:\(tradingPort)", key: trading.key, secret: trading.secret)
            let venue = VenueTrading(client: client, symbol: "SPY", identity: OrderIdentity(bot: "latency", session: 1))
            let session = PaperSession(bot: "latency", strategy: try StrategySpec(name: "sma-crossover", overrides: ["fast": 1, "slow": 2]),
                                       settings: ExecutionSettings(), venue: venue)
            let feed = VenueStreamFeed.alpaca(url: "ws://127.0.0.1:\(streamPort)/v2/iex", key: stream.key, secret: stream.secret, symbol: "SPY")
            let run = Task { try await session.run(feed) }
            // Every bar after the first few decides an order: the run is done when they arrived.
            await probe.allArrived()
            run.cancel()
            _ = try? await run.value
            try await client.shutdown()
        }
    }
}

let h = probe.state.withLock { $0.histogram }
func micros(_ ns: UInt64) -> String { String(format: "%.1f µs", Double(ns) / 1000) }
print("messages measured \(h.totalCount) (after \(warmup) warm-up), orders placed \(trading.orders.count), wall \(elapsed)")
print("p50 \(micros(h.valueAtPercentile(50)))  p90 \(micros(h.valueAtPercentile(90)))  p99 \(micros(h.valueAtPercentile(99)))  p99.9 \(micros(h.valueAtPercentile(99.9)))  max \(micros(h.max))")
