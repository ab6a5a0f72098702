import Foundation
import Testing
import TraderCore
import TraderData

/// Every way a store file can be damaged gives one `DataError.corrupt` naming the file and the
/// problem; every failed write leaves neither the file nor a temporary one.
@Suite("Bar store corruption and failed writes")
struct BarStoreCorruptionTests {
    /// A valid 100-bar file in a fresh directory.
    func sample() throws -> (TemporaryDirectory, String, BarStoreHeader) {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/S_1h.gtbars"
        let header = try BarStoreWriter.write(try SyntheticBars.generate(symbol: "S", bars: 100, seed: 1, timeframe: .hour1), to: path)
        return (dir, path, header)
    }

    @Test func badMagic() throws {
        let (dir, path, _) = try sample()
        defer { dir.cleanUp() }
        try patch(path) { $0[1] = UInt8(ascii: "X") }
        #expect(corruptReason(path) == "not a bar store file (bad magic bytes)")
        let csv = try dir.write("prices.gtbars", "Date,Open,High,Low,Close\n")
        #expect(corruptReason(csv) == "not a bar store file (bad magic bytes)")
    }

    @Test func unsupportedVersion() throws {
        let (dir, path, _) = try sample()
        defer { dir.cleanUp() }
        try patch(path, fixHeaderChecksum: true) { put(UInt32(2), at: 8, in: &$0) }
        #expect(corruptReason(path) == "format version 2 is not supported (this build reads version 1)")
    }

    @Test func truncatedFiles() throws {
        let (dir, path, header) = try sample()
        defer { dir.cleanUp() }
        let size = header.fileSize
        try patch(path) { $0.removeLast(8) }
        #expect(corruptReason(path) == "truncated: the header says 100 bars (\(size) bytes), the file has \(size - 8) bytes")
        try patch(path) { $0.removeLast($0.count - 100) }
        #expect(corruptReason(path) == "truncated: 100 bytes, shorter than the 256-byte header")
        try patch(path) { $0.removeAll() }
        #expect(corruptReason(path) == "the file is empty")
    }

    @Test func extraBytesAfterTheColumns() throws {
        let (dir, path, header) = try sample()
        defer { dir.cleanUp() }
        try patch(path) { $0 += [0, 0, 0] }
        #expect(corruptReason(path) == "the file has \(header.fileSize + 3) bytes, 3 more than its 100 bars need (\(header.fileSize))")
    }

    @Test func headerChecksumMismatch() throws {
        let (dir, path, _) = try sample()
        defer { dir.cleanUp() }
        try patch(path) { $0[160] = UInt8(ascii: "T") }  // the symbol, without fixing the checksum
        let reason = try #require(corruptReason(path))
        #expect(reason.hasPrefix("header checksum mismatch (stored "))
    }

    @Test func barCountDisagreesWithTheFileSize() throws {
        let (dir, path, header) = try sample()
        defer { dir.cleanUp() }
        try patch(path, fixHeaderChecksum: true) { put(UInt64(101), at: 16, in: &$0) }
        // 101 bars still fit between the column offsets, but not in the file.
        let needed = header.columnOffsets[5] + 101 * 8
        #expect(corruptReason(path) == "truncated: the header says 101 bars (\(needed) bytes), the file has \(header.fileSize) bytes")
        try patch(path, fixHeaderChecksum: true) { put(UInt64(200), at: 16, in: &$0) }
        #expect(corruptReason(path) == "columns overlap (offsets \(header.columnOffsets[0]) and \(header.columnOffsets[1]) are closer than 200 bars)")
        try patch(path, fixHeaderChecksum: true) { put(UInt64(99), at: 16, in: &$0) }
        let expected = header.columnOffsets[5] + 99 * 8
        #expect(corruptReason(path) == "the file has \(header.fileSize) bytes, \(header.fileSize - expected) more than its 99 bars need (\(expected))")
        try patch(path, fixHeaderChecksum: true) { put(UInt64(0), at: 16, in: &$0) }
        #expect(corruptReason(path) == "bar count 0 is out of range")
    }

    @Test func headerTimesDisagreeWithTheColumn() throws {
        let (dir, path, header) = try sample()
        defer { dir.cleanUp() }
        try patch(path, fixHeaderChecksum: true) { put(header.firstTimestamp + 1, at: 32, in: &$0) }
        let reason = try #require(corruptReason(path))
        #expect(reason.hasPrefix("the timestamp column runs \(header.firstTimestamp) ... \(header.lastTimestamp), the header says \(header.firstTimestamp + 1)"))
    }

    /// Found by the barstore fuzz target: first and last times 292 years or more apart would trap
    /// every statistic that subtracts two times (Int64 nanoseconds), so the header is refused.
    @Test func headerTimesSpanningTooLongAreRefused() throws {
        let (dir, path, _) = try sample()
        defer { dir.cleanUp() }
        try patch(path, fixHeaderChecksum: true) {
            put(Int64.min + 1, at: 32, in: &$0)
            put(Int64.max - 1, at: 40, in: &$0)
        }
        #expect(corruptReason(path) == "first timestamp \(Int64.min + 1) and last timestamp \(Int64.max - 1) are 292 years or more apart")
    }

    @Test func misalignedColumnOffset() throws {
        let (dir, path, _) = try sample()
        defer { dir.cleanUp() }
        try patch(path, fixHeaderChecksum: true) { put(UInt64(260), at: 48 + 8, in: &$0) }
        #expect(corruptReason(path) == "open column offset 260 is not an 8-byte aligned position after the header")
    }

    @Test func flippedColumnBitIsFoundByVerify() throws {
        let (dir, path, header) = try sample()
        defer { dir.cleanUp() }
        try patch(path) { $0[header.columnOffsets[BarStoreColumn.volume.rawValue] + 17] ^= 0x40 }
        let file = try BarStoreFile(path: path)
        do {
            try file.verify()
            Issue.record("verify passed on a damaged column")
        } catch {
            guard case let .corrupt(p, reason) = error else { Issue.record("\(error)"); return }
            #expect(p == path && reason.hasPrefix("volume column checksum mismatch"))
        }
    }

    @Test func missingFileAndDirectory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        #expect(throws: DataError.fileNotFound(dir.path + "/none.gtbars")) { try BarStoreFile(path: dir.path + "/none.gtbars") }
        #expect(throws: DataError.notRegularFile(dir.path, kind: "a directory")) { try BarStoreFile(path: dir.path) }
    }

    // MARK: failed writes

    @Test func tooFewBarsLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let bars = try SyntheticBars.generate(symbol: "W", bars: 50, seed: 1)
        let writer = try BarStoreStreamWriter(path: dir.path + "/W_1d.gtbars", symbol: "W", timeframe: .day1, count: 100)
        try writer.append(bars)
        #expect(try dir.contents().count == 1)  // the temporary file, while writing
        #expect(throws: DataError.unwritable(dir.path + "/W_1d.gtbars", reason: "only 50 of the 100 declared bars were appended")) {
            try writer.finish()
        }
        #expect(try dir.contents() == [])
    }

    @Test func droppedOrCancelledWritersLeaveNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let bars = try SyntheticBars.generate(symbol: "W", bars: 50, seed: 1)
        do {
            let writer = try BarStoreStreamWriter(path: dir.path + "/a.gtbars", symbol: "W", timeframe: .day1, count: 100)
            try writer.append(bars)
        }
        let cancelled = try BarStoreStreamWriter(path: dir.path + "/b.gtbars", symbol: "W", timeframe: .day1, count: 50)
        try cancelled.append(bars)
        cancelled.cancel()
        #expect(throws: DataError.self) { try cancelled.finish() }
        #expect(try dir.contents() == [])
    }

    @Test func outOfOrderOrExcessChunksFailAndLeaveTheOldFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.path + "/W_1d.gtbars"
        let old = try SyntheticBars.generate(symbol: "W", bars: 30, seed: 9)
        try BarStoreWriter.write(old, to: path)
        let bars = try SyntheticBars.generate(symbol: "W", bars: 50, seed: 1)

        let writer = try BarStoreStreamWriter(path: path, symbol: "W", timeframe: .day1, count: 100)
        try writer.append(bars)
        #expect(throws: DataError.self) { try writer.append(bars) }  // same times again: not after the last bar
        #expect(throws: DataError.self) { try writer.finish() }

        let excess = try BarStoreStreamWriter(path: path, symbol: "W", timeframe: .day1, count: 40)
        #expect(throws: DataError.unwritable(path, reason: "50 bars appended, more than the 40 declared")) { try excess.append(bars) }

        #expect(try dir.contents() == ["W_1d.gtbars"])
        #expect(sameBits(try BarStoreFile(path: path).load(), old))
    }

    @Test func failedRenameRemovesTheTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        // A non-empty directory where the file should go: rename(2) refuses to replace it.
        let path = dir.path + "/D_1d.gtbars"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        _ = try dir.write("D_1d.gtbars/keep", "x")
        let bars = try SyntheticBars.generate(symbol: "D", bars: 10, seed: 1)
        #expect(throws: DataError.self) { try BarStoreWriter.write(bars, to: path) }
        #expect(try dir.contents() == ["D_1d.gtbars"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["keep"])
    }

    @Test func unwritableDestinationAndBadSymbols() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let bars = try SyntheticBars.generate(symbol: "D", bars: 10, seed: 1)
        #expect(throws: DataError.self) { try BarStoreWriter.write(bars, to: dir.path + "/no/such/dir/x.gtbars") }
        #expect(throws: DataError.invalidSymbol(String(repeating: "A", count: 65), reason: "is 65 bytes long; at most 64 fit")) {
            try BarStoreWriter.write(bars, to: dir.path + "/x.gtbars", symbol: String(repeating: "A", count: 65))
        }
        #expect(throws: DataError.invalidSymbol("A/B", reason: "contains '/', a space or a control character")) {
            try BarStoreWriter.write(bars, to: dir.path + "/x.gtbars", symbol: "A/B")
        }
        #expect(throws: DataError.unwritable(dir.path + "/x.gtbars", reason: "no bars to store")) {
            try BarStoreWriter.write(bars.slice(0..<0), to: dir.path + "/x.gtbars")
        }
        #expect(try dir.contents() == [])
    }
}
