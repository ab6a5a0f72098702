import Foundation
import Testing
import TraderCore
import TraderData

@Suite("Bar store file")
struct BarStoreFileTests {
    @Test func csvRoundTripsBitForBit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        for name in ["GOOG", "EURUSD"] {
            let csv = try CSVBarReader.read(path: repositoryRoot + "/data/sample/\(name).csv")
            let path = dir.path + "/\(name).gtbars"
            let header = try BarStoreWriter.write(csv, to: path)
            #expect(header.count == csv.count && header.symbol == name && header.timeframe == csv.timeframe)
            let file = try BarStoreFile(path: path)
            #expect(file.count == csv.count && file.first == csv.first!.timestamp && file.last == csv.last!.timestamp)
            #expect(file.byteCount == BarStoreFormat.fileSize(count: csv.count))
            #expect(sameBits(try file.load(), csv))
            try file.verify()
        }
        #expect(try dir.contents() == ["EURUSD.gtbars", "GOOG.gtbars"])  // no temporary files left
    }

    @Test func unusualButValidValuesRoundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        // Extreme magnitudes, subnormal-adjacent prices, negative zero volume, nanosecond and
        // pre-1970 timestamps: bits must survive exactly.
        let series = try BarSeries(symbol: "ÉTF.X", timeframe: .minute1,
                                   timestamps: [-86_400_000_000_123, -1, 0, 1, 1_700_000_000_123_456_789],
                                   open: [1e-300, 0.1, 3, 1e300, 7], high: [2e-300, 0.30000000000000004, 3, 1.5e300, 7],
                                   low: [1e-300, 0.1, 3, 1e300, 7], close: [1.5e-300, 0.2, 3, 1.2e300, 7],
                                   volume: [-0.0, 0, 1e15, 0.5, 123_456_789.25])
        let path = dir.path + "/x.gtbars"
        try BarStoreWriter.write(series, to: path)
        let loaded = try BarStoreFile(path: path).load()
        #expect(sameBits(loaded, series))
        #expect(loaded.volume[0].sign == .minus)
    }

    @Test func rangeLoadsEqualSlices() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let series = try SyntheticBars.generate(symbol: "R", bars: 3_000, seed: 5)  // daily: weekend gaps
        let path = dir.path + "/r.gtbars"
        try BarStoreWriter.write(series, to: path)
        let file = try BarStoreFile(path: path)
        let t = series.timestamps
        var bounds: [Timestamp?] = [nil, Timestamp(nanos: t[0] - 1), Timestamp(nanos: t[0]), Timestamp(nanos: t[2999]),
                                    Timestamp(nanos: t[2999] + 1), Timestamp(nanos: .min), Timestamp(nanos: .max)]
        var random = SeededRandom(seed: 1)
        for _ in 0..<40 {
            let i = Int.random(in: 0..<3000, using: &random)
            bounds.append(Timestamp(nanos: t[i]))
            bounds.append(Timestamp(nanos: t[i] + Timestamp.nanosPerDay / 2))  // between bars (or on a weekend)
        }
        var checked = 0
        for start in bounds {
            for end in bounds.prefix(12) + bounds.suffix(4) {
                let expected = series.slice(from: start, through: end)
                let loaded = try file.load(from: start, through: end)
                #expect(sameBits(loaded, expected), "\(String(describing: start)) ... \(String(describing: end))")
                #expect(file.indices(from: start, through: end).count == expected.count)
                checked += 1
            }
        }
        #expect(checked > 500)
        #expect(sameBits(try file.load(100..<250), series.slice(100..<250)))
        #expect(try file.load(2990..<5000).count == 10)  // clamped to the file
    }

    @Test func mappedColumnsAreUsableInPlace() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let series = try SyntheticBars.generate(symbol: "M", bars: 1_000, seed: 2, timeframe: .hour1)
        let path = dir.path + "/m.gtbars"
        try BarStoreWriter.write(series, to: path)
        let file = try BarStoreFile(path: path)
        let columns = try file.load()
        #expect(columns.timestamps == series.timestamps)
        #expect(columns.close == series.close)
        #expect(columns.volume == series.volume)
        // 64-byte aligned in a page-aligned mapping.
        #expect(Int(bitPattern: columns.open.withUnsafeBufferPointer { $0.baseAddress }) % BarStoreFormat.columnAlignment == 0)
        #expect(Int(bitPattern: columns.volume.withUnsafeBufferPointer { $0.baseAddress }) % BarStoreFormat.columnAlignment == 0)
    }

    @Test func chunksConcatenateToTheFullLoad() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let series = try SyntheticBars.generate(symbol: "C", bars: 10_007, seed: 3, timeframe: .minute5)
        let path = dir.path + "/c.gtbars"
        try BarStoreWriter.write(series, to: path)
        let file = try BarStoreFile(path: path)
        for size in [1, 7, 1_000, 4_096, 10_007, 50_000] {
            let chunks = file.chunks(size: size)
            var kept: [BarSeries] = []
            for chunk in chunks {  // keeping every chunk: the reader must not overwrite them
                #expect(chunk.count <= size && !chunk.isEmpty)
                kept.append(chunk)
            }
            try chunks.throwIfFailed()
            #expect(kept.count == (series.count + size - 1) / size)
            #expect(sameBits(concatenate(kept, symbol: "C", timeframe: .minute5), series), "size \(size)")
        }
        // Not keeping chunks (buffers reused in place): a running digest of every chunk.
        var streamed = XXHash64(), whole = XXHash64()
        let chunks = file.chunks(size: 999, verifying: true)
        while let chunk = try chunks.nextChunk() {
            chunk.close.withUnsafeBytes { streamed.update($0) }
        }
        series.close.withUnsafeBytes { whole.update($0) }
        #expect(streamed.digest() == whole.digest())
        // A range streams exactly the range.
        let from = Timestamp(nanos: series.timestamps[1234]), through = Timestamp(nanos: series.timestamps[8765])
        let ranged = Array(file.chunks(size: 1_000, from: from, through: through))
        #expect(sameBits(concatenate(ranged, symbol: "C", timeframe: .minute5), series.slice(from: from, through: through)))
    }

    @Test func streamingAnUnverifiedFileReportsAFlippedBitInsteadOfTheEnd() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let series = try SyntheticBars.generate(symbol: "V", bars: 5_000, seed: 4, timeframe: .minute1)
        let path = dir.path + "/v.gtbars"
        let header = try BarStoreWriter.write(series, to: path)
        try patch(path) { $0[header.columnOffsets[BarStoreColumn.high.rawValue] + 8 * 4_321] ^= 0x01 }
        let file = try BarStoreFile(path: path)  // the header is fine: opening succeeds
        var delivered = 0
        let chunks = file.chunks(size: 1_024, verifying: true)
        for chunk in chunks { delivered += chunk.count }
        #expect(delivered == 5_000)
        #expect(throws: DataError.corrupt(path, reason: "high column checksum mismatch (stored \(hex(header.columnChecksums[2])), computed \(hex(XXHash64.hash(highBytes(path, header)))))")) {
            try chunks.throwIfFailed()
        }
        #expect(throws: DataError.self) { try file.verify() }
        // A plain stream of the whole unverified file hashes on the way too: the same error comes
        // where the end would have been.
        let plain = file.chunks(size: 1_024)
        var last: BarSeries?
        var error: DataError?
        do { while let chunk = try plain.nextChunk() { last = chunk } } catch let e { error = e }
        #expect(last?.count == 5_000 - 4 * 1_024)
        #expect(error?.description.contains("high column checksum mismatch") == true)
        // Part of the file: verified before the first chunk, so nothing at all is delivered.
        let part = file.chunks(size: 1_024, from: Timestamp(nanos: series.timestamps[10]), through: Timestamp(nanos: series.timestamps[20]))
        #expect(throws: DataError.self) { _ = try part.nextChunk() }
        // Nor does a load (whose columns are the mapped pages).
        #expect(throws: DataError.self) { _ = try file.load() }
    }

    @Test func loadingHalfAMillionBars() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.path + "/year.gtbars"
        let series = try SyntheticBars.generate(symbol: "Y", bars: 500_000, seed: 7, timeframe: .minute1)
        try BarStoreWriter.write(series, to: path)
        let loaded = try BarStoreFile(path: path).load()
        #expect(sameBits(loaded, series))   // its speed is a benchmark (BENCHMARKS.md), not a test
    }

    private func hex(_ v: UInt64) -> String {
        let d = String(v, radix: 16)
        return String(repeating: "0", count: 16 - d.count) + d
    }

    private func highBytes(_ path: String, _ header: BarStoreHeader) -> [UInt8] {
        let data = try! Data(contentsOf: URL(fileURLWithPath: path))
        let start = header.columnOffsets[BarStoreColumn.high.rawValue]
        return [UInt8](data[start..<(start + header.count * 8)])
    }
}
