// Market-data message to order request: how long a bot takes from a bar arriving on its venue
// WebSocket to the order that bar decided reaching the venue's REST API, over loopback.
//
//   swift run -c release latency-bench [MESSAGES] [WARMUP] [--pool]      (default 100,000 and 2,000)
//
// Two local servers written for the tests speak Alpaca's protocols: its market-data stream
// (`AlpacaStreamServer`, driven bar by bar) and its trading API (`AlpacaTradingServer`). A paper
// session with Alpaca's broker reads the stream (`VenueStreamFeed.alpaca`); SMA 1/2 on closes that
// go up and down in turn decides an order on every bar, sent at the bar's close. The driver sends
// one bar, then waits for the session to have taken it (its event on the bus) and, when the bar
// decided an order, for that order to reach the trading server: no message waits behind another.
// A sample runs from just before the bar is handed to the stream server to when the trading
// server has the order request (one process, one monotonic clock): both loopback hops included,
// so it bounds the bot's own time from above. HDR histogram (hdrhistogram-swift), nanoseconds.
import Foundation
import Histogram
import Synchronization
import TestSupport
import TraderCore
import TraderEngine
import TraderLive
import TraderStore
import TraderStrategies

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
// `--pool`: the session on the cooperative pool and the venue connections on NIO's threads, as
// before `BotEventLoop`; by default all of the bot on one event loop.
let pooled = CommandLine.arguments.contains("--pool")
let botLoop: BotEventLoop? = pooled ? nil : BotEventLoop()
let messages = arguments.first ?? 100_000
let warmup = arguments.dropFirst().first ?? 2_000

let start = Timestamp(year: 2024, month: 3, day: 4, hour: 14, minute: 30).nanos
// The strategy's first bars decide nothing: a few more bars than samples.
let total = messages + warmup + 10
let bars = (0..<total).map { i -> Bar in
    let c = 100.0 + Double(i % 2)
    return Bar(timestamp: Timestamp(nanos: start + Int64(i) * 60_000_000_000), open: c, high: c + 0.5, low: c - 0.5, close: c, volume: 1_000)
}

let (frames, sendFrame) = AsyncStream.makeStream(of: Int.self)
let (orders, orderArrived) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
let stream = AlpacaStreamServer(symbol: "SPY", bars: bars, driven: frames) { _ in ([], false) }
let trading = AlpacaTradingServer(price: 100, cash: 1e15, fillSteps: 0)
trading.onRequest { method, _, moment in
    if method == "POST", moment == .before { orderArrived.yield(ContinuousClock.now) }
    return .proceed
}

// The bot's own part: from the frame read off its WebSocket to the order request handed to its
// HTTP client (`LatencyProbe`), recorded for the samples after the warm-up.
let inBot = Mutex((histogram: Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three), seen: 0))
LatencyProbe.start { ns in
    inBot.withLock { s in
        s.seen += 1
        if s.seen > warmup { _ = s.histogram.record(UInt64(max(ns, 0))) }
    }
}

let began = ContinuousClock.now
let histogram = try await stream.serve { streamPort in
        try await trading.serve { tradingPort in
            var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
            let client = AlpacaTradingClient(baseURL: "http://127.0.0.1:\(tradingPort)", key: trading.key, secret: trading.secret, eventLoop: botLoop)
            let bus = EventBus(bufferSize: 1 << 16)
            var events = bus.subscribe().makeAsyncIterator()
            let venue = VenueTrading(client: client, symbol: "SPY", identity: OrderIdentity(bot: "latency", session: 1))
            let session = PaperSession(bot: "latency", strategy: try StrategySpec(name: "sma-crossover", overrides: ["fast": 1, "slow": 2]),
                                       settings: ExecutionSettings(), bus: bus, venue: venue)
            let feed = VenueStreamFeed.alpaca(url: "ws://127.0.0.1:\(streamPort)/v2/iex", key: stream.key, secret: stream.secret, symbol: "SPY",
                                              eventLoop: botLoop)
            let run = Task(executorPreference: botLoop) { try await session.run(feed) }
            var arrivals = orders.makeAsyncIterator()
            var samples = 0
            for i in 0..<total {
                if i % 1000 == 0, ProcessInfo.processInfo.environment["LATENCY_PROGRESS"] != nil {
                    FileHandle.standardError.write("bar \(i), \(samples) samples, \(trading.orders.count) orders\n".data(using: .utf8)!)
                }
                let sent = ContinuousClock.now
                sendFrame.yield(i)
                // The session took the bar when its account after it is published; an order it
                // decided goes out after that.
                var ordered = false
                while let event = await events.next() {
                    switch event {
                    case .trading(_, _, .orderSubmitted): ordered = true
                    case .trading(_, _, .orderRejected), .trading(_, _, .riskRefused): ordered = false
                    case let .system(_, note) where note.level != .info:
                        FileHandle.standardError.write("bar \(i): \(note.code): \(note.message)\n".data(using: .utf8)!)
                    default: break
                    }
                    if case .portfolio = event { break }
                }
                guard ordered, let arrived = await arrivals.next() else { continue }
                samples += 1
                if samples > warmup {
                    let d = (arrived - sent).components
                    _ = histogram.record(UInt64(d.seconds) * 1_000_000_000 + UInt64(d.attoseconds / 1_000_000_000))
                }
                if samples == messages + warmup { break }
            }
            sendFrame.finish()
            run.cancel()
            _ = try? await run.value
            try await client.shutdown()
            return histogram
        }
}
let elapsed = ContinuousClock.now - began

func micros(_ ns: UInt64) -> String { String(format: "%.1f µs", Double(ns) / 1000) }
print("bot on \(pooled ? "the cooperative pool (--pool)" : "one event loop (BotEventLoop)")")
print("messages measured \(histogram.totalCount) (after \(warmup) warm-up), orders placed \(trading.orders.count), wall \(elapsed)")
print("end to end (bar handed to the stream server → order request at the trading server):")
print("p50 \(micros(histogram.valueAtPercentile(50)))  p90 \(micros(histogram.valueAtPercentile(90)))  p99 \(micros(histogram.valueAtPercentile(99)))  p99.9 \(micros(histogram.valueAtPercentile(99.9)))  max \(micros(histogram.max))")
let bot = inBot.withLock { $0.histogram }
print("in the bot (frame read off the WebSocket → order request handed to the HTTP client), \(bot.totalCount) samples:")
print("p50 \(micros(bot.valueAtPercentile(50)))  p90 \(micros(bot.valueAtPercentile(90)))  p99 \(micros(bot.valueAtPercentile(99)))  p99.9 \(micros(bot.valueAtPercentile(99.9)))  max \(micros(bot.max))")
