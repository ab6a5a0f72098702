public import TraderCore
public import TraderData
public import TraderStore

/// Market data kept in the run database when the user asks for it: `data archive` copies
/// series into the database's bar archive (so a team shares one copy on PostgreSQL), `data
/// restore` writes archived series back into a local bar store, where backtests read them.
public struct BarArchiveService: Sendable {
    public let history: RunHistory
    public let locator: MarketDataLocator

    public init(history: RunHistory, locator: MarketDataLocator = MarketDataLocator()) {
        self.history = history
        self.locator = locator
    }

    /// Archives the bars `symbol` resolves to (bar store, then CSV), all of them or `[start, end]`.
    public func archive(symbol: String, start: Timestamp? = nil, end: Timestamp? = nil) async throws(AppError) -> BarSeries {
        let bars = try locator.load(.symbol(symbol), start: start, end: end)
        guard !bars.isEmpty else { throw .usage("\(symbol): no bars in the requested range") }
        try await history.perform("archive bars of \(symbol)") { try await history.store.archiveBars(bars) }
        return bars
    }

    public func list() async throws(AppError) -> [ArchivedSeries] {
        try await history.perform("list archived bars") { try await history.store.archivedSeries() }
    }

    /// Writes an archived series into the bar store at `directory` (default: the locator's).
    public func restore(symbol: String, timeframe: Timeframe?, into directory: String?) async throws(AppError) -> [BarStoreEntry] {
        let archived = try await list().filter { $0.symbol == symbol && (timeframe == nil || $0.timeframe == timeframe!.description) }
        guard !archived.isEmpty else { throw .usage("\(symbol) is not archived in \(history.location) (see `gpt-trader data archived`)") }
        let store = BarStore(directory: directory ?? locator.storeDirectory)
        var written: [BarStoreEntry] = []
        for series in archived {
            let tf: Timeframe
            do { tf = try Timeframe(parsing: series.timeframe) } catch { throw .runtime("archived timeframe '\(series.timeframe)' is unreadable") }
            let loaded = try await history.perform("read archived bars of \(symbol)") {
                try await history.store.archivedBars(symbol: symbol, timeframe: tf, from: nil, to: nil)
            }
            guard let stored = loaded else { continue }
            // The archive may be a shared database: the bars must pass the bar invariant
            // (`Bar.violation`) before they become a store file that loads without re-checking.
            let bars: BarSeries
            do {
                bars = try BarSeries(symbol: stored.symbol, timeframe: stored.timeframe, columns: stored.timestamps, open: stored.open,
                                     high: stored.high, low: stored.low, close: stored.close, volume: stored.volume)
            } catch { throw .runtime("archived bars of \(symbol) (\(tf)) are invalid: \(error.description)") }
            do { written.append(try store.write(bars, timeframe: tf)) } catch { throw AppError(error, context: symbol) }
        }
        return written
    }

    public func delete(symbol: String, timeframe: Timeframe) async throws(AppError) -> Int {
        try await history.perform("delete archived bars of \(symbol)") { try await history.store.deleteArchivedBars(symbol: symbol, timeframe: timeframe) }
    }
}
