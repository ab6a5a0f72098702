public import Foundation

/// How a value of type `Value` is stored in the shared tier, and what it weighs in the local one.
///
/// `decode` returns nil for bytes that are not a valid encoding: the tiered cache treats that as
/// a miss, so garbage, truncated or old-format bytes under a key are never taken for data.
public struct CacheCodec<Value: Sendable>: Sendable {
    public let encode: @Sendable (Value) -> [UInt8]
    public let decode: @Sendable ([UInt8]) -> Value?
    /// Approximate bytes the value holds in memory (the L1 byte bound).
    public let cost: @Sendable (Value) -> Int

    public init(encode: @escaping @Sendable (Value) -> [UInt8], decode: @escaping @Sendable ([UInt8]) -> Value?,
                cost: @escaping @Sendable (Value) -> Int) {
        self.encode = encode
        self.decode = decode
        self.cost = cost
    }
}

extension CacheCodec where Value: Codable {
    /// JSON inside a checksummed frame: for small records (a run's summary, a report).
    public static func json(_ type: Value.Type = Value.self) -> CacheCodec {
        CacheCodec(
            encode: { value in
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                return CacheFrame.wrap(Array((try? encoder.encode(value)) ?? Data()))
            },
            decode: { bytes in
                guard let payload = CacheFrame.unwrap(bytes), !payload.isEmpty else { return nil }
                return try? JSONDecoder().decode(Value.self, from: Data(payload))
            },
            cost: { _ in 1_024 })
    }
}

extension CacheCodec where Value == [UInt8] {
    /// Raw bytes, framed and checksummed.
    public static var bytes: CacheCodec {
        CacheCodec(encode: { CacheFrame.wrap($0) }, decode: { CacheFrame.unwrap($0) }, cost: { $0.count })
    }
}

/// A 16-byte header in front of a payload: magic, payload length, FNV-1a 64 checksum. `unwrap`
/// gives nil unless all three match, so a value written by something else, cut short or
/// corrupted reads as absent.
public enum CacheFrame {
    static let magic: UInt32 = 0x3143_5447  // "GTC1"
    static let headerSize = 16

    public static func wrap(_ payload: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: headerSize + payload.count)
        w.write(magic)
        w.write(UInt32(truncatingIfNeeded: payload.count))
        w.write(checksum(payload))
        return w.bytes + payload
    }

    public static func unwrap(_ bytes: [UInt8]) -> [UInt8]? {
        var r = ByteReader(bytes)
        guard r.read(UInt32.self) == magic, let count = r.read(UInt32.self), Int(count) == bytes.count - headerSize,
              let sum = r.read(UInt64.self) else { return nil }
        let payload = Array(bytes[headerSize...])
        return checksum(payload) == sum ? payload : nil
    }

    /// FNV-1a, 64-bit, over 8-byte words (then the tail bytes): stable across processes and
    /// machines (unlike `Hasher`) and fast enough to check every value read from a shared cache.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        while i + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            i += 8
        }
        while i < bytes.count { hash = (hash ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01b3; i += 1 }
        return hash
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { checksum($0) } }
}
