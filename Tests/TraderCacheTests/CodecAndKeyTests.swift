import Testing
@testable import TraderCache

@Suite struct CacheKeyTests {
    @Test func keysCarryNamespaceAndVersion() throws {
        let key = try CacheKey(namespace: "bars", version: 2, parts: ["GOOG", "1d", "2004-08-19"])
        #expect(key.description == "bars:v2:GOOG:1d:2004-08-19")
        #expect(key.description.hasPrefix(key.namespacePrefix))
        #expect(try CacheKey(namespace: "bars", version: 3, parts: ["GOOG"]).description != (try CacheKey(namespace: "bars", version: 2, parts: ["GOOG"])).description)
        #expect(throws: CacheKeyError(field: "part", reason: "'a:b' contains ':'")) { try CacheKey(namespace: "x", version: 1, parts: ["a:b"]) }
        #expect(throws: CacheKeyError(field: "namespace", reason: "must not be empty")) { try CacheKey(namespace: "", version: 1, parts: []) }
    }
}

@Suite struct BarColumnsCodecTests {
    static let sample = BarColumnsCodec.Columns(
        timestamps: [1, 2, 3], open: [10, 11, 12.5], high: [11, 12, 13], low: [9, 10, 12], close: [10.5, 11.5, .pi], volume: [100, 0, 1e9])

    @Test func roundTripsBitForBit() {
        let bytes = BarColumnsCodec.encode(Self.sample)
        #expect(bytes.count == 32 + 3 * 48)
        #expect(BarColumnsCodec.decode(bytes) == Self.sample)
        let empty = BarColumnsCodec.Columns(timestamps: [], open: [], high: [], low: [], close: [], volume: [])
        #expect(BarColumnsCodec.decode(BarColumnsCodec.encode(empty)) == empty)
    }

    /// Garbage, truncated or altered bytes are a miss, never data.
    @Test func anythingElseIsAMiss() {
        let bytes = BarColumnsCodec.encode(Self.sample)
        #expect(BarColumnsCodec.decode([]) == nil)
        #expect(BarColumnsCodec.decode(Array("hello, world: not bars at all".utf8)) == nil)
        for cut in [1, 8, 31, 32, bytes.count - 1] { #expect(BarColumnsCodec.decode(Array(bytes.prefix(cut))) == nil, "cut at \(cut)") }
        #expect(BarColumnsCodec.decode(bytes + [0]) == nil)
        for position in [0, 9, 17, 25, 40, bytes.count - 1] {
            var flipped = bytes
            flipped[position] ^= 0x01
            #expect(BarColumnsCodec.decode(flipped) == nil, "bit flipped at \(position)")
        }
    }
}
