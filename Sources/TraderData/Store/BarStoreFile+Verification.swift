#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Checking the column checksums before bars leave a file, once per version of the file (see
/// `BarStoreFile` and `BarStoreVerdicts`).
extension BarStoreFile {
    /// Whether the columns are known to match their checksums: checked by this object, or a
    /// remembered verdict on this version of the file (`BarStoreVerdicts`).
    public var isVerified: Bool {
        if columnsVerified.load(ordering: .acquiring) { return true }
        guard BarStoreVerdicts.isVerified(verdictKey, name: name, directory: directory) else { return false }
        columnsVerified.store(true, ordering: .releasing)
        return true
    }

    /// Makes sure the columns match the header's checksums before any bar is used: returns at
    /// once when that is known (`isVerified`), else hashes every column through the mapping, the
    /// six in parallel (faster than `pread`, which copies), and lets the pages go again as each
    /// column is done: the checksums cover whole columns, but a loaded range may need a sliver
    /// of them, and a series only brings in the pages it reads. Throws `DataError.corrupt`
    /// naming the first column that differs.
    public func verifyColumns() throws(DataError) {
        if isVerified { return }
        // A file changed since it was opened (truncated, say) is read with pread, which reports
        // a short file as an error where the mapping would fault.
        try hashColumns(throughMapping: FileIdentity(fd: fd) == verdictKey.identity)
    }

    /// Hashes every column and compares with the header's checksums, whatever is remembered;
    /// throws `DataError.corrupt` naming the first column that differs, and remembers a good
    /// verdict. Reads the whole file with `pread`, the six columns in parallel, each into a
    /// reused 1 MiB buffer rather than through the mapping, so verifying a 5 GB file (`data
    /// info`, a stream) does not make 5 GB of it resident in this process.
    public func verify() throws(DataError) {
        try hashColumns(throughMapping: false)
    }

    /// Hashes the six columns in parallel, through the mapping or with `pread`, compares them
    /// with the header and records a good verdict.
    private func hashColumns(throughMapping: Bool) throws(DataError) {
        let started = FileIdentity.clock()
        let columns = BarStoreColumn.allCases
        let outcomes = Mutex<[Result<UInt64, DataError>?]>(Array(repeating: nil, count: columns.count))
        DispatchQueue.concurrentPerform(iterations: columns.count) { k in
            let outcome = Result { () throws(DataError) -> UInt64 in
                if throughMapping {
                    let start = header.columnOffsets[columns[k].rawValue], length = header.count * 8
                    let hash = XXHash64.hash(UnsafeRawBufferPointer(start: mapping.base + start, count: length))
                    mapping.dropResidentPages(offset: start, count: length)
                    return hash
                }
                return try hash(columns[k], blockSize: 1 << 20)
            }
            outcomes.withLock { $0[k] = outcome }
        }
        let results = outcomes.withLock { $0 }
        for column in columns {
            let computed = try results[column.rawValue]!.get(), stored = header.columnChecksums[column.rawValue]
            guard computed == stored else {
                throw .corrupt(path, reason: "\(column) column checksum mismatch (stored \(BarStoreHeader.hex(stored)), computed \(BarStoreHeader.hex(computed)))")
            }
        }
        recordVerified(readFrom: started)
    }

    /// Notes that the columns matched, reading from `started` (`FileIdentity.clock()` before the
    /// first byte was read): this object trusts them from now on, and the verdict is remembered
    /// for later opens when the file had settled and did not change while it was read.
    func recordVerified(readFrom started: Int64) {
        columnsVerified.store(true, ordering: .releasing)
        guard verdictKey.identity.isSettled(checkedFrom: started), FileIdentity(fd: fd) == verdictKey.identity else { return }
        BarStoreVerdicts.record(verdictKey, name: name, directory: directory)
    }

    /// XXH64 of `column`, read with `pread` in blocks of `blockSize` bytes.
    private func hash(_ column: BarStoreColumn, blockSize: Int) throws(DataError) -> UInt64 {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 64)
        defer { buffer.deallocate() }
        var hash = XXHash64()
        let start = header.columnOffsets[column.rawValue], end = start + header.count * 8
        var offset = start
        while offset < end {
            let block = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Swift.min(blockSize, end - offset)])
            guard try POSIXFile.readFully(fd, into: block, at: offset, path: path) == block.count else {
                throw .corrupt(path, reason: "the file ended while reading the \(column) column (was it truncated after opening?)")
            }
            hash.update(UnsafeRawBufferPointer(block))
            offset += block.count
        }
        return hash.digest()
    }

    /// The directory holding the file and its name there (where its verdict is kept).
    private var directory: String { POSIXFile.split(path).directory }
    private var name: String { POSIXFile.split(path).name }
}
