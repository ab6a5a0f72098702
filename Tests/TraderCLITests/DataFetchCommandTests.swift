import Foundation
import TestSupport
import Testing
import TraderCore
import TraderData
#if canImport(Glibc)
import Glibc
#endif

/// `gpt-trader data fetch` as a user runs it, against a local server speaking the venues'
/// historical-bars endpoints: a download killed with SIGKILL mid-way resumes where it stopped
/// when run again, and bad options are one clear line each.
extension CLIProcessTests {
    @Test(.timeLimit(.minutes(3))) func aDownloadKilledMidwayResumesWhereItStopped() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-fetch-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let origin = Timestamp(nanos: 1_704_067_200 * Timestamp.nanosPerSecond)  // 2024-01-01
        let series = try SyntheticBars.generate(symbol: "BTC-USD", bars: 3_000, seed: 5, start: origin, timeframe: .minute1)
        let source = (0..<series.count).map { series[$0] }
        let server = HistoricalBarsServer(bars: ["BTC-USD": source])
        server.hold(after: 4)
        let env = Self.environment()
        let (killed, resumed) = try await server.serve { port in
            let arguments = ["data", "fetch", "BTC-USD", "--source", "coinbase", "--url", "http://127.0.0.1:\(port)", "--timeframe", "1m",
                             "--start", "2024-01-01", "--end", source.last!.timestamp.iso8601(), "--store", dir, "--output", "json"]
            let running = try Subprocess.start(Self.executable.path, arguments, environment: env, directory: Self.root.path)
            await server.waitForRequests(5)  // four windows answered and kept, the fifth left hanging
            running.signal(SIGKILL)
            let killed = await running.output()
            server.hold(after: nil)
            let before = server.log.count
            let resumed = try Subprocess.run(Self.executable.path, arguments, environment: env, directory: Self.root.path)
            #expect(server.log[before].query["start"] == String(source[4 * 350].timestamp.nanos / Timestamp.nanosPerSecond),
                    "the second run asks from the first bar not yet received")
            return (killed, resumed)
        }
        #expect(killed.signaled)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any]
        let symbol = try #require((report?["symbols"] as? [[String: Any]])?.first)
        #expect(symbol["added"] as? Int == 3_000)
        #expect(symbol["resumed"] as? Int == 4 * 350)
        #expect(symbol["bars"] as? Int == 3_000)
        let stored = try #require(try BarStore(directory: dir).open(symbol: "BTC-USD", timeframe: .minute1)).load()
        #expect(stored.count == source.count && (0..<stored.count).allSatisfy { stored[$0] == source[$0] }, "the store holds the venue's bars")
    }

    @Test func badFetchOptionsAreOneClearLine() throws {
        let env = Self.environment(["APCA_API_KEY_ID": "", "APCA_API_SECRET_KEY": ""])
        let cases: [([String], String)] = [
            (["--source", "kraken"], "--source must be one of alpaca, coinbase, got 'kraken'"),
            (["--source", "alpaca"], "APCA_API_KEY_ID or APCA_API_SECRET_KEY is not set"),
            (["--source", "coinbase", "--timeframe", "4h"], "--timeframe: coinbase has candles of 1m, 5m, 15m, 30m, 1h, 2h, 6h and 1d, not 4h"),
            (["--source", "coinbase", "--start", "2024-02-01", "--end", "2024-01-01"], "--start 2024-02-01 is after --end"),
            (["--source", "coinbase", "--url", "ftp://x"], "--url must be an http:// or https:// address"),
        ]
        for (options, message) in cases {
            let r = try Subprocess.run(Self.executable.path, ["data", "fetch", "BTC-USD"] + options + ["--store", "/nonexistent-store"],
                                       environment: env, directory: Self.root.path)
            #expect(r.status == 2, "\(options): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(options): \(r.stderr)")
        }
    }
}
