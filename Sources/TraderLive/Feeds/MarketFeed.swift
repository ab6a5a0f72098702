public import TraderCore

/// What a market-data feed delivers, in order.
public enum FeedEvent: Sendable, Equatable {
    /// A completed bar of the feed's symbol and timeframe.
    case bar(Bar)
    /// The feed is alive but has no new bar (venues' heartbeats; the stale-data guard reads them).
    case heartbeat(Timestamp)
    /// Bars between the two times were missed and could not be recovered (after backfill).
    case gap(from: Timestamp, to: Timestamp)
}

/// A source of bars for a paper or live session: replayed from storage, synthetic, or a venue's
/// market-data stream. Pull-based, like an async iterator, so a replay at full speed runs without
/// a suspension per bar, while a live feed suspends until its venue sends something.
///
/// A feed delivers bars in increasing time order, each one validated (`Bar.violation`), and ends
/// by returning nil (a replay at its last bar; a live feed when cancelled or stopped).
public protocol MarketFeed: Sendable {
    /// The instrument the bars are of.
    var symbol: String { get }
    /// The spacing of the bars.
    var timeframe: Timeframe { get }
    /// The next event, nil when the feed has ended. Throws when the feed fails for good (after
    /// its own reconnection attempts) or the task is cancelled.
    mutating func next() async throws -> FeedEvent?
    /// Appends the next events to `events`, at least one and at most `limit`, and returns true;
    /// false, appending nothing, when the feed has ended. A replay at full speed hands over many
    /// bars per call, which spares the session an async call through the feed per bar (a fifth
    /// of a replayed bar's cost); other feeds hand over one (`next()`).
    mutating func next(into events: inout [FeedEvent], limit: Int) async throws -> Bool
    /// Ends the feed from another task: a `next()` waiting returns nil soon (a stop request
    /// brought while the feed is quiet). Venue streams, paced replays and synthetic feeds end at
    /// once; by default a feed ends at its next bar.
    func interrupt()
    /// How many bars are still to come, when the feed knows (a replay); nil for a live feed.
    var barsLeft: Int? { get }
}

extension MarketFeed {
    public mutating func next(into events: inout [FeedEvent], limit: Int) async throws -> Bool {
        try await appendNext(to: &events)
    }

    /// Appends the next event (`next()`) to `events`; false when the feed has ended.
    mutating func appendNext(to events: inout [FeedEvent]) async throws -> Bool {
        guard let event = try await next() else { return false }
        events.append(event)
        return true
    }

    public func interrupt() {}
    public var barsLeft: Int? { nil }
}

/// How fast a replay feed delivers its bars.
public enum ReplaySpeed: Sendable, Equatable, CustomStringConvertible {
    /// As fast as the session takes them.
    case max
    /// `factor` times real time: a one-minute bar every `60 / factor` seconds.
    case times(Double)

    /// Parses `max` or a positive decimal factor (`60`, `0.5`, `1e6`); nil otherwise (also for
    /// hexadecimal, which `Double` would read: `0x10` is not a speed anyone means).
    public init?(_ text: String) {
        if text == "max" { self = .max; return }
        guard let f = DecimalText.parse(text), f.isFinite, f > 0 else { return nil }
        self = .times(f)
    }

    public var description: String {
        switch self {
        case .max: "max"
        case let .times(f): "\(f)x"
        }
    }
}
