public import TraderCore

/// Builds bars of one timeframe from trades, for venues that stream trades: a bar is complete
/// when a trade of a later period arrives (or `close(at:)` says its period is over), and
/// periods without a trade make no bar (the feed reports them as gaps if it must).
///
/// Trades may arrive out of order by a little: one for the bar being built is folded in; one for
/// a bar already completed is counted in `late` and left out (the venue's REST bars, fetched on
/// a gap, are authoritative).
public struct BarBuilder: Sendable {
    public let timeframe: Timeframe
    private var current: Bar?
    private var periodStart: Int64 = .min
    /// Trades for periods already closed.
    public private(set) var late = 0

    public init(timeframe: Timeframe) {
        self.timeframe = timeframe
    }

    /// The start of the period holding `time`.
    func period(of time: Timestamp) -> Int64 {
        let span = Int64(timeframe.seconds) * Timestamp.nanosPerSecond
        let t = time.nanos
        return t - ((t % span) + span) % span
    }

    /// Adds a trade; returns the bar it completed, if it opened a new period.
    public mutating func add(price: Double, size: Double, at time: Timestamp) -> Bar? {
        guard price > 0, price.isFinite, size >= 0, size.isFinite else { return nil }
        let start = period(of: time)
        if start < periodStart {
            late += 1
            return nil
        }
        if start == periodStart, var bar = current {
            bar.high = max(bar.high, price)
            bar.low = min(bar.low, price)
            bar.close = price
            bar.volume += size
            current = bar
            return nil
        }
        let done = current
        current = Bar(timestamp: Timestamp(nanos: start), open: price, high: price, low: price, close: price, volume: size)
        periodStart = start
        return done
    }

    /// The bar being built, if its period ended before `time` (a heartbeat's time, the clock).
    public mutating func close(at time: Timestamp) -> Bar? {
        guard let bar = current, period(of: time) > periodStart else { return nil }
        current = nil
        return bar
    }
}
