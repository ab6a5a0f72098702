/// Lossless, compact packings of the columns a run stores (equity curves, trades), written into a
/// byte array and read back bit for bit.
///
/// - Times (`Int64`): the first value, then runs of equal differences as (difference, run
///   length), zigzag LEB128 varints. Bars are evenly spaced between gaps, so a million one-minute
///   timestamps take a few hundred bytes instead of 8 MB. Differences wrap, so any sequence
///   round-trips, sorted or not.
/// - Doubles: the first value's 8 bytes, then each value XORed with the one before it (by bit
///   pattern, so NaN payloads and −0 survive). Equal values — an equity curve while no position
///   is open, a zero commission — become one token for a whole run (`0x00`, count); any other
///   XOR is a header byte `(leading zero bytes << 4) | significant bytes` and those bytes
///   (Gorilla's idea, at byte granularity, which is cheaper to decode).
///
/// The reader checks every length against the bytes left and every header against the format,
/// so damaged bytes are a `StoreError.corrupt`, never a trap or a wrong number.
struct PackedWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// LEB128: seven bits a byte, low first (`varint(_:at:)`).
    mutating func varint(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { buffer in
            var out = buffer.baseAddress!
            Self.varint(value, at: &out)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<(out - buffer.baseAddress!)]))
        }
    }

    /// A UTF-8 string: its length, then its bytes.
    mutating func string(_ value: String) {
        varint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// Times as runs of equal differences (see the type's comment).
    mutating func times(_ values: some RandomAccessCollection<Int64>) {
        guard let first = values.first else { return }
        // At most 10 bytes for the first value and 20 for each (difference, run) pair.
        section(maxBytes: 10 + 20 * values.count) { out in
            Self.varint(Self.zigzag(first), at: &out)
            var previous = first, delta: Int64 = 0, run: UInt64 = 0
            for value in values.dropFirst() {
                let d = value &- previous
                previous = value
                if run > 0 && d == delta { run += 1; continue }
                if run > 0 { Self.varint(Self.zigzag(delta), at: &out); Self.varint(run, at: &out) }
                delta = d
                run = 1
            }
            if run > 0 { Self.varint(Self.zigzag(delta), at: &out); Self.varint(run, at: &out) }
        }
    }

    /// Doubles as XOR tokens (see the type's comment).
    mutating func doubles(_ values: some RandomAccessCollection<Double>) {
        guard let first = values.first else { return }
        // 8 bytes for the first value, at most 9 for each other (a repeat token for k values
        // takes 1 + varint(k) <= 9k), and 8 of slack: each token is stored as a whole word.
        section(maxBytes: 16 + 9 * values.count) { out in
            var previous = first.bitPattern
            UnsafeMutableRawPointer(out).storeBytes(of: previous.littleEndian, as: UInt64.self)
            out += 8
            var repeats: UInt64 = 0
            for value in values.dropFirst() {
                let bits = value.bitPattern, x = bits ^ previous
                previous = bits
                if x == 0 { repeats += 1; continue }
                if repeats > 0 {
                    out.pointee = 0
                    out += 1
                    Self.varint(repeats, at: &out)
                    repeats = 0
                }
                let leading = x.leadingZeroBitCount / 8, trailing = x.trailingZeroBitCount / 8
                let significant = 8 - leading - trailing
                out.pointee = UInt8(leading << 4 | significant)
                UnsafeMutableRawPointer(out + 1).storeBytes(of: (x >> UInt64(trailing * 8)).littleEndian, as: UInt64.self)
                out += 1 + significant
            }
            if repeats > 0 {
                out.pointee = 0
                out += 1
                Self.varint(repeats, at: &out)
            }
        }
    }

    /// Appends what `write` puts at the pointer it advances, at most `maxBytes`: one bounds
    /// check per column instead of one per byte.
    private mutating func section(maxBytes: Int, _ write: (inout UnsafeMutablePointer<UInt8>) -> Void) {
        let packed = [UInt8](unsafeUninitializedCapacity: maxBytes) { buffer, initialized in
            var out = buffer.baseAddress!
            write(&out)
            initialized = out - buffer.baseAddress!
            precondition(initialized <= maxBytes, "packed column overran its bound")
        }
        bytes.append(contentsOf: packed)
    }

    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// Writes `value` as LEB128 at `out` (at most 10 bytes) and moves `out` past it.
    static func varint(_ value: UInt64, at out: inout UnsafeMutablePointer<UInt8>) {
        var v = value
        while v >= 0x80 {
            out.pointee = UInt8(truncatingIfNeeded: v) | 0x80
            out += 1
            v >>= 7
        }
        out.pointee = UInt8(v)
        out += 1
    }
}

/// Reads what `PackedWriter` wrote; `field` names the stored column in errors.
struct PackedReader {
    let bytes: [UInt8]
    let field: String
    private(set) var offset = 0

    init(_ bytes: [UInt8], field: String) {
        self.bytes = bytes
        self.field = field
    }

    var isAtEnd: Bool { offset == bytes.count }

    func corrupt(_ reason: String) -> StoreError { .corrupt(field: field, reason: reason) }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw corrupt("ends early (\(bytes.count) bytes)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, shift < 63 || b <= 1 else { throw corrupt("a number longer than 64 bits at byte \(offset)") }
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signed() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    /// A count that must not exceed `limit` (what the bytes left could possibly hold).
    mutating func count(atMost limit: Int) throws -> Int {
        let n = try varint()
        guard n <= UInt64(limit) else { throw corrupt("a count of \(n) where at most \(limit) fit") }
        return Int(n)
    }

    mutating func string() throws -> String {
        let n = try count(atMost: bytes.count - offset)
        defer { offset += n }
        return String(decoding: bytes[offset..<offset + n], as: UTF8.self)
    }

    /// `count` times (see `PackedWriter.times`), appended to `out`.
    mutating func times(_ count: Int, into out: inout [Int64]) throws {
        guard count > 0 else { return }
        var value = try signed()
        out.append(value)
        var left = count - 1
        while left > 0 {
            let delta = try signed(), run = try varint()
            guard run >= 1, run <= UInt64(left) else { throw corrupt("a run of \(run) times where \(left) are left") }
            for _ in 0..<Int(run) {
                value &+= delta
                out.append(value)
            }
            left -= Int(run)
        }
    }

    /// `count` doubles (see `PackedWriter.doubles`), appended to `out`.
    mutating func doubles(_ count: Int, into out: inout [Double]) throws {
        guard count > 0 else { return }
        let bytes = self.bytes
        var offset = self.offset
        defer { self.offset = offset }
        try bytes.withUnsafeBytes { raw in
            guard raw.count - offset >= 8 else { throw corrupt("ends early (\(raw.count) bytes)") }
            var previous = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            out.append(Double(bitPattern: previous))
            var left = count - 1
            while left > 0 {
                guard offset < raw.count else { throw corrupt("ends early (\(raw.count) bytes)") }
                let header = raw[offset]
                offset += 1
                if header == 0 {
                    self.offset = offset
                    let run = try varint()
                    offset = self.offset
                    guard run >= 1, run <= UInt64(left) else { throw corrupt("a run of \(run) repeats where \(left) values are left") }
                    out.append(contentsOf: repeatElement(Double(bitPattern: previous), count: Int(run)))
                    left -= Int(run)
                    continue
                }
                let leading = Int(header >> 4), significant = Int(header & 0x0F)
                guard significant >= 1, leading + significant <= 8 else { throw corrupt("bad value header \(header) at byte \(offset - 1)") }
                guard raw.count - offset >= significant else { throw corrupt("ends early (\(raw.count) bytes)") }
                var word: UInt64
                if raw.count - offset >= 8 {
                    word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    if significant < 8 { word &= (1 << UInt64(8 * significant)) - 1 }
                } else {
                    word = 0
                    for k in 0..<significant { word |= UInt64(raw[offset + k]) << UInt64(8 * k) }
                }
                offset += significant
                previous ^= word << UInt64(8 * (8 - leading - significant))
                out.append(Double(bitPattern: previous))
                left -= 1
            }
        }
    }
}
