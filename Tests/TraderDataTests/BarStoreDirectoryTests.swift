import Foundation
import Testing
import TraderCore
import TraderData

@Suite("Bar store directory")
struct BarStoreDirectoryTests {
    @Test func importListInfoOpenRemove() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let store = BarStore(directory: dir.path + "/nested/store")  // created on first write
        #expect(try store.list() == [])
        #expect(store.symbols() == [])

        let goog = try store.importCSV(from: repositoryRoot + "/data/sample/GOOG.csv", symbol: "goog")
        #expect(goog.symbol == "GOOG" && goog.timeframe == .day1 && goog.count == 2148)
        #expect(goog.path == dir.path + "/nested/store/GOOG_1d.gtbars")
        #expect(goog.first == Timestamp(year: 2004, month: 8, day: 19) && goog.last == Timestamp(year: 2013, month: 3, day: 1))
        let minutes = try SyntheticBars.generate(symbol: "GOOG", bars: 500, seed: 1, timeframe: .minute1)
        try store.write(minutes)
        let eur = try store.importCSV(from: repositoryRoot + "/data/sample/EURUSD.csv", symbol: "EURUSD", timeframe: .hour1)

        let listed = try store.list()
        #expect(listed.map { "\($0.symbol) \($0.timeframe) \($0.count)" } == ["EURUSD 1h 5000", "GOOG 1m 500", "GOOG 1d 2148"])
        #expect(listed[0] == eur && listed[2] == goog)
        #expect(listed.allSatisfy { $0.byteCount == BarStoreFormat.fileSize(count: $0.count) })
        #expect(store.symbols() == ["EURUSD", "GOOG"])
        #expect(try store.entries(symbol: "goog").map(\.timeframe) == [.minute1, .day1])

        // Without a timeframe the finest is opened.
        #expect(try store.open(symbol: "GOOG")?.timeframe == .minute1)
        #expect(try store.open(symbol: "GOOG", timeframe: .day1)?.count == 2148)
        #expect(try store.open(symbol: "MSFT") == nil)

        #expect(try store.remove(symbol: "GOOG", timeframe: .minute1).count == 1)
        #expect(try store.open(symbol: "goog")?.timeframe == .day1)
        #expect(try store.remove(symbol: "GOOG").count == 1)
        #expect(try store.remove(symbol: "GOOG") == [])
        #expect(store.symbols() == ["EURUSD"])
    }

    @Test func reimportReplacesAtomically() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let store = BarStore(directory: dir.path)
        try store.write(try SyntheticBars.generate(symbol: "A", bars: 100, seed: 1))
        let newer = try SyntheticBars.generate(symbol: "A", bars: 80, seed: 2)
        try store.write(newer)
        #expect(try dir.contents() == ["A_1d.gtbars"])
        #expect(sameBits(try #require(try store.open(symbol: "A")).load(), newer))
    }

    @Test func badCSVWritesNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let csv = try dir.write("bad.csv", "Date,Open,High,Low,Close,Volume\n2020-01-01,10,11,9,10,100\n2020-01-02,10,8,9,10,100\n")
        let store = BarStore(directory: dir.path + "/store")
        #expect(throws: DataError.malformed(file: csv, line: 3, reason: "High 8 is below Low 9")) {
            try store.importCSV(from: csv, symbol: "BAD")
        }
        #expect(try store.list() == [])
        #expect(throws: DataError.fileNotFound(dir.path + "/none.csv")) { try store.importCSV(from: dir.path + "/none.csv", symbol: "X") }
    }

    @Test func strayFilesAreIgnoredAndCorruptOnesNamed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let store = BarStore(directory: dir.path)
        try store.write(try SyntheticBars.generate(symbol: "A", bars: 10, seed: 1))
        _ = try dir.write("notes.txt", "hello")
        _ = try dir.write("A_1d.gtbars.tmp-1-abc", "partial")
        _ = try dir.write("B_weird.gtbars", "x")
        #expect(try store.list().map(\.symbol) == ["A"])
        let bad = try dir.write("C_1h.gtbars", "not a store file")
        #expect(throws: DataError.corrupt(bad, reason: "not a bar store file (bad magic bytes)")) { try store.list() }
        // Other symbols still open: lookups go by name.
        #expect(try store.open(symbol: "A")?.count == 10)
    }
}

@Suite("XXH64")
struct XXHash64Tests {
    /// Reference digests from libxxhash 0.8 (`XXH64(data, len, 0)`).
    @Test func matchesTheReferenceImplementation() {
        let long = Array("0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!".utf8)
        let kilo = (0..<4).flatMap { _ in (0...255).map { UInt8($0) } } + Array("xyz".utf8)
        #expect(XXHash64.hash([]) == 0xEF46_DB37_51D8_E999)
        #expect(XXHash64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXHash64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXHash64.hash(long) == 0x5995_8A6B_5F12_DBC1)
        #expect(XXHash64.hash(kilo) == 0xE146_CB31_B65B_C21A)
    }

    @Test func anySplitGivesTheSameDigest() {
        let bytes = (0..<1_027).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = XXHash64.hash(bytes)
        for split in [1, 3, 8, 31, 32, 33, 100, 512, 1_026] {
            var h = XXHash64()
            var i = 0
            while i < bytes.count {
                let j = min(i + split, bytes.count)
                bytes[i..<j].withUnsafeBytes { h.update($0) }
                i = j
            }
            #expect(h.digest() == whole, "split \(split)")
        }
    }
}
