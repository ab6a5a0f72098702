#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import TraderCore

/// Writes a bar store file chunk by chunk, so a file of any size (100 million bars is 4.8 GB) is
/// written with memory for one chunk.
///
/// The bar count is declared up front: it fixes where each column starts, so every appended chunk
/// goes straight to its place in each column (`pwrite`) and no second pass or scratch file is
/// needed. Each column is hashed as it streams by; `finish()` checks that exactly `count` bars
/// came, writes the header last, flushes and renames the temporary file over `path`
/// (`AtomicFile`). Any failure, or dropping the writer without `finish()`, deletes the temporary
/// file: a reader sees the old file or the complete new one, never a partial one.
///
/// Chunks must continue the series: each chunk's first timestamp must come after the previous
/// chunk's last. Within a chunk, `BarSeries` already guarantees valid bars. The chunks' symbol
/// and timeframe are not used; the writer's are stored.
public final class BarStoreStreamWriter {
    /// Where the file ends up.
    public let path: String
    /// The symbol stored in the header.
    public let symbol: String
    /// The timeframe stored in the header.
    public let timeframe: Timeframe
    /// The number of bars the file will hold.
    public let count: Int
    /// Bars appended so far.
    public private(set) var written = 0

    private let file: AtomicFile
    private let offsets: [Int]
    private var hashes = Array(repeating: XXHash64(), count: BarStoreFormat.columnCount)
    private var firstTimestamp: Int64 = 0
    private var lastTimestamp: Int64 = .min
    private var failed = false

    /// Starts a file of exactly `count` bars of `symbol` at `timeframe`, to be renamed to `path`
    /// by `finish()`. Throws `.invalidSymbol` for a symbol the header cannot hold and
    /// `.unwritable` when the temporary file cannot be created.
    public init(path: String, symbol: String, timeframe: Timeframe, count: Int) throws(DataError) {
        try BarStoreStreamWriter.validate(symbol: symbol)
        guard count >= 1 else { throw .unwritable(path, reason: "a bar store file needs at least one bar") }
        guard count <= BarStoreFormat.maxBarCount else { throw .unwritable(path, reason: "\(count) bars is more than a file can hold") }
        self.path = path
        self.symbol = symbol
        self.timeframe = timeframe
        self.count = count
        self.offsets = BarStoreFormat.columnOffsets(count: count)
        file = try AtomicFile(replacing: path)
        // Size the file now (sparse): chunks are written at their final offsets.
        if ftruncate(file.fd, off_t(BarStoreFormat.fileSize(count: count))) != 0 {
            let reason = POSIXFile.message(errno)
            file.abandon()
            throw .unwritable(path, reason: reason)
        }
    }

    /// Appends the bars of `chunk` after those written so far.
    public func append(_ chunk: BarSeries) throws(DataError) {
        guard !failed else { throw .unwritable(path, reason: "an earlier write failed") }
        guard !chunk.isEmpty else { return }
        do throws(DataError) {
            guard written + chunk.count <= count else {
                throw .unwritable(path, reason: "\(written + chunk.count) bars appended, more than the \(count) declared")
            }
            guard chunk.timestamps[0] > lastTimestamp else {
                throw .unwritable(path, reason: "chunk starting at \(Timestamp(nanos: chunk.timestamps[0])) does not follow the previous bar at \(Timestamp(nanos: lastTimestamp))")
            }
            try write(chunk.timestamps, .timestamp)
            try write(chunk.open, .open)
            try write(chunk.high, .high)
            try write(chunk.low, .low)
            try write(chunk.close, .close)
            try write(chunk.volume, .volume)
        } catch {
            fail()
            throw error
        }
        if written == 0 { firstTimestamp = chunk.timestamps[0] }
        lastTimestamp = chunk.timestamps[chunk.count - 1]
        written += chunk.count
    }

    /// Writes the header and moves the complete file to `path`. Throws (and leaves nothing
    /// behind) when fewer bars than declared were appended or the disk refuses.
    @discardableResult
    public func finish() throws(DataError) -> BarStoreHeader {
        guard !failed else { throw .unwritable(path, reason: "an earlier write failed") }
        let header = BarStoreHeader(
            version: BarStoreFormat.version, symbol: symbol, timeframe: timeframe, count: count,
            firstTimestamp: firstTimestamp, lastTimestamp: lastTimestamp, columnOffsets: offsets,
            columnChecksums: hashes.map { $0.digest() })
        do throws(DataError) {
            guard written == count else {
                throw .unwritable(path, reason: "only \(written) of the \(count) declared bars were appended")
            }
            let outcome = header.encoded().withUnsafeBytes { bytes in
                Result { () throws(DataError) in try file.write(bytes, at: 0) }
            }
            try outcome.get()
            try file.commit()
        } catch {
            fail()
            throw error
        }
        failed = true  // finished: no more appends
        return header
    }

    /// Gives up: deletes the temporary file. Also what happens when the writer is dropped
    /// unfinished.
    public func cancel() { fail() }

    deinit { file.abandon() }

    private func fail() {
        failed = true
        file.abandon()
    }

    private func write<T>(_ values: BarColumn<T>, _ column: BarStoreColumn) throws(DataError) {
        let offset = offsets[column.rawValue] + written * 8
        var failure: DataError?
        values.withUnsafeBytes { bytes in
            hashes[column.rawValue].update(bytes)
            do throws(DataError) { try file.write(bytes, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Throws unless `symbol` is 1 to 64 UTF-8 bytes without control characters or `/`.
    static func validate(symbol: String) throws(DataError) {
        let bytes = symbol.utf8.count
        guard bytes >= 1 else { throw .invalidSymbol(symbol, reason: "is empty") }
        guard bytes <= BarStoreFormat.maxSymbolBytes else {
            throw .invalidSymbol(symbol, reason: "is \(bytes) bytes long; at most \(BarStoreFormat.maxSymbolBytes) fit")
        }
        if symbol.unicodeScalars.contains(where: { $0 == "/" || $0.properties.generalCategory == .control || $0 == " " }) {
            throw .invalidSymbol(symbol, reason: "contains '/', a space or a control character")
        }
        if symbol == "." || symbol == ".." { throw .invalidSymbol(symbol, reason: "is not a file name") }
    }
}
