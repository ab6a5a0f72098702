import Foundation
import Testing
import TestSupport
import TraderCore
import TraderData
import TraderLive
@testable import TraderApp

/// `data fetch`'s service against a local server speaking the venues' historical-bars endpoints:
/// what it stores, what it asks for on a second run, how it resumes, what it reports.
@Suite struct BarFetchServiceTests {
    static let origin = Timestamp(nanos: 1_704_067_200 * Timestamp.nanosPerSecond)  // 2024-01-01

    static func bars(_ n: Int, symbol: String, seed: UInt64 = 11) throws -> [Bar] {
        let series = try SyntheticBars.generate(symbol: symbol, bars: n, seed: seed, start: origin, timeframe: .minute1)
        return (0..<series.count).map { series[$0] }
    }

    static func storeDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-fetch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func stored(_ store: BarStore, _ name: String) throws -> [Bar] {
        let series = try #require(try store.open(symbol: name, timeframe: .minute1)).load()
        return (0..<series.count).map { series[$0] }
    }

    static func request(_ symbols: [String], _ source: HistorySource, through last: Bar, jobs: Int = 2) -> BarFetchRequest {
        BarFetchRequest(symbols: symbols, source: source, timeframe: .minute1, start: origin, end: last.timestamp, jobs: jobs)
    }

    static func coinbase(_ port: Int) -> CoinbaseHistoricalBars {
        CoinbaseHistoricalBars(baseURL: "http://127.0.0.1:\(port)", rate: nil, retry: RetryPolicy(attempts: 3, initial: .milliseconds(10)))
    }

    static func alpaca(_ server: HistoricalBarsServer, _ port: Int) -> AlpacaHistoricalBars {
        AlpacaHistoricalBars(baseURL: "http://127.0.0.1:\(port)", key: server.key, secret: server.secret, rate: nil,
                             retry: RetryPolicy(attempts: 3, initial: .milliseconds(10)))
    }

    @Test func storesWhatTheVenueHasAndASecondRunAsksForNothing() async throws {
        let dir = try Self.storeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let btc = try Self.bars(1_000, symbol: "BTC-USD"), eth = try Self.bars(1_000, symbol: "ETH-USD", seed: 12)
        let server = HistoricalBarsServer(bars: ["BTC-USD": btc, "ETH-USD": eth])
        let service = BarFetchService(store: BarStore(directory: dir))
        let (first, second) = try await server.serve { port in
            let first = try await service.run(Self.request(["BTC-USD", "ETH-USD"], .coinbase, through: btc.last!), client: Self.coinbase(port))
            let second = try await service.run(Self.request(["BTC-USD", "ETH-USD"], .coinbase, through: btc.last!), client: Self.coinbase(port))
            return (first, second)
        }
        #expect(first.symbols.map(\.added) == [1_000, 1_000])
        #expect(first.failed.isEmpty)
        #expect(barDifference(try Self.stored(service.store, "BTC-USD"), btc) == nil)
        #expect(barDifference(try Self.stored(service.store, "ETH-USD"), eth) == nil)
        #expect(first.symbols[1].gaps == 0)
        #expect(second.requests == 0, "everything asked for is stored")
        #expect(second.symbols.allSatisfy { $0.upToDate && $0.added == 0 })
        #expect(!FileManager.default.fileExists(atPath: dir + "/.fetch/BTC-USD_1m.coinbase.partial"))
    }

    @Test func aLaterEndAsksOnlyForTheNewBars() async throws {
        let dir = try Self.storeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try Self.bars(1_500, symbol: "AAPL")
        let server = HistoricalBarsServer(bars: ["AAPL": source], pageSize: 400)
        let service = BarFetchService(store: BarStore(directory: dir))
        let later = try await server.serve { port in
            _ = try await service.run(Self.request(["AAPL"], .alpaca, through: source[999]), client: Self.alpaca(server, port))
            let requestsBefore = server.log.count
            let report = try await service.run(Self.request(["AAPL"], .alpaca, through: source[1_499]), client: Self.alpaca(server, port))
            // The second run starts right after the stored bars.
            #expect(server.log[requestsBefore].query["start"] == source[1_000].timestamp.iso8601() + "Z")
            return report
        }
        #expect(later.symbols[0].added == 500)
        #expect(barDifference(try Self.stored(service.store, "AAPL"), source) == nil)
    }

    @Test func duplicatesAndGapsTheVenueSendsAreReported() async throws {
        let dir = try Self.storeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var holes = try Self.bars(1_000, symbol: "MSFT")
        holes.removeSubrange(500..<560)  // an hour missing
        holes.removeSubrange(100..<102)  // two minutes missing
        let source = holes
        let server = HistoricalBarsServer(bars: ["MSFT": source], pageSize: 300, repeatEdges: true)
        let service = BarFetchService(store: BarStore(directory: dir))
        let report = try await server.serve { port in
            try await service.run(Self.request(["MSFT"], .alpaca, through: source.last!), client: Self.alpaca(server, port))
        }
        let msft = report.symbols[0]
        #expect(msft.duplicates == 3, "each page after the first repeats the bar before it")
        #expect(msft.added == source.count)
        #expect(msft.gaps == 2)
        // The longest: the bars of minutes 500 to 559 after the first.
        let minute = 60 * Timestamp.nanosPerSecond
        #expect(msft.longestGaps.first?.from == Timestamp(nanos: Self.origin.nanos + 500 * minute))
        #expect(msft.longestGaps.first?.to == Timestamp(nanos: Self.origin.nanos + 559 * minute))
        #expect(barDifference(try Self.stored(service.store, "MSFT"), source) == nil)
    }

    @Test(.timeLimit(.minutes(2))) func anInterruptedDownloadResumesAfterTheLastPageReceived() async throws {
        let dir = try Self.storeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try Self.bars(2_000, symbol: "BTC-USD")
        let server = HistoricalBarsServer(bars: ["BTC-USD": source])
        let service = BarFetchService(store: BarStore(directory: dir))
        server.hold(after: 3)
        let report = try await server.serve { port in
            let download = Task { try await service.run(Self.request(["BTC-USD"], .coinbase, through: source.last!), client: Self.coinbase(port)) }
            await server.waitForRequests(4)  // three windows answered, the fourth left hanging
            download.cancel()
            await #expect(throws: CancellationError.self) { try await download.value }
            #expect(try service.store.open(symbol: "BTC-USD", timeframe: .minute1) == nil, "nothing stored before the download completes")
            server.hold(after: nil)
            let requestsBefore = server.log.count
            let report = try await service.run(Self.request(["BTC-USD"], .coinbase, through: source.last!), client: Self.coinbase(port))
            #expect(server.log[requestsBefore].query["start"] == String(source[3 * 350].timestamp.nanos / Timestamp.nanosPerSecond))
            return report
        }
        #expect(report.symbols[0].resumed == 3 * 350)
        #expect(report.symbols[0].added == 2_000)
        #expect(barDifference(try Self.stored(service.store, "BTC-USD"), source) == nil)
    }

    @Test func aSymbolThatFailsDoesNotStopTheOthers() async throws {
        let dir = try Self.storeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try Self.bars(100, symbol: "AAPL")
        let server = HistoricalBarsServer(bars: ["AAPL": source])
        let service = BarFetchService(store: BarStore(directory: dir))
        let report = try await server.serve { port in
            try await service.run(Self.request(["NOPE", "AAPL"], .alpaca, through: source.last!), client: Self.alpaca(server, port))
        }
        #expect(report.symbols[1].added == 100)
        #expect(report.failed.map(\.symbol) == ["NOPE"])
        #expect(report.failed.first?.error?.contains("alpaca has no 1m bars of NOPE") == true)
        await #expect { try await service.run(BarFetchRequest(symbols: ["X"], source: .coinbase, timeframe: .hour4, start: Self.origin, end: Self.origin),
                                              client: Self.coinbase(1)) }
            throws: { ($0 as? AppError)?.message.contains("--timeframe: coinbase has candles of") == true }
    }

    /// Daily stock bars are stamped at New York's midnight: 04:00 or 05:00 UTC. A 25-hour step
    /// across a change of daylight saving time is no gap; a missing day is one.
    @Test func barsAnHourOffTheirGridAreNoGap() {
        let day = Timestamp.nanosPerDay, hour = 3_600 * Timestamp.nanosPerSecond
        let t = [4 * hour, day + 4 * hour, 2 * day + 5 * hour, 3 * day + 5 * hour, 5 * day + 5 * hour]
        var report = SymbolFetchReport(symbol: "SPY", stored: "SPY")
        BarFetchService(store: BarStore(directory: "/nonexistent")).countGaps(
            t, BarFetchRequest(symbols: ["SPY"], source: .alpaca, timeframe: .day1, start: Timestamp(nanos: 0), end: Timestamp(nanos: 6 * day)), into: &report)
        #expect(report.gaps == 1)
        #expect(report.longestGaps.first?.from == Timestamp(nanos: 4 * day + 5 * hour))
        #expect(report.longestGaps.first?.to == Timestamp(nanos: 4 * day + 5 * hour))
    }
}
