/// The compact binary form of bar columns for the cache: a 32-byte header (magic, format version,
/// bar count, FNV-1a 64 checksum of the payload), then six little-endian columns (timestamps as
/// Int64, open, high, low, close, volume as Double), 48 bytes per bar.
///
/// `decode` returns nil for anything that is not exactly such a value — wrong magic or version,
/// a length that does not match the count, a checksum mismatch — so garbage or truncated bytes
/// under a key are a cache miss, never data.
public enum BarColumnsCodec {
    public static let magic: UInt64 = 0x3153_5241_4254_4347  // "GCTBARS1" little-endian
    public static let version: UInt32 = 1
    static let headerSize = 32

    /// The six columns of a series of bars.
    public struct Columns: Equatable, Sendable {
        public var timestamps: [Int64]
        public var open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double]

        public init(timestamps: [Int64], open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double]) {
            self.timestamps = timestamps
            self.open = open
            self.high = high
            self.low = low
            self.close = close
            self.volume = volume
        }

        var isConsistent: Bool {
            let n = timestamps.count
            return open.count == n && high.count == n && low.count == n && close.count == n && volume.count == n
        }
    }

    public static func encode(_ c: Columns) -> [UInt8] {
        precondition(c.isConsistent, "columns must have equal lengths")
        let n = c.timestamps.count
        var out = [UInt8](repeating: 0, count: headerSize + n * 48)
        out.withUnsafeMutableBytes { raw in
            var offset = headerSize
            func put<T>(_ column: [T]) {
                column.withUnsafeBytes { src in
                    if !src.isEmpty { (raw.baseAddress! + offset).copyMemory(from: src.baseAddress!, byteCount: src.count) }
                    offset += src.count
                }
            }
            put(c.timestamps); put(c.open); put(c.high); put(c.low); put(c.close); put(c.volume)
            let checksum = CacheFrame.checksum(UnsafeRawBufferPointer(rebasing: raw[headerSize...]))
            raw.storeBytes(of: magic.littleEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: version.littleEndian, toByteOffset: 8, as: UInt32.self)
            raw.storeBytes(of: UInt64(n).littleEndian, toByteOffset: 16, as: UInt64.self)
            raw.storeBytes(of: checksum.littleEndian, toByteOffset: 24, as: UInt64.self)
        }
        return out
    }

    public static func decode(_ bytes: [UInt8]) -> Columns? {
        bytes.withUnsafeBytes { raw -> Columns? in
            guard raw.count >= headerSize,
                  UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)) == magic,
                  UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) == version else { return nil }
            let count = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            guard count <= UInt64((raw.count - headerSize) / 48), raw.count == headerSize + Int(count) * 48 else { return nil }
            let payload = UnsafeRawBufferPointer(rebasing: raw[headerSize...])
            guard CacheFrame.checksum(payload) == UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)) else { return nil }
            let n = Int(count)
            var offset = 0
            func take<T>(_: T.Type) -> [T] {
                defer { offset += n * 8 }
                return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                    if n > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: payload.baseAddress! + offset, byteCount: n * 8) }
                    initialized = n
                }
            }
            return Columns(timestamps: take(Int64.self), open: take(Double.self), high: take(Double.self), low: take(Double.self),
                           close: take(Double.self), volume: take(Double.self))
        }
    }
}
