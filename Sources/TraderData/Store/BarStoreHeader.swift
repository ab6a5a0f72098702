public import TraderCore

/// The fixed 256-byte header of a `.gtbars` file (layout in `BarStoreFormat`): what the file
/// holds and where each column lies, with checksums.
///
/// `decode` is the single gate every file passes before any column is touched: it turns each way
/// a file can be wrong (not a store file, a newer version, a flipped bit in the header, a
/// truncated or padded file, overlapping columns) into one `DataError.corrupt` naming the file
/// and the problem, so the reader can then trust offsets and counts without further checks.
public struct BarStoreHeader: Sendable, Equatable {
    /// Format version of the file.
    public var version: UInt32
    /// The instrument's symbol.
    public var symbol: String
    /// The bar spacing.
    public var timeframe: Timeframe
    /// Number of bars.
    public var count: Int
    /// Timestamp of the first bar (nanoseconds).
    public var firstTimestamp: Int64
    /// Timestamp of the last bar (nanoseconds).
    public var lastTimestamp: Int64
    /// Byte offset of each column (`BarStoreColumn` order).
    public var columnOffsets: [Int]
    /// XXH64 of each column's bytes (`BarStoreColumn` order).
    public var columnChecksums: [UInt64]

    /// Size of the file this header describes: the end of its last column.
    public var fileSize: Int {
        (columnOffsets.max() ?? BarStoreFormat.headerSize) + count * 8
    }

    /// The 256 header bytes, with the header checksum filled in.
    public func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: BarStoreFormat.headerSize)
        bytes.withUnsafeMutableBytes { raw in
            for (i, byte) in BarStoreFormat.magic.enumerated() { raw[i] = byte }
            raw.storeBytes(of: version.littleEndian, toByteOffset: BarStoreFormat.versionOffset, as: UInt32.self)
            raw.storeBytes(of: UInt32(BarStoreFormat.headerSize).littleEndian, toByteOffset: BarStoreFormat.headerSizeOffset, as: UInt32.self)
            raw.storeBytes(of: UInt64(count).littleEndian, toByteOffset: BarStoreFormat.countOffset, as: UInt64.self)
            raw.storeBytes(of: timeframe.seconds.littleEndian, toByteOffset: BarStoreFormat.timeframeOffset, as: Int64.self)
            raw.storeBytes(of: firstTimestamp.littleEndian, toByteOffset: BarStoreFormat.firstOffset, as: Int64.self)
            raw.storeBytes(of: lastTimestamp.littleEndian, toByteOffset: BarStoreFormat.lastOffset, as: Int64.self)
            for k in 0..<BarStoreFormat.columnCount {
                raw.storeBytes(of: UInt64(columnOffsets[k]).littleEndian, toByteOffset: BarStoreFormat.columnOffsetsOffset + 8 * k, as: UInt64.self)
                raw.storeBytes(of: columnChecksums[k].littleEndian, toByteOffset: BarStoreFormat.checksumsOffset + 8 * k, as: UInt64.self)
            }
            let name = Array(symbol.utf8)
            raw.storeBytes(of: UInt32(name.count).littleEndian, toByteOffset: BarStoreFormat.symbolLengthOffset, as: UInt32.self)
            for (i, byte) in name.enumerated() { raw[BarStoreFormat.symbolOffset + i] = byte }
            let checksum = XXHash64.hash(UnsafeRawBufferPointer(rebasing: raw[0..<BarStoreFormat.headerChecksumOffset]))
            raw.storeBytes(of: checksum.littleEndian, toByteOffset: BarStoreFormat.headerChecksumOffset, as: UInt64.self)
        }
        return bytes
    }

    /// Reads and validates the header at the start of `bytes`, the first bytes of a file of
    /// `fileSize` bytes at `path` (`bytes` may be shorter than the header when the file is).
    public static func decode(_ bytes: UnsafeRawBufferPointer, fileSize: Int, path: String) throws(DataError) -> BarStoreHeader {
        func corrupt(_ reason: String) -> DataError { .corrupt(path, reason: reason) }
        let magic = BarStoreFormat.magic
        guard bytes.count >= magic.count, zip(bytes.prefix(magic.count), magic).allSatisfy({ $0 == $1 }) else {
            throw corrupt(fileSize == 0 ? "the file is empty" : "not a bar store file (bad magic bytes)")
        }
        guard bytes.count >= BarStoreFormat.headerSize, fileSize >= BarStoreFormat.headerSize else {
            throw corrupt("truncated: \(fileSize) bytes, shorter than the \(BarStoreFormat.headerSize)-byte header")
        }
        func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        func i64(_ offset: Int) -> Int64 { Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)) }

        let version = u32(BarStoreFormat.versionOffset)
        guard version == BarStoreFormat.version else {
            throw corrupt("format version \(version) is not supported (this build reads version \(BarStoreFormat.version))")
        }
        let headerSize = u32(BarStoreFormat.headerSizeOffset)
        guard headerSize == BarStoreFormat.headerSize else {
            throw corrupt("header size \(headerSize), expected \(BarStoreFormat.headerSize)")
        }
        let stored = u64(BarStoreFormat.headerChecksumOffset)
        let computed = XXHash64.hash(UnsafeRawBufferPointer(rebasing: bytes[0..<BarStoreFormat.headerChecksumOffset]))
        guard stored == computed else {
            throw corrupt("header checksum mismatch (stored \(hex(stored)), computed \(hex(computed)))")
        }

        let rawCount = u64(BarStoreFormat.countOffset)
        guard rawCount >= 1, rawCount <= UInt64(BarStoreFormat.maxBarCount) else {
            throw corrupt("bar count \(rawCount) is out of range")
        }
        let count = Int(rawCount)
        let timeframe: Timeframe
        do { timeframe = try Timeframe(seconds: i64(BarStoreFormat.timeframeOffset)) } catch {
            throw corrupt("timeframe of \(i64(BarStoreFormat.timeframeOffset)) seconds is not positive")
        }
        let first = i64(BarStoreFormat.firstOffset), last = i64(BarStoreFormat.lastOffset)
        guard first <= last, count > 1 || first == last, count == 1 || first < last else {
            throw corrupt("first timestamp \(first) and last timestamp \(last) do not fit \(count) bars")
        }
        // Every difference of two times is an Int64 of nanoseconds (as the CSV reader demands):
        // a series spanning 292 years or more would trap the statistics that subtract them.
        guard !last.subtractingReportingOverflow(first).overflow else {
            throw corrupt("first timestamp \(first) and last timestamp \(last) are 292 years or more apart")
        }
        let symbolLength = Int(u32(BarStoreFormat.symbolLengthOffset))
        guard (1...BarStoreFormat.maxSymbolBytes).contains(symbolLength),
              let symbol = String(validating: bytes[BarStoreFormat.symbolOffset..<(BarStoreFormat.symbolOffset + symbolLength)], as: UTF8.self)
        else { throw corrupt("the symbol field is not 1 to \(BarStoreFormat.maxSymbolBytes) bytes of UTF-8") }

        let columnBytes = count * 8
        var offsets: [Int] = [], checksums: [UInt64] = []
        for column in BarStoreColumn.allCases {
            let raw = u64(BarStoreFormat.columnOffsetsOffset + 8 * column.rawValue)
            guard raw >= UInt64(BarStoreFormat.headerSize), raw % 8 == 0, raw <= UInt64(Int.max - columnBytes) else {
                throw corrupt("\(column) column offset \(raw) is not an 8-byte aligned position after the header")
            }
            offsets.append(Int(raw))
            checksums.append(u64(BarStoreFormat.checksumsOffset + 8 * column.rawValue))
        }
        let sorted = offsets.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) where a + columnBytes > b {
            throw corrupt("columns overlap (offsets \(a) and \(b) are closer than \(count) bars)")
        }
        let expected = sorted.last! + columnBytes
        if fileSize < expected {
            throw corrupt("truncated: the header says \(count) bars (\(expected) bytes), the file has \(fileSize) bytes")
        }
        if fileSize > expected {
            throw corrupt("the file has \(fileSize) bytes, \(fileSize - expected) more than its \(count) bars need (\(expected))")
        }
        return BarStoreHeader(version: version, symbol: symbol, timeframe: timeframe, count: count,
                              firstTimestamp: first, lastTimestamp: last, columnOffsets: offsets, columnChecksums: checksums)
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
