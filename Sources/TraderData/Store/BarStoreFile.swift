#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import TraderCore
import Synchronization

/// An open, memory-mapped `.gtbars` file: validated on open, verified before any bar leaves it,
/// then read in place.
///
/// Opening maps the whole file read-only (`FileMapping`) and checks the header
/// (`BarStoreHeader.decode`: magic, version, header checksum, sizes against the file length) and
/// that the first and last timestamps match the header. Nothing else is read: pages of a column
/// come in from the page cache only when a reader touches them, so opening a 5 GB file costs the
/// same as a 5 KB one, and reading headers (`data list`) stays cheap.
///
/// Damaged data never yields numbers: every way bars leave the file — `load`, `chunks` — first
/// makes sure the column checksums match the header (`verifyColumns()`), and a mismatch is a
/// `DataError.corrupt` naming the file and the column. A file is hashed once per version: the
/// good verdict is remembered by the file's identity (`BarStoreVerdicts`: in this process and in
/// `.gtbars-verified` beside the file), so later loads of an unchanged file cost nothing but the
/// open, and a file written since is verified again.
///
/// - `load(from:through:)` binary-searches the mapped timestamp column and returns a `BarSeries`
///   whose columns are the mapped pages themselves: nothing is copied, and a page is read from
///   the page cache only when the backtest (or whatever reads the series) reaches it. The bars
///   were validated when they were written and the checksums prove they are what was written,
///   so loading does not re-check them. The series keeps the mapping alive (it retains the
///   `FileMapping`), after this object and its descriptor are gone.
/// - `chunks(size:)` reads the file in fixed-size pieces with `pread` into reused buffers, for
///   files larger than memory; an unverified file is hashed as it streams and a mismatch is
///   thrown instead of the end of the stream (see `BarStoreChunks`).
/// - `verify()` always hashes (`gpt-trader data info`), with `pread` so resident memory stays
///   small.
///
/// Files are only ever replaced by rename (see `BarStoreWriter`), which leaves an existing
/// mapping, and every series loaded from it, intact: they keep the old file's data. Truncating a
/// mapped file in place is not supported (a read past the new end raises SIGBUS; see
/// `FileMapping`). Immutable after `init` but for the verified flag (atomic), so it is safe to
/// share between tasks.
public final class BarStoreFile: @unchecked Sendable {
    /// Where the file is.
    public let path: String
    /// Its validated header.
    public let header: BarStoreHeader
    /// Descriptor kept open for `chunks` (pread) so it reads the same file that was validated.
    let fd: Int32
    /// The whole file, mapped; shared with every series loaded from it.
    let mapping: FileMapping
    /// The file's identity and header checksum when it was opened: what a verdict is about.
    let verdictKey: BarStoreVerdicts.Key
    /// Set once the columns are known to match their checksums (`BarStoreFile+Verification`).
    let columnsVerified = Atomic<Bool>(false)

    /// Opens and validates the file at `path`. Throws `DataError.fileNotFound`, `.unreadable`
    /// or `.corrupt` (with the reason).
    public init(path: String) throws(DataError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)  // O_NONBLOCK: a FIFO must not block the open
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path) }
            throw .unreadable(path, reason: POSIXFile.message(code))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw .unreadable(path, reason: POSIXFile.message(code))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .notRegularFile(path, kind: POSIXFile.kind(of: info.st_mode))
        }
        let size = Int(info.st_size)
        guard size >= BarStoreFormat.headerSize else {
            // Too short to map usefully: read what is there so the header check names the problem.
            var prefix = [UInt8](repeating: 0, count: size)
            var failure: DataError?
            prefix.withUnsafeMutableBytes { buffer in
                do throws(DataError) { _ = try POSIXFile.readFully(fd, into: buffer, at: 0, path: path) } catch { failure = error }
            }
            close(fd)
            if let failure { throw failure }
            // `decode` always throws for a file shorter than the header.
            let outcome = prefix.withUnsafeBytes { bytes in
                Result { () throws(DataError) in try BarStoreHeader.decode(bytes, fileSize: size, path: path) }
            }
            _ = try outcome.get()
            throw .corrupt(path, reason: "truncated")
        }
        guard let mapping = FileMapping(fd: fd, size: size) else {
            let code = errno
            close(fd)
            throw .unreadable(path, reason: POSIXFile.message(code))
        }
        let mapped = mapping.base
        let header: BarStoreHeader
        do throws(DataError) {
            header = try BarStoreHeader.decode(UnsafeRawBufferPointer(start: mapped, count: BarStoreFormat.headerSize), fileSize: size, path: path)
            let timestamps = mapped + header.columnOffsets[BarStoreColumn.timestamp.rawValue]
            let first = timestamps.load(as: Int64.self)
            let last = timestamps.load(fromByteOffset: (header.count - 1) * 8, as: Int64.self)
            guard first == header.firstTimestamp, last == header.lastTimestamp else {
                throw .corrupt(path, reason: "the timestamp column runs \(first) ... \(last), the header says \(header.firstTimestamp) ... \(header.lastTimestamp)")
            }
        } catch {
            close(fd)
            throw error
        }
        self.path = path
        self.header = header
        self.fd = fd
        self.mapping = mapping
        verdictKey = BarStoreVerdicts.Key(
            identity: FileIdentity(info),
            headerChecksum: UInt64(littleEndian: mapped.loadUnaligned(fromByteOffset: BarStoreFormat.headerChecksumOffset, as: UInt64.self)))
    }

    deinit {
        close(fd)   // the mapping goes with the last series that uses it
    }

    /// The instrument's symbol.
    public var symbol: String { header.symbol }
    /// The bar spacing.
    public var timeframe: Timeframe { header.timeframe }
    /// Number of bars in the file.
    public var count: Int { header.count }
    /// Time of the first bar.
    public var first: Timestamp { Timestamp(nanos: header.firstTimestamp) }
    /// Time of the last bar.
    public var last: Timestamp { Timestamp(nanos: header.lastTimestamp) }
    /// Size of the file in bytes.
    public var byteCount: Int { mapping.size }

    /// The positions of the bars with `start <= timestamp <= end` (either bound optional), found
    /// by binary search on the mapped timestamp column (touching about log2(count) pages).
    public func indices(from start: Timestamp? = nil, through end: Timestamp? = nil) -> Range<Int> {
        let timestamps = self.timestamps
        let lo = start.map { bound in Self.partition(timestamps) { $0 < bound.nanos } } ?? 0
        let hi = end.map { bound in Self.partition(timestamps) { $0 <= bound.nanos } } ?? timestamps.count
        return lo..<max(lo, hi)
    }

    /// The bars with `start <= timestamp <= end` (either bound optional), in place: the series'
    /// columns are the mapped file's pages (no copy). Equal to `load().slice(from: start,
    /// through: end)`. Throws `.corrupt` naming the column when the file fails `verifyColumns()`.
    public func load(from start: Timestamp? = nil, through end: Timestamp? = nil) throws(DataError) -> BarSeries {
        try load(indices(from: start, through: end))
    }

    /// The bars at positions `range` (clamped to the file), in place, after `verifyColumns()`.
    /// Throws `.corrupt` when the file was truncated or written in place since it was opened: its
    /// mapped pages would no longer be the verified bytes (or not be there at all: SIGBUS).
    public func load(_ range: Range<Int>) throws(DataError) -> BarSeries {
        guard FileIdentity(fd: fd) == verdictKey.identity else {
            throw .corrupt(path, reason: "the file changed since it was opened (written in place?); open it again")
        }
        try verifyColumns()
        let range = range.clamped(to: 0..<count)
        func column<T: BitwiseCopyable & Sendable>(_ c: BarStoreColumn, _: T.Type) -> BarColumn<T> {
            mapping.column(at: header.columnOffsets[c.rawValue] + range.lowerBound * 8, count: range.count)
        }
        return BarSeries(unchecked: header.symbol, timeframe: header.timeframe, columns: column(.timestamp, Int64.self),
                         open: column(.open, Double.self), high: column(.high, Double.self), low: column(.low, Double.self),
                         close: column(.close, Double.self), volume: column(.volume, Double.self))
    }

    /// The mapped timestamp column (for the binary search of `indices`).
    private var timestamps: UnsafeBufferPointer<Int64> {
        UnsafeBufferPointer(start: (mapping.base + header.columnOffsets[BarStoreColumn.timestamp.rawValue]).assumingMemoryBound(to: Int64.self),
                            count: header.count)
    }

    /// First index whose element fails `isBelow` (elements are sorted so that `isBelow` holds
    /// for a prefix).
    private static func partition(_ values: UnsafeBufferPointer<Int64>, _ isBelow: (Int64) -> Bool) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if isBelow(values[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
