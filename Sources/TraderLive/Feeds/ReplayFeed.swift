public import TraderCore

/// Replays stored bars as a live feed: the bars of a series, in order, at full speed or paced at
/// a multiple of real time (the gap between two bars' timestamps divided by the factor).
///
/// At `.max` no call suspends, so a session over a replay runs as a tight loop; it still checks
/// for cancellation every 4,096 bars, so SIGINT stops a long replay promptly. A paced replay's
/// wait between bars ends at once on `interrupt()` (a stop request), and the feed with it.
public struct ReplayFeed: MarketFeed {
    public let series: BarSeries
    public let speed: ReplaySpeed
    public var symbol: String { series.symbol }
    public var timeframe: Timeframe { series.timeframe }
    /// Bars delivered so far.
    public private(set) var position = 0
    private let pause = FeedPause()

    /// A replay of `series` from its first bar.
    public init(series: BarSeries, speed: ReplaySpeed = .max) {
        self.series = series
        self.speed = speed
    }

    public mutating func next() async throws -> FeedEvent? {
        let i = position
        guard i < series.count else { return nil }
        switch speed {
        case .max:
            if i & 4095 == 0 { try Task.checkCancellation() }
        case let .times(factor):
            if pause.isInterrupted { return nil }
            if i > 0 {
                let gap = Double(series.timestamps[i] - series.timestamps[i - 1]) / factor
                if try await pause.wait(.nanoseconds(Int64(gap.rounded()))) { return nil }
            }
        }
        position = i + 1
        return .bar(series[i])
    }

    public mutating func next(into events: inout [FeedEvent], limit: Int) async throws -> Bool {
        guard case .max = speed else { return try await appendNext(to: &events) }
        let start = position, end = min(series.count, start + max(1, limit))
        guard start < end else { return false }
        try Task.checkCancellation()
        for i in start..<end { events.append(.bar(series[i])) }
        position = end
        return true
    }

    public func interrupt() { pause.interrupt() }

    public var barsLeft: Int? { series.count - position }
}
