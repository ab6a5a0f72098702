public import TraderCore
public import TraderData

/// The bar store as the CLI and the API use it: import, generate, list, inspect and remove stored
/// bars, with `DataError`s turned into `AppError`s (a bad or corrupt file, an unknown symbol, a
/// bad argument: usage, exit 2; a disk that refuses a write: runtime, exit 1).
///
/// The directory is the one backtests read (`MarketDataLocator.storeDirectory`) unless given.
public struct BarStoreService: Sendable {
    public let store: BarStore

    /// Bars per chunk when generating: 64K bars, 3 MB of columns in memory at a time.
    public static let generateChunk = 1 << 16

    /// A service on `directory`, or on the locator's store directory.
    public init(directory: String? = nil, locator: MarketDataLocator = MarketDataLocator()) {
        store = BarStore(directory: directory ?? locator.storeDirectory)
    }

    /// Reads and validates the CSV file at `path` and stores it as `symbol` (default: the file
    /// name), at `timeframe` (default: inferred from the bar spacing).
    public func importCSV(path: String, symbol: String?, timeframe: Timeframe?) throws(AppError) -> BarStoreEntry {
        try importCSV(path: path, symbol: symbol, timeframe: timeframe, clippingPrices: false).entry
    }

    /// `importCSV`, clipping open and close into [low, high] when asked (`--clip-prices`).
    public func importCSV(
        path: String, symbol: String?, timeframe: Timeframe?, clippingPrices: Bool
    ) throws(AppError) -> (entry: BarStoreEntry, clipping: PriceClipping) {
        let symbol = symbol ?? CSVBarReader.defaultSymbol(forPath: path)
        return try Self.mapping { () throws(DataError) in
            try store.importCSV(from: path, symbol: symbol, timeframe: timeframe, clippingPrices: clippingPrices)
        }
    }

    /// Deletes what writers killed earlier left in the store (see `BarStore.removeStaleTemporaries`);
    /// the data commands call it first and report what it removed.
    public func removeStaleTemporaries() -> [TemporaryFiles.Stale] {
        store.removeStaleTemporaries()
    }

    /// Writes `bars` seeded synthetic bars of `symbol` into the store, streaming in chunks, so
    /// memory stays at one chunk whatever `bars` is. The result equals
    /// `SyntheticBars.generate` with the same arguments. `progress` gets (done, total).
    public func generate(
        symbol: String, bars: Int, seed: UInt64, timeframe: Timeframe, start: Timestamp = SyntheticBars.defaultStart,
        progress: ((Int, Int) -> Void)? = nil
    ) throws(AppError) -> BarStoreEntry {
        guard bars > 0 else { throw .usage("--bars must be a positive number of bars, got \(bars)") }
        let name = BarStore.normalize(symbol)
        var generator: SyntheticBarGenerator
        do { generator = try SyntheticBarGenerator(symbol: name, seed: seed, start: start, timeframe: timeframe) } catch {
            throw .usage(error.description)
        }
        // Check the whole range up front, so a too-long request fails before anything is written.
        do { try generator.validate(bars: bars) } catch { throw .usage(error.description) }
        let writer = try Self.mapping { () throws(DataError) in try store.streamWriter(symbol: name, timeframe: timeframe, count: bars) }
        var done = 0
        while done < bars {
            let n = min(Self.generateChunk, bars - done)
            let chunk: BarSeries
            do { chunk = try generator.next(n) } catch {
                writer.cancel()
                throw .usage(error.description)
            }
            try Self.mapping { () throws(DataError) in try writer.append(chunk) }
            done += n
            progress?(done, bars)
        }
        let header = try Self.mapping { () throws(DataError) in try writer.finish() }
        return BarStoreEntry(header: header, path: writer.path)
    }

    /// Every stored file.
    public func list() throws(AppError) -> [BarStoreEntry] {
        try Self.mapping { () throws(DataError) in try store.list() }
    }

    /// The stored files of `symbol` (one timeframe or all); with `verify`, every column checksum
    /// is checked too (reads the whole file). Unknown symbols are a usage error listing the
    /// stored ones.
    public func info(symbol: String, timeframe: Timeframe? = nil, verify: Bool = true) throws(AppError) -> [BarStoreEntry] {
        let entries = try Self.mapping { () throws(DataError) in
            try store.entries(symbol: symbol).filter { timeframe == nil || $0.timeframe == timeframe }
        }
        guard !entries.isEmpty else { throw notStored(symbol, timeframe) }
        if verify {
            for entry in entries {
                try Self.mapping { () throws(DataError) in try BarStoreFile(path: entry.path).verify() }
            }
        }
        return entries
    }

    /// Deletes the stored files of `symbol` (one timeframe or all); returns the paths removed.
    public func remove(symbol: String, timeframe: Timeframe? = nil) throws(AppError) -> [String] {
        let removed = try Self.mapping { () throws(DataError) in try store.remove(symbol: symbol, timeframe: timeframe) }
        guard !removed.isEmpty else { throw notStored(symbol, timeframe) }
        return removed
    }

    private func notStored(_ symbol: String, _ timeframe: Timeframe?) -> AppError {
        let stored = store.symbols()
        return .usage("no stored bars for '\(BarStore.normalize(symbol))'" + (timeframe.map { " at \($0)" } ?? "")
            + " in \(store.directory)" + (stored.isEmpty ? "" : "; stored: \(stored.joined(separator: ", "))"))
    }

    /// Runs `body`, turning a `DataError` into an `AppError` (`AppError.init(_:)`).
    static func mapping<R>(_ body: () throws(DataError) -> R) throws(AppError) -> R {
        do {
            return try body()
        } catch {
            throw AppError(error)
        }
    }
}
