public import TraderCore

/// A venue's historical-bars REST endpoint, paged: what `data fetch` downloads from and what a
/// venue stream backfills its gaps with. One adapter per venue (`AlpacaHistoricalBars`,
/// `CoinbaseHistoricalBars`) over its pooled `VenueHTTPClient`.
public protocol HistoricalBarsClient: VenueClient {
    /// The venue's name in messages.
    var venue: String { get }
    /// Why the venue has no bars at `timeframe` (its name for each spacing it has), nil when it has.
    func unsupported(_ timeframe: Timeframe) -> String?
    /// Pages through the bars of `symbol` at `timeframe` from `from` through `through`
    /// (inclusive), calling `page` with each page in order. A page's bars are as the venue sent
    /// them (in any order, possibly repeated): the caller sorts, counts and drops duplicates.
    func fetch(symbol: String, timeframe: Timeframe, from: Timestamp, through: Timestamp,
               page: (HistoryPage) async throws -> Void) async throws
    /// Requests sent (each try counts) and retries made.
    var statistics: (requests: Int, retries: Int) { get }
}

/// One answer of a historical-bars endpoint.
public struct HistoryPage: Sendable {
    /// The bars, as the venue sent them.
    public var bars: [Bar]
    /// The time through which the venue has now answered: every bar up to it has been sent (a
    /// download interrupted after this page resumes after it).
    public var through: Timestamp

    public init(bars: [Bar], through: Timestamp) {
        self.bars = bars
        self.through = through
    }
}

extension HistoricalBarsClient {
    /// Every bar of the range, sorted and each once (for backfilling a gap of a stream).
    public func bars(symbol: String, timeframe: Timeframe, from: Timestamp, through: Timestamp) async throws -> [Bar] {
        var all: [Bar] = []
        try await fetch(symbol: symbol, timeframe: timeframe, from: from, through: through) { all += $0.bars }
        all.sort { $0.timestamp < $1.timestamp }
        var out: [Bar] = []
        out.reserveCapacity(all.count)
        for bar in all where bar.timestamp >= from && bar.timestamp <= through {
            if let last = out.last, last.timestamp == bar.timestamp { out[out.count - 1] = bar } else { out.append(bar) }
        }
        return out
    }
}
