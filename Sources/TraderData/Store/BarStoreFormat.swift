/// The `.gtbars` file format, version 1: one symbol at one timeframe, stored as columns that can
/// be memory-mapped and used in place.
///
/// ```
/// offset  size  field (all integers little-endian)
///      0     8  magic: 89 47 54 42 41 52 53 0A ("\x89GTBARS\n"; the high byte and the newline
///               catch text-mode transfers, like PNG's signature)
///      8     4  format version (UInt32) = 1
///     12     4  header size in bytes (UInt32) = 256
///     16     8  bar count (UInt64), at least 1
///     24     8  timeframe in seconds (Int64), positive
///     32     8  first timestamp (Int64 nanoseconds since 1970-01-01 UTC)
///     40     8  last timestamp
///     48    48  column offsets from the start of the file (6 × UInt64): timestamp, open, high,
///               low, close, volume
///     96    48  column checksums (6 × UInt64): XXH64, seed 0, of each column's bytes
///    144     4  symbol length in bytes (UInt32), 1 ... 64
///    148    12  reserved, zero
///    160    64  symbol, UTF-8, zero-padded
///    224    24  reserved, zero
///    248     8  header checksum (UInt64): XXH64 of bytes 0 ..< 248
///    256        columns: `count` Int64 timestamps, then `count` Doubles (IEEE 754 binary64) for
///               each of open, high, low, close, volume; each column starts on a 64-byte boundary
///               (zero padding between), and the file ends where the last column ends.
/// ```
///
/// Why this shape: columns are what the backtester reads (`BarSeries` is columnar), so a range
/// of bars is six `memcpy`s; 64-byte alignment makes every column cache-line and SIMD aligned in a
/// page-aligned mapping; the header checksum is checked on every open (it is 248 bytes), the
/// column checksums before the first bar of a file version is used (`BarStoreFile.verifyColumns`),
/// with the verdict remembered (`BarStoreVerdicts`), because hashing every column on every load
/// would cost more than the load itself.
public enum BarStoreFormat {
    /// The first eight bytes of every file.
    public static let magic: [UInt8] = [0x89, 0x47, 0x54, 0x42, 0x41, 0x52, 0x53, 0x0A]
    /// The version this code writes and reads.
    public static let version: UInt32 = 1
    /// Bytes before the first column.
    public static let headerSize = 256
    /// Every column starts at a multiple of this.
    public static let columnAlignment = 64
    /// Longest symbol, in UTF-8 bytes.
    public static let maxSymbolBytes = 64
    /// File name extension of store files.
    public static let fileExtension = "gtbars"
    /// Number of columns.
    public static let columnCount = 6
    /// Largest bar count whose layout fits in an `Int` of file offsets.
    public static let maxBarCount = (Int.max - headerSize) / (8 * columnCount) - columnAlignment

    // Field offsets in the header.
    static let versionOffset = 8
    static let headerSizeOffset = 12
    static let countOffset = 16
    static let timeframeOffset = 24
    static let firstOffset = 32
    static let lastOffset = 40
    static let columnOffsetsOffset = 48
    static let checksumsOffset = 96
    static let symbolLengthOffset = 144
    static let symbolOffset = 160
    static let headerChecksumOffset = 248

    /// Where each column starts in a file of `count` bars written by this version.
    public static func columnOffsets(count: Int) -> [Int] {
        var offsets: [Int] = []
        offsets.reserveCapacity(columnCount)
        var position = headerSize
        for _ in 0..<columnCount {
            offsets.append(position)
            position = alignUp(position + count * 8)
        }
        return offsets
    }

    /// The size of a file of `count` bars written by this version.
    public static func fileSize(count: Int) -> Int {
        columnOffsets(count: count)[columnCount - 1] + count * 8
    }

    static func alignUp(_ n: Int) -> Int {
        (n + columnAlignment - 1) / columnAlignment * columnAlignment
    }
}

/// The columns of a bar store file, in file order.
public enum BarStoreColumn: Int, CaseIterable, Sendable, CustomStringConvertible {
    case timestamp, open, high, low, close, volume

    public var description: String {
        switch self {
        case .timestamp: "timestamp"
        case .open: "open"
        case .high: "high"
        case .low: "low"
        case .close: "close"
        case .volume: "volume"
        }
    }
}

#if !_endian(little)
#error("The bar store maps little-endian columns directly; big-endian hosts need byte swapping")
#endif
