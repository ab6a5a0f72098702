#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import TraderCore

/// A directory of bar store files, one per symbol and timeframe, named `SYMBOL_TIMEFRAME.gtbars`
/// (`GOOG_1d.gtbars`, `EURUSD_1m.gtbars`).
///
/// Symbols are stored uppercased, as the CSV loader names them. Lookups go by file name, so a
/// corrupt file of one symbol never stops another from loading; `list()` reads every header
/// and reports a corrupt file as an error naming it. Every write replaces the file atomically.
public struct BarStore: Sendable {
    /// The directory holding the files (created on the first write).
    public let directory: String

    public init(directory: String) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// The symbol as stored: uppercased.
    public static func normalize(_ symbol: String) -> String { symbol.uppercased() }

    /// The file for `symbol` at `timeframe` (whether or not it exists).
    public func path(symbol: String, timeframe: Timeframe) -> String {
        "\(directory)/\(BarStore.normalize(symbol))_\(timeframe).\(BarStoreFormat.fileExtension)"
    }

    /// Reads the CSV file at `csvPath` (validating every row) and stores it as `symbol`; the
    /// timeframe is inferred from the bar spacing unless given.
    @discardableResult
    public func importCSV(from csvPath: String, symbol: String, timeframe: Timeframe? = nil) throws(DataError) -> BarStoreEntry {
        try importCSV(from: csvPath, symbol: symbol, timeframe: timeframe, clippingPrices: false).entry
    }

    /// `importCSV`, clipping open and close into [low, high] when asked (see
    /// `CSVBarReader.read(path:symbol:clippingPrices:)`); returns what was clipped too.
    public func importCSV(
        from csvPath: String, symbol: String, timeframe: Timeframe?, clippingPrices: Bool
    ) throws(DataError) -> (entry: BarStoreEntry, clipping: PriceClipping) {
        let name = BarStore.normalize(symbol)
        try BarStoreStreamWriter.validate(symbol: name)
        let (series, clipping) = try CSVBarReader.read(path: csvPath, symbol: name, clippingPrices: clippingPrices)
        return (try write(series, timeframe: timeframe), clipping)
    }

    /// Stores `series` under its (uppercased) symbol at `timeframe` (default: the series').
    @discardableResult
    public func write(_ series: BarSeries, timeframe: Timeframe? = nil) throws(DataError) -> BarStoreEntry {
        let name = BarStore.normalize(series.symbol)
        let timeframe = timeframe ?? series.timeframe
        try BarStoreStreamWriter.validate(symbol: name)
        try createDirectory()
        let path = path(symbol: name, timeframe: timeframe)
        let header = try BarStoreWriter.write(series, to: path, symbol: name, timeframe: timeframe)
        return BarStoreEntry(header: header, path: path)
    }

    /// A streaming writer for `count` bars of `symbol` at `timeframe` (see `BarStoreStreamWriter`).
    public func streamWriter(symbol: String, timeframe: Timeframe, count: Int) throws(DataError) -> BarStoreStreamWriter {
        let name = BarStore.normalize(symbol)
        try BarStoreStreamWriter.validate(symbol: name)
        try createDirectory()
        return try BarStoreStreamWriter(path: path(symbol: name, timeframe: timeframe), symbol: name, timeframe: timeframe, count: count)
    }

    /// Deletes the temporary files in the store that no running writer holds (left by a process
    /// killed while writing: SIGKILL cannot be caught) and returns them (`TemporaryFiles`).
    @discardableResult
    public func removeStaleTemporaries() -> [TemporaryFiles.Stale] {
        TemporaryFiles.removeStale(in: directory)
    }

    /// Every stored file, by symbol then timeframe, read from the headers. Throws
    /// `DataError.corrupt` for a file that fails validation; an absent directory is an empty store.
    public func list() throws(DataError) -> [BarStoreEntry] {
        var entries: [BarStoreEntry] = []
        for file in storedFiles() {
            entries.append(try BarStoreEntry(path: file.path))
        }
        return entries.sorted { ($0.symbol, $0.timeframe.seconds) < ($1.symbol, $1.timeframe.seconds) }
    }

    /// The stored files of `symbol` (every timeframe, finest first), validated.
    public func entries(symbol: String) throws(DataError) -> [BarStoreEntry] {
        var entries: [BarStoreEntry] = []
        for file in files(of: symbol) { entries.append(try BarStoreEntry(path: file.path)) }
        return entries
    }

    /// The symbols with stored files (from file names; nothing is opened).
    public func symbols() -> [String] {
        Array(Set(storedFiles().map(\.symbol))).sorted()
    }

    /// Opens the file of `symbol` at `timeframe`, or at its finest stored timeframe when
    /// `timeframe` is nil; nil when the symbol is not stored.
    public func open(symbol: String, timeframe: Timeframe? = nil) throws(DataError) -> BarStoreFile? {
        let candidates = files(of: symbol).filter { timeframe == nil || $0.timeframe == timeframe }
        guard let file = candidates.first else { return nil }
        return try BarStoreFile(path: file.path)
    }

    /// Deletes the files of `symbol` (one timeframe, or all); returns the paths removed.
    @discardableResult
    public func remove(symbol: String, timeframe: Timeframe? = nil) throws(DataError) -> [String] {
        var removed: [String] = []
        for file in files(of: symbol) where timeframe == nil || file.timeframe == timeframe {
            guard unlink(file.path) == 0 else { throw .unwritable(file.path, reason: POSIXFile.message(errno)) }
            removed.append(file.path)
        }
        return removed
    }

    /// A file found by name: `SYMBOL_TIMEFRAME.gtbars`.
    struct StoredFile {
        var symbol: String
        var timeframe: Timeframe
        var path: String
    }

    /// The files named for `symbol`, finest timeframe first.
    func files(of symbol: String) -> [StoredFile] {
        let name = BarStore.normalize(symbol)
        return storedFiles().filter { $0.symbol == name }.sorted { $0.timeframe.seconds < $1.timeframe.seconds }
    }

    /// Every file whose name parses as `SYMBOL_TIMEFRAME.gtbars` with the timeframe spelled the
    /// way this store writes it (temporary files and strays are skipped).
    func storedFiles() -> [StoredFile] {
        let suffix = "." + BarStoreFormat.fileExtension
        var result: [StoredFile] = []
        for name in BarStore.directoryEntries(directory) where name.hasSuffix(suffix) {
            let stem = name.dropLast(suffix.count)
            guard let underscore = stem.lastIndex(of: "_") else { continue }
            let symbol = String(stem[..<underscore]), spelled = String(stem[stem.index(after: underscore)...])
            guard !symbol.isEmpty, let timeframe = try? Timeframe(parsing: spelled), timeframe.description == spelled else { continue }
            result.append(StoredFile(symbol: symbol, timeframe: timeframe, path: "\(directory)/\(name)"))
        }
        return result
    }

    /// Names in `path` (none when it does not exist or cannot be read).
    static func directoryEntries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates the directory and its parents when missing.
    func createDirectory() throws(DataError) {
        var built = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            built += "/" + component
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                throw .unwritable(directory, reason: POSIXFile.message(errno))
            }
        }
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .unwritable(directory, reason: "not a directory")
        }
    }
}

/// One stored file as `list()` and `entries(symbol:)` report it.
public struct BarStoreEntry: Sendable, Equatable {
    public var symbol: String
    public var timeframe: Timeframe
    /// Number of bars.
    public var count: Int
    /// Time of the first bar.
    public var first: Timestamp
    /// Time of the last bar.
    public var last: Timestamp
    /// File size.
    public var byteCount: Int
    public var path: String
    /// Format version of the file.
    public var version: UInt32

    /// The entry for a file at `path` with `header`.
    public init(header: BarStoreHeader, path: String) {
        symbol = header.symbol
        timeframe = header.timeframe
        count = header.count
        first = Timestamp(nanos: header.firstTimestamp)
        last = Timestamp(nanos: header.lastTimestamp)
        byteCount = header.fileSize
        self.path = path
        version = header.version
    }

    /// Reads and validates the header of the file at `path` (and its first and last timestamps).
    public init(path: String) throws(DataError) {
        self.init(header: try BarStoreFile(path: path).header, path: path)
    }
}
