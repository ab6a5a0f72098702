import Foundation
import TestSupport
import Testing
import TraderCore
#if canImport(Glibc)
import Glibc
#endif

/// `gpt-trader paper` as a user runs it.
extension CLIProcessTests {
    /// A replay at full speed prints byte for byte the JSON report `backtest` prints for the same
    /// bars and options.
    @Test(arguments: [
        ["--strategy", "sma-crossover"],
        ["--strategy", "mean-reversion", "--data", "data/sample/EURUSD.csv", "--long-short", "--stop-loss", "0.02"],
        ["--strategy", "ensemble", "--fill", "close", "--close-at-end"],
        ["--strategy", "momentum", "--synthetic", "3000", "--timeframe", "1h", "--commission", "0.002"],
        // 0.002 % of GOOG's daily volume (at least 858,700) is 17 shares or more a day: orders fill in parts.
        ["--strategy", "sma-crossover", "--volume-limit", "0.00002"],
    ])
    func paperReplayPrintsTheBacktestReport(options: [String]) throws {
        let backtest = try run(["backtest", "--output", "json", "--no-save", "--trades"] + options)
        let paper = try run(["paper", "--feed", "replay", "--speed", "max", "--output", "json", "--no-save", "--trades"] + options)
        #expect(backtest.status == 0, "\(backtest.stderr)")
        #expect(paper.status == 0, "\(paper.stderr)")
        #expect(paper.stdout == backtest.stdout)
        #expect(paper.stdout.contains("\"trades\""))
    }

    /// A synthetic feed at full speed delivers the bars `--synthetic N` backtests.
    @Test func syntheticFeedAtFullSpeedIsTheSyntheticBacktest() throws {
        let options = ["--synthetic", "2000", "--timeframe", "1m", "--strategy", "scalp", "--output", "json", "--no-save"]
        let backtest = try run(["backtest"] + options)
        let paper = try run(["paper", "--feed", "synthetic", "--speed", "max"] + options)
        #expect(paper.status == 0, "\(paper.stderr)")
        #expect(paper.stdout == backtest.stdout)
    }

    /// SIGTERM (and SIGINT) stop a paced session gracefully: it reports on the bars it traded
    /// and exits 0.
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalStopsTheSessionWithAReport(signal sig: Int32) throws {
        let running = try Subprocess.start(Self.executable.path,
                                           ["paper", "--feed", "synthetic", "--synthetic", "1000000", "--timeframe", "1m",
                                            "--speed", "60000", "--strategy", "scalp", "--no-save", "--no-color"],
                                           environment: Self.environment(), directory: Self.root.path, resetSignals: true)
        // A fill line means the session is trading (bars arrive every millisecond).
        let trading = running.waitForOutput(containing: " buy ")
        running.signal(trading ? sig : SIGKILL)
        let r = running.wait()
        try #require(trading, "the session never traded: \(r.stdout) \(r.stderr)")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("stopped: session ended after"))
        #expect(r.stdout.contains("Return [%]"), "the report follows")
    }

    @Test func badPaperOptionsNameTheOption() throws {
        let feed = try run(["paper", "--feed", "bloomberg"])
        #expect(feed.status == 2)
        #expect(feed.stderr.contains("--feed must be one of replay, synthetic, coinbase, alpaca, got 'bloomberg'"))
        let speed = try run(["paper", "--speed", "-3"])
        #expect(speed.status == 2)
        #expect(speed.stderr.contains("--speed must be max or a positive decimal number"))
        let hex = try run(["paper", "--speed", "0x10", "--no-save"])
        #expect(hex.status == 2 && hex.stderr.contains("--speed must be max or a positive decimal number, got '0x10'"))
        let bot = try run(["paper", "--bot", "my bot"])
        #expect(bot.status == 2)
        #expect(bot.stderr.contains("--bot may hold only letters, digits"))
        let venue = try run(["paper", "--feed", "coinbase", "--data", "data/sample/GOOG.csv", "--no-save"])
        #expect(venue.status == 2)
        #expect(venue.stderr.contains("--feed coinbase streams a product's trades: give --symbol (BTC-USD), not --data or --synthetic"), "\(venue.stderr)")
        let badURL = try run(["paper", "--feed", "coinbase", "--symbol", "BTC-USD", "--feed-url", "http://x", "--no-save"])
        #expect(badURL.status == 2 && badURL.stderr.contains("--feed-url must be a ws:// or wss:// address, got 'http://x'"))
        let synthetic = try run(["paper", "--feed", "synthetic", "--no-save"])
        #expect(synthetic.status == 2)
        #expect(synthetic.stderr.contains("--feed synthetic: give --synthetic N"))
    }
}

/// `paper --feed alpaca` against a local server speaking Alpaca's market-data stream.
extension CLIProcessTests {
    @Test func paperTradesAlpacasLiveMinuteBars() async throws {
        let start = Timestamp(year: 2024, month: 3, day: 4, hour: 14, minute: 30).nanos
        let closes = (0..<200).map { 100 + 10 * sin(Double($0) / 9) }
        let bars = closes.enumerated().map { i, c in
            Bar(timestamp: Timestamp(nanos: start + Int64(i) * 60_000_000_000), open: c, high: c + 0.5, low: c - 0.5, close: c, volume: 1000)
        }
        // The connection drops after 120 bars; the next one repeats ten and goes on, then idles.
        let server = AlpacaStreamServer(symbol: "AAPL", bars: bars) { n in n == 0 ? (Array(0..<120), true) : (Array(110..<200), false) }
        let output = try await server.serve { port in
            let running = try Subprocess.start(Self.executable.path,
                                               ["paper", "--feed", "alpaca", "--feed-url", "ws://127.0.0.1:\(port)/v2/iex", "--symbol", "AAPL",
                                                "--strategy", "sma-crossover", "--fast", "5", "--slow", "15", "--no-save", "--no-color"],
                                               environment: Self.environment(["APCA_API_KEY_ID": server.key, "APCA_API_SECRET_KEY": server.secret]),
                                               directory: Self.root.path, resetSignals: true)
            // SMA 5/15 on these bars fills at bars 50, 78, 107, 135, 163 and 191 (computed by hand
            // with pandas-style means); the fifth is past the reconnection at bar 120.
            let traded = await running.waitForOutput(containing: " AAPL @ ", occurrences: 5)
            running.signal(traded ? SIGTERM : SIGKILL)
            return (await running.output(), traded)
        }
        let (r, traded) = output
        try #require(traded, "the session did not trade on the stream: \(r.stdout.suffix(400)) \(r.stderr)")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("[paper-AAPL-sma-crossover] started: paper session on AAPL 1m"))
        #expect(r.stdout.contains("Return [%]"))
        #expect(server.connections.load(ordering: .relaxed) == 2, "the feed reconnected once")

        let noKeys = try run(["paper", "--feed", "alpaca", "--symbol", "AAPL", "--no-save"], environment: ["APCA_API_KEY_ID": "", "APCA_API_SECRET_KEY": ""])
        #expect(noKeys.status == 2 && noKeys.stderr.contains("--feed alpaca needs Alpaca's API keys"), "\(noKeys.stderr)")
    }
}

extension CLIProcessTests {
    /// `paper --broker alpaca` sends the strategy's orders to Alpaca's trading API (here a local
    /// server speaking it) and books the fills the venue reports.
    @Test func paperTradesAtAlpacasBrokerFromTheCommandLine() async throws {
        // The venue fills at its own price, whatever the replayed bars say: low enough here that
        // the bot never runs out of money.
        let server = AlpacaTradingServer(price: 1, cash: 1e9)
        let (r, log, orders, held) = try await server.serve { port in
            let running = try Subprocess.start(Self.executable.path,
                                               ["paper", "--feed", "replay", "--broker", "alpaca", "--broker-url", "http://127.0.0.1:\(port)",
                                                "--strategy", "sma-crossover", "--output", "json", "--trades", "--no-save"],
                                               environment: Self.environment(["APCA_API_KEY_ID": server.key, "APCA_API_SECRET_KEY": server.secret]),
                                               directory: Self.root.path)
            return (await running.output(), server.log, server.orders, server.position("GOOG"))
        }
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout.prefix(300))")
        let trades = try #require(report["trades"] as? [[String: Any]])
        let open = try #require(report["open_trades"] as? [[String: Any]])
        #expect(log.first == "GET /v2/account", "the broker's health is checked first")
        #expect(trades.count > 5)
        // Every trade entered and exited at the venue's price, each order once.
        #expect(trades.allSatisfy { $0["entry_price"] as? Double == 1 && $0["exit_price"] as? Double == 1 })
        #expect(orders.count == 2 * trades.count + open.count)
        #expect(Set(orders.map(\.clientOrderID)).count == orders.count)
        #expect(orders.allSatisfy { $0.status == "filled" })
        #expect(held == open.reduce(0) { $0 + ($1["size"] as? Double ?? 0) })

        let refused = try await server.serve { port in
            let running = try Subprocess.start(Self.executable.path,
                                               ["paper", "--broker", "alpaca", "--broker-url", "http://127.0.0.1:\(port)", "--no-save"],
                                               environment: Self.environment(["APCA_API_KEY_ID": server.key, "APCA_API_SECRET_KEY": "wrong"]),
                                               directory: Self.root.path)
            return await running.output()
        }
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("alpaca broker: alpaca: the credentials were refused: request is not authorized"), "\(refused.stderr)")
    }
}
