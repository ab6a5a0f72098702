import Foundation
import Testing
import TraderCore
@testable import TraderData

/// Loads hand out the mapped file's pages as the series' columns: equal to the bars written, kept
/// alive by the series (not by the file object), refused while damaged, and unchanged when the
/// file is replaced under them.
@Suite("Bar store zero-copy loads")
struct BarStoreZeroCopyTests {
    /// A file of `bars` synthetic minute bars in `dir`, and the bars written.
    func stored(_ dir: TemporaryDirectory, bars: Int = 20_000, seed: UInt64 = 11) throws -> (String, BarSeries) {
        let series = try SyntheticBars.generate(symbol: "Z", bars: bars, seed: seed, timeframe: .minute1)
        let path = dir.path + "/Z_1m.gtbars"
        try BarStoreWriter.write(series, to: path)
        return (path, series)
    }

    @Test func theMappedSeriesEqualsTheCopiedOneBarForBar() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let (path, written) = try stored(dir)
        let file = try BarStoreFile(path: path)
        let mapped = try file.load()
        for column in [mapped.open, mapped.high, mapped.low, mapped.close, mapped.volume] {
            #expect(column.isOwned(by: file.mapping))
        }
        #expect(mapped.timestamps.isOwned(by: file.mapping))
        // In place: the close column starts where the header says, in the mapping.
        let closeStart = file.mapping.base + file.header.columnOffsets[BarStoreColumn.close.rawValue]
        #expect(mapped.close.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } == closeStart)
        let copied = mapped.copied()
        #expect(!copied.close.isOwned(by: file.mapping))
        #expect(sameBits(mapped, copied) && sameBits(mapped, written))
        for i in 0..<mapped.count where mapped[i] != written[i] {
            Issue.record("bar \(i): \(mapped[i]) != \(written[i])")
            break
        }
        // A range and a slice of the whole are the same bars in the same pages.
        let range = try file.load(1_000..<1_500), slice = mapped.slice(1_000..<1_500)
        #expect(sameBits(range, slice) && sameBits(range, written.slice(1_000..<1_500)))
        #expect(range.close.withUnsafeBufferPointer { $0.baseAddress } == slice.close.withUnsafeBufferPointer { $0.baseAddress })
    }

    @Test func theMappingOutlivesTheFileObjectAndEndsWithTheLastSlice() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let (_, written) = try stored(dir)
        weak var file: BarStoreFile?
        weak var mapping: FileMapping?
        var series: BarSeries? = try {
            let opened = try BarStore(directory: dir.path).open(symbol: "Z")!
            file = opened
            mapping = opened.mapping
            return try opened.load()
        }()
        #expect(file == nil)      // the file object (and its descriptor) is gone ...
        #expect(mapping != nil)   // ... the pages are not
        #expect(sameBits(try #require(series), written))
        var slice: BarSeries? = series?.slice(19_000..<20_000)
        series = nil
        #expect(mapping != nil)
        #expect(sameBits(try #require(slice), written.slice(19_000..<20_000)))
        slice = nil
        #expect(mapping == nil)   // unmapped with the last user
    }

    @Test func aDamagedFileIsRefusedBeforeAnyBarEvenAfterAGoodVersionWasVerified() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let (path, written) = try stored(dir)
        let good = try BarStoreFile(path: path).load()   // verified: a verdict on this version
        // The next version of the file is damaged in one byte of the close column.
        let damagedPath = dir.path + "/damaged.gtbars"
        let header = try BarStoreWriter.write(written, to: damagedPath)
        try patch(damagedPath) { $0[header.columnOffsets[BarStoreColumn.close.rawValue] + 8 * 12_345 + 3] ^= 0x10 }
        #expect(rename(damagedPath, path) == 0)
        let file = try BarStoreFile(path: path)   // the header is intact: it opens
        #expect(!file.isVerified)
        #expect(throws: DataError.self) { _ = try file.load() }
        #expect(throws: DataError.self) { _ = try file.load(0..<10) }   // not even bars far from the damage
        do {
            _ = try file.load()
        } catch {
            #expect(error.description.contains("close column checksum mismatch"))
        }
        #expect(sameBits(good, written))   // the series of the good version is untouched
    }

    @Test func aFileReplacedByRenameLeavesAnExistingSeriesAsItWas() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let (path, first) = try stored(dir, seed: 1)
        let before = try BarStoreFile(path: path).load()
        let inodeBefore = inode(path)
        // The store's writers write a temporary file and rename it over the old one.
        let second = try SyntheticBars.generate(symbol: "Z", bars: 5_000, seed: 2, timeframe: .minute1)
        try BarStore(directory: dir.path).write(second)
        #expect(inode(path) != inodeBefore)
        #expect(sameBits(before, first))   // the old inode's pages, still mapped
        let after = try BarStoreFile(path: path).load()
        #expect(sameBits(after, second))
    }

    /// Truncating a mapped file would make reading its lost pages raise SIGBUS: a load of a file
    /// truncated since it was opened is refused with an error instead of handing them out.
    @Test func aFileTruncatedInPlaceAfterOpeningIsRefusedNotMapped() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let (path, _) = try stored(dir)
        let file = try BarStoreFile(path: path)
        #expect(truncate(path, off_t(file.byteCount / 2)) == 0)
        #expect(throws: DataError.corrupt(path, reason: "the file changed since it was opened (written in place?); open it again")) {
            _ = try file.load()
        }
        #expect(corruptReason(path)?.hasPrefix("truncated") == true)   // and opened again, it is refused as truncated
    }

    private func inode(_ path: String) -> UInt64 {
        var info = stat()
        #expect(stat(path, &info) == 0)
        return UInt64(info.st_ino)
    }
}
