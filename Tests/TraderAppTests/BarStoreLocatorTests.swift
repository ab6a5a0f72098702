import Foundation
import Testing
import TraderCore
import TraderData
@testable import TraderApp

@Suite struct BarStoreLocatorTests {
    /// A data directory holding ABC.csv (3 daily bars in January 2024).
    func dataDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-store-app-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
        Date,Open,High,Low,Close,Volume
        2024-01-01,10,11,9,10.5,100
        2024-01-02,10.5,12,10,11,200
        2024-01-03,11,11.5,10.2,10.8,150
        """.write(toFile: dir + "/ABC.csv", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func storeDirectoryDefaultsUnderTheFirstDataDirectory() throws {
        #expect(MarketDataLocator(environment: ["GPT_TRADER_DATA_DIR": "/a:/b"], currentDirectory: "/w").storeDirectory == "/a/store")
        #expect(MarketDataLocator(environment: [:], currentDirectory: "/w").storeDirectory == "/w/data/store")
        #expect(MarketDataLocator(environment: ["GPT_TRADER_STORE_DIR": "/s"], currentDirectory: "/w").storeDirectory == "/s")
        #expect(MarketDataLocator(environment: ["GPT_TRADER_STORE_DIR": "/s"], currentDirectory: "/w", storeDirectory: "/t").storeDirectory == "/t")
    }

    @Test func theStoreIsPreferredOverCSVAndRangesApplyAtLoad() throws {
        let dir = try dataDir()
        let locator = MarketDataLocator(environment: ["GPT_TRADER_DATA_DIR": dir], currentDirectory: "/nonexistent")
        #expect(try locator.load(.symbol("ABC")).count == 3)  // CSV: nothing stored yet
        // Store 500 hourly bars under ABC: the store wins from now on.
        let stored = try SyntheticBars.generate(symbol: "ABC", bars: 500, seed: 3, timeframe: .hour1)
        try BarStore(directory: dir + "/store").write(stored)
        let all = try locator.load(.symbol("abc"))
        #expect(all.count == 500 && all.symbol == "ABC" && all.timeframe == .hour1 && all.close == stored.close)
        let from = Timestamp(nanos: stored.timestamps[100]), through = Timestamp(nanos: stored.timestamps[199])
        let ranged = try locator.load(.symbol("ABC"), start: from, end: through)
        #expect(ranged.timestamps == stored.slice(from: from, through: through).timestamps && ranged.count == 100)
        #expect(locator.availableSymbols().filter { $0 == "ABC" }.count == 1)  // once, though both store and CSV have it
        do {
            _ = try locator.load(.symbol("ABC"), start: Timestamp(year: 2030, month: 1, day: 1))
            Issue.record("expected an error")
        } catch {
            #expect(error.isUsage)
            #expect(error.message == "no bars for ABC between 2030-01-01 and the end; the data covers 2000-01-03 … 2000-01-23T19:00:00")
        }
    }

    @Test func storeOnlySymbolsAreListedAndCorruptFilesAreUsageErrors() throws {
        let dir = try dataDir()
        let locator = MarketDataLocator(environment: ["GPT_TRADER_DATA_DIR": dir], currentDirectory: "/nonexistent")
        let entry = try BarStoreService(locator: locator).generate(symbol: "zz", bars: 300, seed: 1, timeframe: .minute1)
        #expect(entry.symbol == "ZZ" && entry.path == dir + "/store/ZZ_1m.gtbars")
        #expect(locator.availableSymbols().contains("ZZ"))  // stored only, no CSV
        #expect(try locator.load(.symbol("zz")).count == 300)
        try Data("junk".utf8).write(to: URL(fileURLWithPath: entry.path))
        do {
            _ = try locator.load(.symbol("ZZ"))
            Issue.record("expected an error")
        } catch {
            #expect(error.isUsage)
            #expect(error.message == "\(entry.path): corrupt bar store file: not a bar store file (bad magic bytes)")
        }
    }

    @Test func serviceErrorsSayWhatToFix() throws {
        let dir = try dataDir()
        let service = BarStoreService(directory: dir + "/store")
        #expect(throws: AppError.self) { try service.info(symbol: "NONE") }
        let imported = try service.importCSV(path: dir + "/ABC.csv", symbol: nil, timeframe: nil)
        #expect(imported.symbol == "ABC" && imported.count == 3 && imported.timeframe == .day1)
        #expect(try service.info(symbol: "abc").map(\.count) == [3])
        do {
            _ = try service.info(symbol: "NONE")
        } catch {
            #expect(error.isUsage && error.message == "no stored bars for 'NONE' in \(dir)/store; stored: ABC")
        }
        do {
            _ = try service.importCSV(path: dir + "/ABC.csv", symbol: "A B", timeframe: nil)
        } catch {
            #expect(error.isUsage && error.message == "symbol 'A B': contains '/', a space or a control character")
        }
    }
}
