/// XXH64 (Yann Collet's xxHash, 64-bit variant, seed 0): the checksum of the bar store.
///
/// Why this hash: it reads 32 bytes per round in four independent lanes, so it runs at memory
/// speed (several GB/s) where byte-wise FNV-1a or a table CRC32 manage a fraction of that, and it
/// is a published standard (`xxhsum -H1`, `xxhash.xxh64` in Python), so anyone can check a file
/// without this code. It detects corruption; it is not a cryptographic signature.
///
/// Use `XXHash64.hash(_:)` for bytes in memory, or feed `update(_:)` piece by piece (the
/// streaming writer hashes each column chunk as it is appended): any split gives the same digest.
public struct XXHash64: Sendable {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var v1: UInt64 = 0 &+ prime1 &+ prime2
    private var v2: UInt64 = 0 &+ prime2
    private var v3: UInt64 = 0
    private var v4: UInt64 = 0 &- prime1
    private var totalLength: UInt64 = 0
    /// Bytes not yet consumed by a full 32-byte stripe.
    private var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var pendingCount = 0

    /// A fresh hash state (seed 0).
    public init() {}

    /// The digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state = XXHash64()
        state.update(bytes)
        return state.digest()
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Adds `bytes` to the hashed data.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return }
        var p = start
        var remaining = bytes.count
        totalLength &+= UInt64(remaining)
        if pendingCount > 0 {
            let take = min(32 - pendingCount, remaining)
            withUnsafeMutableBytes(of: &pending) { buffer in
                (buffer.baseAddress! + pendingCount).copyMemory(from: p, byteCount: take)
            }
            pendingCount += take
            p += take
            remaining -= take
            guard pendingCount == 32 else { return }
            let stripe = pending
            consumeStripes(withUnsafeBytes(of: stripe) { $0.baseAddress! }, count: 1)
            pendingCount = 0
        }
        let stripes = remaining / 32
        if stripes > 0 {
            consumeStripes(p, count: stripes)
            p += stripes * 32
            remaining -= stripes * 32
        }
        if remaining > 0 {
            withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress!.copyMemory(from: p, byteCount: remaining)
            }
            pendingCount = remaining
        }
    }

    /// The digest of everything added so far (the state is unchanged, so more can be added).
    public func digest() -> UInt64 {
        var h: UInt64
        if totalLength >= 32 {
            h = Self.rotl(v1, 1) &+ Self.rotl(v2, 7) &+ Self.rotl(v3, 12) &+ Self.rotl(v4, 18)
            h = Self.merge(h, v1)
            h = Self.merge(h, v2)
            h = Self.merge(h, v3)
            h = Self.merge(h, v4)
        } else {
            h = Self.prime5
        }
        h &+= totalLength
        let tail = pending
        return withUnsafeBytes(of: tail) { buffer -> UInt64 in
            var p = buffer.baseAddress!
            var remaining = pendingCount
            while remaining >= 8 {
                h ^= Self.round(0, p.loadUnaligned(as: UInt64.self).littleEndian)
                h = Self.rotl(h, 27) &* Self.prime1 &+ Self.prime4
                p += 8
                remaining -= 8
            }
            if remaining >= 4 {
                h ^= UInt64(p.loadUnaligned(as: UInt32.self).littleEndian) &* Self.prime1
                h = Self.rotl(h, 23) &* Self.prime2 &+ Self.prime3
                p += 4
                remaining -= 4
            }
            while remaining > 0 {
                h ^= UInt64(p.load(as: UInt8.self)) &* Self.prime5
                h = Self.rotl(h, 11) &* Self.prime1
                p += 1
                remaining -= 1
            }
            h ^= h >> 33
            h &*= Self.prime2
            h ^= h >> 29
            h &*= Self.prime3
            h ^= h >> 32
            return h
        }
    }

    /// The main loop: four lanes, one 8-byte word each per 32-byte stripe.
    private mutating func consumeStripes(_ p: UnsafeRawPointer, count: Int) {
        var a = v1, b = v2, c = v3, d = v4
        var q = p
        for _ in 0..<count {
            a = Self.round(a, q.loadUnaligned(as: UInt64.self).littleEndian)
            b = Self.round(b, q.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian)
            c = Self.round(c, q.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian)
            d = Self.round(d, q.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian)
            q += 32
        }
        v1 = a; v2 = b; v3 = c; v4 = d
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotl(accumulator &+ input &* prime2, 31) &* prime1
    }

    @inline(__always)
    private static func merge(_ accumulator: UInt64, _ lane: UInt64) -> UInt64 {
        (accumulator ^ round(0, lane)) &* prime1 &+ prime4
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
