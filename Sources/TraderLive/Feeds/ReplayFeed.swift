public import TraderCore

/// Replays stored bars as a live feed: the bars of a series, in order, at full speed or paced at
/// a multiple of real time (the gap between two bars' timestamps divided by the factor).
///
/// At `.max` no call suspends, so a session over a replay runs as a tight loop; it still checks
/// for cancellation every 4,096 bars, so SIGINT stops a long replay promptly.
public struct ReplayFeed: MarketFeed {
    public let series: BarSeries
    public let speed: ReplaySpeed
    public var symbol: String { series.symbol }
    public var timeframe: Timeframe { series.timeframe }
    /// Bars delivered so far.
    public private(set) var position = 0

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
            if i > 0 {
                let gap = Double(series.timestamps[i] - series.timestamps[i - 1]) / factor
                try await Task.sleep(for: .nanoseconds(Int64(gap.rounded())))
            }
        }
        position = i + 1
        return .bar(series[i])
    }
}
