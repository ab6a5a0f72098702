import Foundation
import TestSupport
import Testing
import TraderStore
import TraderCore
#if canImport(Glibc)
import Glibc
#endif

/// A paper bot killed with SIGKILL and resumed ends with the orders, fills and positions of a
/// run that was never interrupted, and the same report.
extension CLIProcessTests {
    /// The bot's orders, fills and positions as comparable text, ordered by time (ids differ
    /// between bots, so they are left out).
    static func book(of bot: String, in home: String) async throws -> (orders: [String], fills: [String], positions: [String]) {
        let store = try await SQLiteRunStore.open(path: home + "/runs.sqlite")
        defer { Task { try? await store.close() } }
        let orders = try await store.orders(botID: bot, openOnly: false, limit: 1_000_000).sorted {
            ($0.createdAt, $0.updatedAt, $0.side.description) < ($1.createdAt, $1.updatedAt, $1.side.description)
        }
        var fills: [String] = []
        for o in orders {
            for f in try await store.fills(orderID: o.id) { fills.append("\(f.at) \(f.quantity) \(f.price) \(f.commission)") }
        }
        return (orders.map { "\($0.createdAt) \($0.updatedAt) \($0.side) \($0.type) \($0.quantity) \($0.status.rawValue) \($0.filledQuantity) \(String(describing: $0.averageFillPrice))" },
                fills.sorted(), try await store.positions(botID: bot).map { "\($0.symbol) \($0.quantity) \($0.averagePrice)" })
    }

    @Test(arguments: [["--strategy", "scalp"], ["--strategy", "mean-reversion", "--long-short", "--stop-loss", "0.03", "--commission", "0.002"]])
    func aKilledBotResumesToTheUninterruptedResult(strategy: [String]) async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-recovery-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = Self.environment(["GPT_TRADER_HOME": home])
        // One daily bar a millisecond: the whole GOOG sample (2,148 bars) in about two seconds.
        let options = ["--feed", "replay", "--speed", "86400000", "--no-color", "--trades"] + strategy

        let reference = try Subprocess.run(Self.executable.path, ["paper", "--bot", "reference"] + options,
                                           environment: env, directory: Self.root.path)
        #expect(reference.status == 0, "\(reference.stderr)")

        // Killed after its 12th fill and, resumed, again after 40 more; the last resume runs to the end.
        var fillsSeen = 0
        for (round, fills) in [12, 40].enumerated() {
            let args = ["paper", "--bot", "crashy"] + options + (round == 0 ? [] : ["--resume"])
            let running = try Subprocess.start(Self.executable.path, args, environment: env, directory: Self.root.path, resetSignals: true)
            // Fill lines read "[bot] DATE buy|sell N GOOG @ PRICE".
            let reached = await running.whenOutput(containing: " GOOG @ ", occurrences: fills) { reached in
                running.signal(SIGKILL)
                return reached
            }
            let r = await running.output()
            try #require(reached, "round \(round): the bot ended before \(fills) fills: \(r.stdout.suffix(500)) \(r.stderr)")
            #expect(r.signaled && r.status == 128 + SIGKILL)
            fillsSeen += fills
        }
        let lost = try run(["bots", "list", "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        #expect(lost.stdout.contains("\"lost\""), "a killed bot shows as lost: \(lost.stdout)")
        // Where the store says the bot was: a kill may land before the session's first journal
        // entry of a round (they are grouped), and then the resume starts from the last one.
        let store = try await SQLiteRunStore.open(path: home + "/runs.sqlite")
        let checkpointed = try await store.latestCheckpoint(botID: "crashy").map { $0.state.contains("\"bars\": 0,") == false } ?? false
        try await store.close()
        let resumed = try run(["bots", "resume", "crashy"], environment: ["GPT_TRADER_HOME": home])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        if checkpointed {
            #expect(resumed.stdout.contains("resumed: paper session on GOOG 1d resumed after"), "\(resumed.stdout.prefix(300))")
        } else {
            #expect(resumed.stdout.contains("started: paper session on GOOG 1d"), "\(resumed.stdout.prefix(300))")
        }

        let want = try await Self.book(of: "reference", in: home)
        let got = try await Self.book(of: "crashy", in: home)
        #expect(want.fills.count > fillsSeen, "the reference must trade past the kill points")
        #expect(got.fills == want.fills)
        #expect(got.orders == want.orders)
        #expect(got.positions == want.positions)
        // The resumed session's report covers every bar, as the uninterrupted one's (the lines
        // that are not live events, "[bot] ...").
        let report = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("[") } }
        #expect(report(resumed.stdout).count > 30)
        #expect(report(resumed.stdout) == report(reference.stdout))
    }

    /// `bots stop` from another process ends a running bot; `--flatten` closes its position first,
    /// and a resume after that carries on flat.
    @Test func botsStopIsAKillSwitchFromAnotherProcess() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-stop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = Self.environment(["GPT_TRADER_HOME": home])
        let running = try Subprocess.start(Self.executable.path,
                                           ["paper", "--bot", "stoppable", "--feed", "replay", "--speed", "8640000", "--strategy", "sma-crossover",
                                            "--fast", "3", "--slow", "8", "--no-color"],
                                           environment: env, directory: Self.root.path, resetSignals: true)
        // The stop is sent from the waiting thread as soon as the bot has bought.
        let (bought, stop) = await running.whenOutput(containing: " buy ") { bought in
            (bought, try? self.run(["bots", "stop", "stoppable", "--flatten"], environment: ["GPT_TRADER_HOME": home]))
        }
        let stopped = try #require(stop, "bots stop did not run")
        let r = await running.output()
        try #require(bought, "the bot never bought: \(r.stdout.suffix(300)) \(r.stderr)")
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(stopped.stdout.contains("stoppable stopped after"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("flattened: session ended after"))
        let status = try run(["bots", "status", "stoppable", "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(doc["status"] as? String == "stopped")
        #expect((doc["positions"] as? [Any])?.isEmpty == true, "flattened: no position left")
        #expect((doc["open_orders"] as? [Any])?.isEmpty == true, "flattened: nothing working")
        let again = try run(["bots", "stop", "stoppable"], environment: ["GPT_TRADER_HOME": home])
        #expect(again.status == 2 && again.stderr.contains("bot 'stoppable' is not running (stopped)"))
        let nobody = try run(["bots", "status", "nobody"], environment: ["GPT_TRADER_HOME": home])
        #expect(nobody.status == 2 && nobody.stderr.contains("no bot 'nobody' in this database"))
    }
}

extension CLIProcessTests {
    /// A bot whose venue feed has gone quiet (a market closed overnight) still beats and takes
    /// `bots stop` at once: its own heartbeat task brings the request and interrupts the feed.
    @Test(.timeLimit(.minutes(2))) func botsStopReachesABotOnAQuietFeed() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-quiet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        // Flat at 100, 95 on the 29th bar, 110 on the 30th and last: SMA 2/4 crosses up there
        // (fast 102.5 over slow 101.25, from 97.5 under 98.75), and the fill at that bar's close
        // says the bot has taken every bar; then the stream says nothing more.
        let start = Timestamp(year: 2024, month: 3, day: 4, hour: 14, minute: 30).nanos
        let bars = (0..<30).map { i -> Bar in
            let c = i == 29 ? 110.0 : i == 28 ? 95 : 100
            return Bar(timestamp: Timestamp(nanos: start + Int64(i) * 60_000_000_000), open: c, high: c + 0.5, low: min(c, 100) - 0.5, close: c, volume: 1000)
        }
        let server = AlpacaStreamServer(symbol: "AAPL", bars: bars) { _ in (Array(0..<30), false) }
        let env = Self.environment(["GPT_TRADER_HOME": home, "APCA_API_KEY_ID": server.key, "APCA_API_SECRET_KEY": server.secret])
        let (r, stop) = try await server.serve { port in
            let running = try Subprocess.start(Self.executable.path,
                                               ["paper", "--bot", "quiet", "--feed", "alpaca", "--feed-url", "ws://127.0.0.1:\(port)/v2/iex",
                                                "--symbol", "AAPL", "--strategy", "sma-crossover", "--fast", "2", "--slow", "4", "--fill", "close",
                                                "--no-color"],
                                               environment: env, directory: Self.root.path, resetSignals: true)
            let (took, stop) = await running.whenOutput(containing: " AAPL @ ") { took in
                (took, took ? try? self.run(["bots", "stop", "quiet", "--timeout", "30"], environment: ["GPT_TRADER_HOME": home]) : nil)
            }
            // A bot that did not stop (or never took the bars) is ended here, so the test fails instead of waiting.
            if !took || stop?.status != 0 { running.signal(SIGKILL) }
            return (await running.output(), stop)
        }
        let stopped = try #require(stop, "the bot did not take the bars, or bots stop did not run: \(r.stdout.suffix(400)) \(r.stderr)")
        #expect(stopped.status == 0, "\(stopped.stdout) \(stopped.stderr)")
        #expect(stopped.stdout.contains("quiet stopped after"), "\(stopped.stdout)")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("stop-requested: session ended after 30 bars"), "\(r.stdout.suffix(600))")
    }

    /// A replay of daily bars at real speed waits a day between bars: `bots stop` still ends it
    /// at once (the quiet heartbeat brings the request and interrupts the replay's wait).
    @Test(.timeLimit(.minutes(2))) func botsStopEndsAPacedReplayBetweenBars() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-paced-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let running = try Subprocess.start(Self.executable.path,
                                           ["paper", "--bot", "paced", "--data", "data/sample/GOOG.csv", "--speed", "1", "--strategy", "sma-crossover",
                                            "--no-color"],
                                           environment: Self.environment(["GPT_TRADER_HOME": home]), directory: Self.root.path, resetSignals: true)
        let (started, stop) = await running.whenOutput(containing: "[paced] started") { started in
            (started, started ? try? self.run(["bots", "stop", "paced", "--timeout", "30"], environment: ["GPT_TRADER_HOME": home]) : nil)
        }
        if !started || stop?.status != 0 { running.signal(SIGKILL) }
        let r = await running.output()
        let stopped = try #require(stop, "the bot did not start, or bots stop did not run: \(r.stdout.suffix(400)) \(r.stderr)")
        #expect(stopped.status == 0, "\(stopped.stdout) \(stopped.stderr)")
        #expect(stopped.stdout.contains("paced stopped after"), "\(stopped.stdout)")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("stop-requested: session ended after 1 bars"), "\(r.stdout.suffix(600))")
    }

    /// A bot's order filled in parts (`--volume-limit`) is journaled `partially_filled` at each
    /// part but the last, with the units it has left, and `filled` at the last.
    @Test func anOrderFilledInPartsIsJournaledPartiallyFilledUntilItsLastPart() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-parts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        // 0.002 % of GOOG's daily volume is 17 shares or more a day: entries of ~50 shares fill in parts.
        let r = try run(["paper", "--bot", "parts", "--feed", "replay", "--speed", "max", "--strategy", "sma-crossover",
                         "--volume-limit", "0.00002", "--no-color"], environment: ["GPT_TRADER_HOME": home])
        #expect(r.status == 0, "\(r.stderr)")
        let store = try await SQLiteRunStore.open(path: home + "/runs.sqlite")
        let orders = try await store.orders(botID: "parts", openOnly: false, limit: 1_000_000)
        var inParts = 0
        for order in orders where order.status == .filled {
            let history = try await store.orderHistory(id: order.id)
            let fills = try await store.fills(orderID: order.id)
            #expect(history.last?.status == .filled, "\(history)")
            #expect(abs(fills.reduce(0) { $0 + abs($1.quantity) } - order.filledQuantity) < 1e-9)
            guard fills.count > 1 else { continue }
            inParts += 1
            // Every part but the last leaves the order partially filled, with more filled each time.
            let parts = history.filter { $0.status == .partiallyFilled }
            #expect(parts.count == fills.count - 1, "\(history)")
            #expect(parts.map(\.filledQuantity) == parts.map(\.filledQuantity).sorted() && parts.allSatisfy { $0.filledQuantity < order.filledQuantity })
        }
        #expect(inParts > 0, "no order filled in parts: \(orders.count) orders")
        try await store.close()
    }
}
