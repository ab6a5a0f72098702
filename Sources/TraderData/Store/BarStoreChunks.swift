#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import TraderCore

/// Reads a bar store file front to back in chunks of at most `size` bars, with resident memory
/// fixed at six `size`-element buffers however large the file (64K bars: 3 MB).
///
/// Why `pread` and not the mapping: pages of a mapping count as the process's resident memory
/// until they are unmapped, while `pread` copies from the page cache into buffers this reader
/// owns and reuses. Each chunk's `BarSeries` shares those buffers; when the caller has let go of
/// the previous chunk by the time it asks for the next (as in a `for` loop), the buffers are
/// overwritten in place and nothing is allocated. A caller that keeps chunks still gets correct
/// data: the buffers are then copied on write.
///
/// ```swift
/// let chunks = file.chunks(size: 65_536)
/// for chunk in chunks { run(chunk) }
/// try chunks.throwIfFailed()   // a read error or checksum mismatch ends the loop early
/// ```
///
/// Use `nextChunk()` directly to get errors where they happen.
///
/// Checksums, so that a damaged file never completes a stream: on a file already verified
/// (`BarStoreFile.isVerified`) nothing is hashed. Reading a whole unverified file, the columns
/// are hashed as they stream by, at no extra pass, and a mismatch is thrown where the end of the
/// stream would have been: a consumer that treats the end as "done" (the streaming backtest
/// prints its report only then) never finishes on damaged bars. A good result is remembered
/// like `verify()`'s. Reading part of an unverified file, the file is verified before the first
/// chunk, since the checksums cover whole columns. With `verifying: true` the columns are always
/// hashed as they stream (`data info`-style checks).
public final class BarStoreChunks: Sequence, IteratorProtocol {
    /// Chunk size used when none is given: 64K bars (3 MB of buffers).
    public static let defaultSize = 1 << 16

    /// The file being read.
    public let file: BarStoreFile
    /// The bars this reader delivers.
    public let range: Range<Int>
    /// Largest chunk, in bars.
    public let size: Int
    /// Position of the next bar to read.
    public private(set) var position: Int
    /// The error that ended iteration early, if any (see `throwIfFailed`).
    public private(set) var failure: DataError?

    private var timestamps: [Int64] = []
    private var open: [Double] = [], high: [Double] = [], low: [Double] = [], close: [Double] = [], volume: [Double] = []
    private var hashes: [XXHash64]?
    /// The file must be verified before the first chunk.
    private var verifyFirst: Bool
    /// `FileIdentity.clock()` when this reader was made (before any byte was read).
    private let started = FileIdentity.clock()

    init(file: BarStoreFile, range: Range<Int>, size: Int, verifying: Bool) {
        precondition(size > 0, "chunk size must be positive")
        self.file = file
        self.range = range
        self.size = size
        self.position = range.lowerBound
        let known = file.isVerified, whole = range == 0..<file.count
        let hashing = verifying || (whole && !known)
        self.hashes = hashing ? Array(repeating: XXHash64(), count: BarStoreFormat.columnCount) : nil
        self.verifyFirst = !hashing && !known && !range.isEmpty
        #if os(Linux)
        _ = posix_fadvise(file.fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
    }

    /// The next chunk, nil after the last; throws `DataError.unreadable` on a read error and
    /// `.corrupt` when the file changed under the reader or a checksum differs (see above:
    /// before the first chunk, or instead of the end).
    public func nextChunk() throws(DataError) -> BarSeries? {
        if let failure { throw failure }
        if verifyFirst {
            // With pread (`verify()`), not through the mapping: a stream keeps its memory bound.
            do throws(DataError) { if !file.isVerified { try file.verify() } } catch {
                failure = error
                throw error
            }
            verifyFirst = false
        }
        guard position < range.upperBound else {
            try checkHashes()
            return nil
        }
        let n = Swift.min(size, range.upperBound - position)
        do throws(DataError) {
            try read(.timestamp, into: &timestamps, count: n)
            try read(.open, into: &open, count: n)
            try read(.high, into: &high, count: n)
            try read(.low, into: &low, count: n)
            try read(.close, into: &close, count: n)
            try read(.volume, into: &volume, count: n)
        } catch {
            failure = error
            throw error
        }
        position += n
        return BarSeries(unchecked: file.symbol, timeframe: file.timeframe, timestamps: timestamps,
                         open: open, high: high, low: low, close: close, volume: volume)
    }

    /// `nextChunk()` for `for` loops: an error ends the iteration and is kept in `failure`.
    public func next() -> BarSeries? {
        do { return try nextChunk() } catch { return nil }
    }

    /// Throws the error that ended iteration early; call it after a `for` loop.
    public func throwIfFailed() throws(DataError) {
        if let failure { throw failure }
    }

    /// Fills `buffer` with `count` values of `column` starting at `position`, reusing its storage.
    private func read<T: BitwiseCopyable>(_ column: BarStoreColumn, into buffer: inout [T], count: Int) throws(DataError) {
        if buffer.count > count {
            buffer.removeLast(buffer.count - count)
        } else if buffer.count < count {
            buffer = [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        }
        let offset = file.header.columnOffsets[column.rawValue] + position * 8
        let (fd, path) = (file.fd, file.path)
        var result: Result<Int, DataError> = .success(0)
        buffer.withUnsafeMutableBytes { bytes in
            do throws(DataError) { result = .success(try POSIXFile.readFully(fd, into: bytes, at: offset, path: path)) } catch { result = .failure(error) }
        }
        let got = try result.get()
        guard got == count * 8 else {
            throw .corrupt(path, reason: "the file ended while reading the \(column) column at bar \(position) (was it truncated after opening?)")
        }
        if hashes != nil {
            buffer.withUnsafeBytes { hashes![column.rawValue].update($0) }
        }
    }

    /// After the last chunk: compares the streamed hashes with the header (hashing readers),
    /// and remembers a good verdict.
    private func checkHashes() throws(DataError) {
        guard let hashes else { return }
        self.hashes = nil
        for column in BarStoreColumn.allCases {
            let computed = hashes[column.rawValue].digest(), stored = file.header.columnChecksums[column.rawValue]
            if computed != stored {
                let error = DataError.corrupt(file.path, reason: "\(column) column checksum mismatch (stored \(BarStoreHeader.hex(stored)), computed \(BarStoreHeader.hex(computed)))")
                failure = error
                throw error
            }
        }
        file.recordVerified(readFrom: started)
    }
}

extension BarStoreFile {
    /// Reads the bars with `start <= timestamp <= end` (either bound optional) in chunks of at
    /// most `size` bars; resident memory stays at six `size`-element buffers. An unverified file
    /// is verified on the way (see `BarStoreChunks`).
    public func chunks(size: Int = BarStoreChunks.defaultSize, from start: Timestamp? = nil, through end: Timestamp? = nil) -> BarStoreChunks {
        BarStoreChunks(file: self, range: indices(from: start, through: end), size: size, verifying: false)
    }

    /// Reads every bar in chunks of at most `size` bars; with `verifying`, the column checksums
    /// are checked as the file streams by even when a verdict is remembered, and a mismatch is
    /// thrown instead of the end of the stream.
    public func chunks(size: Int = BarStoreChunks.defaultSize, verifying: Bool) -> BarStoreChunks {
        BarStoreChunks(file: self, range: 0..<count, size: size, verifying: verifying)
    }
}
