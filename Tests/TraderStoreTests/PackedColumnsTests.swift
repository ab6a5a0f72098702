import NIOCore
import Testing
import TraderCore
@testable import TraderStore

/// The packing of stored curves and trades: exact both ways, compact where runs repeat, and
/// damaged bytes an error naming the column, never a trap or a wrong number.
@Suite struct PackedColumnsTests {
    @Test func timesAndDoublesRoundTripExactly() throws {
        var random = SeededRandom(seed: 7)
        let times: [[Int64]] = [
            [], [42], [.min, .max, 0, -1, 1], (0..<10_000).map { 1_600_000_000_000_000_000 + Int64($0) * 60_000_000_000 },
            (0..<5_000).map { _ in Int64(bitPattern: random.next()) },
        ]
        let doubles: [[Double]] = [
            [], [.nan], [-0.0, 0, -0.0], [1, 1, 1, 1, 2, 2, .infinity, .infinity],
            (0..<5_000).map { _ in Double(bitPattern: random.next()) },
        ]
        for t in times {
            #expect(try roundTrip(t, { $0.times($1) }, { try $0.times($1, into: &$2) }) == t)
        }
        for d in doubles {
            #expect(try roundTrip(d, { $0.doubles($1) }, { try $0.doubles($1, into: &$2) }).map(\.bitPattern) == d.map(\.bitPattern))
        }
    }

    /// `values` written by `write` and read back by `read`, which must use every byte.
    private func roundTrip<T>(_ values: [T], _ write: (inout PackedWriter, [T]) -> Void,
                              _ read: (inout PackedReader, Int, inout [T]) throws -> Void) throws -> [T] {
        var w = PackedWriter(capacity: 0)
        write(&w, values)
        var r = PackedReader(w.bytes, field: "column")
        var out: [T] = []
        try read(&r, values.count, &out)
        #expect(r.isAtEnd)
        return out
    }

    @Test func evenSpacingAndFlatStretchesTakeAlmostNothing() {
        let minutes = (0..<100_000).map { 1_600_000_000_000_000_000 + Int64($0) * 60_000_000_000 }
        var w = PackedWriter(capacity: 0)
        w.times(minutes)
        #expect(w.bytes.count < 32)
        var flat = PackedWriter(capacity: 0)
        flat.doubles([Double](repeating: 10_000, count: 100_000))
        #expect(flat.bytes.count < 16)
    }

    @Test func damagedChunksAreErrorsNamingTheColumn() throws {
        let curve = EquityCurve(timestamps: (0..<1_000).map { Int64($0) * 1_000 }, values: (0..<1_000).map { 100 + Double($0 % 37) * 0.25 })
        let chunk = EquityChunks.chunk(0, of: curve)
        let bytes = Array(chunk.data.readableBytesView)
        // Every truncation, and a count that does not match, is refused.
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            var t: [Int64] = [], v: [Double] = []
            #expect(throws: StoreError.self) { try EquityChunks.decode(ByteBuffer(bytes: bytes[..<cut]), count: 1_000, into: &t, &v) }
        }
        var t: [Int64] = [], v: [Double] = []
        #expect(throws: StoreError.self) { try EquityChunks.decode(chunk.data, count: 999, into: &t, &v) }
        #expect(throws: StoreError.self) { try EquityChunks.decode(chunk.data, count: 1_001, into: &t, &v) }
        #expect(throws: StoreError.self) { try EquityChunks.decode(ByteBuffer(bytes: [UInt8(9)] + bytes.dropFirst()), count: 1_000, into: &t, &v) }
        // Any single damaged byte is an error or decodes to 1,000 points; never a trap.
        for i in bytes.indices {
            var damaged = bytes
            damaged[i] ^= 0xA5
            var t: [Int64] = [], v: [Double] = []
            do {
                try EquityChunks.decode(ByteBuffer(bytes: damaged), count: 1_000, into: &t, &v)
                #expect(t.count == 1_000 && v.count == 1_000)
            } catch {
                #expect((error as? StoreError).map { "\($0)".contains("equity_chunks.data") } == true)
            }
        }
        var trades: [StoredTrade] = []
        let trade = StoredTrade(size: 1, entryTime: 1, exitTime: 2, entryPrice: 3, exitPrice: 4, commission: 0, pnl: 1, returnPct: 0.1,
                                exitReason: "signal")
        let packed = TradeChunks.chunk(0, of: [trade, trade])
        try TradeChunks.decode(packed.data, count: 2, into: &trades)
        #expect(trades == [trade, trade])
        #expect(throws: StoreError.self) { try TradeChunks.decode(packed.data, count: 3, into: &trades) }
        #expect(throws: StoreError.self) { try TradeChunks.decode(ByteBuffer(bytes: Array(packed.data.readableBytesView).dropLast()), count: 2, into: &trades) }
    }
}
