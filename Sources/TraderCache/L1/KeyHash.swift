/// A fast, unseeded 64-bit hash of a string's UTF-8 bytes, after wyhash (final version 4): a
/// couple of 64×64→128-bit multiplies for keys up to 48 bytes, where SipHash-1-3 (the standard
/// library's `Hasher`) costs several times more and dominated an L1 get.
///
/// Unseeded means anyone who chooses the keys can choose colliding ones (HashDoS). That is not a
/// concern here: the L1 cache is in-process and keyed by keys this program builds itself
/// (`CacheKey`), never by strings straight from a client. Do not reuse it for tables keyed by
/// untrusted input.
@usableFromInline
enum KeyHash {
    @usableFromInline static let s0: UInt64 = 0x2d35_8dcc_aa6c_78a5
    @usableFromInline static let s1: UInt64 = 0x8bb8_4b93_962e_acc9
    @usableFromInline static let s2: UInt64 = 0x4b33_a62e_d433_d4a3

    /// The hash of `key`'s UTF-8 bytes; the same for equal strings (Swift's `==` on `String` is
    /// canonical equivalence, so two differently normalized spellings hash differently; keys are
    /// ASCII, where the two agree).
    @inlinable @inline(__always)
    static func hash(_ key: String) -> UInt64 {
        if let h = key.utf8.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) { return h }
        var copy = key  // a bridged string without contiguous UTF-8 (not on Linux)
        return copy.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// The high and low halves of the 128-bit product, folded.
    @inlinable @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inlinable
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        guard let p = bytes.baseAddress, n > 0 else { return mix(s0, s1) }
        @inline(__always) func r8(_ i: Int) -> UInt64 { p.loadUnaligned(fromByteOffset: i, as: UInt64.self) }
        @inline(__always) func r4(_ i: Int) -> UInt64 { UInt64(p.loadUnaligned(fromByteOffset: i, as: UInt32.self)) }
        var seed = s0
        var a: UInt64, b: UInt64
        if n <= 16 {
            if n >= 4 {
                let middle = (n >> 3) << 2
                a = (r4(0) << 32) | r4(middle)
                b = (r4(n - 4) << 32) | r4(n - 4 - middle)
            } else {
                let bytes = p.assumingMemoryBound(to: UInt8.self)
                a = UInt64(bytes[0]) << 16 | UInt64(bytes[n >> 1]) << 8 | UInt64(bytes[n - 1])
                b = 0
            }
        } else {
            var i = 0
            while n - i > 16 {
                seed = mix(r8(i) ^ s1, r8(i + 8) ^ seed)
                i += 16
            }
            a = r8(n - 16)
            b = r8(n - 8)
        }
        let product = (a ^ s1).multipliedFullWidth(by: b ^ seed)
        return mix(product.low ^ s0 ^ UInt64(n), product.high ^ s2)
    }
}
