public import TraderCore
public import TraderData

/// A live feed of synthetic bars (the regime-switching model of `SyntheticBars`, seeded), for
/// trying a bot end to end without a venue: one bar per `interval` of real time, timestamped on
/// the model's own clock from `start`, up to `limit` bars (endless when nil).
///
/// The bars are exactly those `SyntheticBars.generate` makes with the same symbol, seed, start
/// and timeframe, so a synthetic session can be checked against a backtest of the same bars.
public struct SyntheticFeed: MarketFeed {
    public var symbol: String { generator.symbol }
    public var timeframe: Timeframe { generator.timeframe }
    /// Real time between two bars; zero delivers them as fast as they are taken.
    public let interval: Duration
    public let limit: Int?
    private var generator: SyntheticBarGenerator
    private var buffer: BarSeries?
    private var bufferPosition = 0
    private var delivered = 0
    private let pause = FeedPause()

    /// Bars generated per call to the model (it is cheaper in chunks; pacing is per bar).
    static let chunk = 1024

    public init(symbol: String, seed: UInt64, timeframe: Timeframe = .minute1, start: Timestamp = SyntheticBars.defaultStart,
                interval: Duration = .seconds(1), limit: Int? = nil) throws(DomainError) {
        if let limit, limit < 1 { throw .invalid(field: "limit", reason: "must be at least 1 bar, got \(limit)") }
        guard interval >= .zero else { throw .invalid(field: "interval", reason: "must not be negative") }
        generator = try SyntheticBarGenerator(symbol: symbol, seed: seed, start: start, timeframe: timeframe)
        self.interval = interval
        self.limit = limit
    }

    public mutating func next() async throws -> FeedEvent? {
        if let limit, delivered >= limit { return nil }
        if interval > .zero {
            if pause.isInterrupted { return nil }
            // A stop request while the feed waits ends it (`interrupt`).
            if delivered > 0, try await pause.wait(interval) { return nil }
        } else if delivered & 4095 == 0 {
            try Task.checkCancellation()
        }
        if buffer == nil || bufferPosition == buffer!.count {
            let count = limit.map { min(Self.chunk, $0 - delivered) } ?? Self.chunk
            buffer = try generator.next(count)
            bufferPosition = 0
        }
        let bar = buffer![bufferPosition]
        bufferPosition += 1
        delivered += 1
        return .bar(bar)
    }

    public func interrupt() { pause.interrupt() }
}
