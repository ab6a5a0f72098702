/// Little-endian binary writing for cache values: integers, doubles (bit patterns, so NaN and
/// −0 survive), length-prefixed strings and whole columns copied at memory speed.
///
/// Columns are written as the machine lays them out; every platform this runs on (x86-64,
/// arm64) is little-endian, and the frame's checksum would reject bytes from any other.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    public mutating func write(_ value: Double) { write(value.bitPattern) }

    public mutating func write(_ value: Bool) { write(UInt8(value ? 1 : 0)) }

    public mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(UInt32(utf8.count))
        bytes += utf8
    }

    /// A count, then the elements' bytes (copied in bulk from a contiguous collection: an
    /// array, a bar column).
    public mutating func write<C: Collection>(column: C) where C.Element: BitwiseCopyable {
        write(UInt64(column.count))
        let copied: Void? = column.withContiguousStorageIfAvailable { bytes += UnsafeRawBufferPointer($0) }
        if copied == nil { for value in column { withUnsafeBytes(of: value) { bytes += $0 } } }
    }
}

/// Reads what `ByteWriter` wrote; every read returns nil past the end or on an impossible
/// length, so a decoder built on it turns truncated bytes into "no value".
public struct ByteReader: Sendable {
    let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        let size = MemoryLayout<T>.size
        guard bytes.count - offset >= size else { return nil }
        let v = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        offset += size
        return T(littleEndian: v)
    }

    public mutating func readDouble() -> Double? { read(UInt64.self).map(Double.init(bitPattern:)) }

    public mutating func readBool() -> Bool? {
        switch read(UInt8.self) {
        case 0: false
        case 1: true
        default: nil
        }
    }

    public mutating func readString() -> String? {
        guard let n = read(UInt32.self).map(Int.init), bytes.count - offset >= n else { return nil }
        defer { offset += n }
        return String(decoding: bytes[offset..<offset + n], as: UTF8.self)
    }

    public mutating func readColumn<T: BitwiseCopyable>(_: T.Type = T.self) -> [T]? {
        guard let count = read(UInt64.self) else { return nil }
        let stride = MemoryLayout<T>.stride
        guard count <= UInt64((bytes.count - offset) / max(stride, 1)) else { return nil }
        let n = Int(count)
        let column = bytes.withUnsafeBytes { raw in
            [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                if n > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: raw.baseAddress! + offset, byteCount: n * stride) }
                initialized = n
            }
        }
        offset += n * stride
        return column
    }
}
