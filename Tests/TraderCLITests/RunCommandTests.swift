import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `gpt-trader run`: the bots of a bot file side by side, under one graceful shutdown.
extension CLIProcessTests {
    static let twoBots = """
        bots:
          - name: fast-goog
            symbol: GOOG
            strategy: momentum
            risk: none
          - name: fast-synth
            synthetic: { bars: 3000, seed: 9, timeframe: 1h }
            strategy: scalp
        """

    @Test func runsEveryBotOfTheFileToItsEnd() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let file = try temporaryFile("bots.yaml", Self.twoBots)
        let r = try run(["run", "--mode", "paper", "--bot", file, "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["bot"] as? String } == ["fast-goog", "fast-synth"])
        #expect(rows.allSatisfy { $0["ended"] as? String == "feed-ended" })
        #expect(rows.first?["bars"] as? Int == 2148 && rows.last?["bars"] as? Int == 3000)

        // Without risk rules, the GOOG bot is the backtest of the same strategy.
        let backtest = try run(["backtest", "--strategy", "momentum", "--output", "json", "--no-save"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(backtest.stdout.utf8)) as? [String: Any])
        let metrics = try #require(doc["metrics"] as? [String: Any])
        #expect(metrics["equity_final"] as? Double == rows.first?["equity_final"] as? Double)

        let listed = try run(["bots", "list", "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        #expect(listed.stdout.contains("\"fast-goog\"") && listed.stdout.contains("\"fast-synth\""))
        let status = try run(["bots", "status", "fast-synth", "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        #expect(status.stdout.contains("\"--only\"") && status.stdout.contains("\"fast-synth\""), "resume runs the bot alone: \(status.stdout)")
    }

    /// SIGTERM shuts the group down gracefully: every bot stops, reports, and the command exits 0.
    @Test func sigtermStopsEveryBotGracefully() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        // A daily GOOG bar every 10 ms, an hourly synthetic bar every 10 ms: far from their ends.
        let slow = """
            bots:
              - name: fast-goog
                symbol: GOOG
                strategy: scalp
                speed: 8640000
              - name: fast-synth
                synthetic: { bars: 3000, seed: 9, timeframe: 1h }
                strategy: scalp
                speed: 360000
            """
        let file = try temporaryFile("slow.yaml", slow)
        let running = try Subprocess.start(Self.executable.path, ["run", "--mode", "paper", "--bot", file, "--no-color"],
                                           environment: Self.environment(["GPT_TRADER_HOME": home]), directory: Self.root.path, resetSignals: true)
        let trading = running.waitForOutput(containing: " GOOG @ ") && running.waitForOutput(containing: " SYNTH @ ")
        running.signal(trading ? SIGTERM : SIGKILL)
        let r = running.wait()
        try #require(trading, "both bots must trade first: \(r.stdout.suffix(400)) \(r.stderr)")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("[fast-goog] stopped: session ended after"))
        #expect(r.stdout.contains("[fast-synth] stopped: session ended after"))
        let listed = try run(["bots", "list", "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        #expect(!listed.stdout.contains("\"running\"") && !listed.stdout.contains("\"lost\""), "\(listed.stdout)")
    }

    @Test func liveModeRefusesWithoutCredentialsOrConfirmation() throws {
        let file = try temporaryFile("live.yaml", "bots:\n  - name: real\n    broker: alpaca\n    feed: alpaca\n")
        let bare = try run(["run", "--mode", "live", "--bot", file],
                           environment: ["APCA_API_KEY_ID": "", "APCA_API_SECRET_KEY": ""])
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("live mode needs the venue's API keys in the environment, and APCA_API_KEY_ID and APCA_API_SECRET_KEY are not set (refusing to start)"), "\(bare.stderr)")
        let unconfirmed = try run(["run", "--mode", "live", "--bot", file], environment: ["APCA_API_KEY_ID": "k", "APCA_API_SECRET_KEY": "s"])
        #expect(unconfirmed.status == 2 && unconfirmed.stderr.contains("confirm with --yes"))
        let paperBroker = try temporaryFile("paper.yaml", "bots:\n  - name: p\n    broker: paper\n")
        let notVenue = try run(["run", "--mode", "live", "--bot", paperBroker, "--yes"])
        #expect(notVenue.status == 2 && notVenue.stderr.contains("live mode needs a venue broker (alpaca or coinbase), not 'paper'"))
        let bad = try run(["run", "--mode", "paper", "--bot", try temporaryFile("bad.yaml", "bots:\n  - name: x\n    speed: fast\n")])
        #expect(bad.status == 2 && bad.stderr.contains("bad.yaml:3:12: speed: must be max or a positive decimal number"), "\(bad.stderr)")
    }
}

extension CLIProcessTests {
    /// A bot whose guard halted its entries keeps running (exits still work): it shows as halted
    /// and `bots stop` still stops it.
    @Test func aHaltedBotCanStillBeStopped() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-halt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        // 50 of capital buys no GOOG share: every entry is refused, and the burst guard trips.
        // A bar every 0.1 s: the bot runs for minutes, far longer than the test needs it to.
        let file = try temporaryFile("halt.yaml", """
            bots:
              - name: broke
                symbol: GOOG
                strategy: scalp
                capital: 50
                speed: 864000
                risk: none
                guards: { rejection_burst: 2/20, on_breach: halt-entries }
            """)
        let running = try Subprocess.start(Self.executable.path, ["run", "--mode", "paper", "--bot", file, "--no-color"],
                                           environment: Self.environment(["GPT_TRADER_HOME": home]), directory: Self.root.path, resetSignals: true)
        let halted = await running.waitForOutput(containing: "[broke] halted: rejection-burst")
        // The status is written with the next heartbeat (200 ms): wait for it, at most a minute.
        var shown = ""
        let deadline = ContinuousClock.now + .seconds(60)
        while halted, ContinuousClock.now < deadline {
            shown = try run(["bots", "list", "--output", "json"], environment: ["GPT_TRADER_HOME": home]).stdout
            if shown.contains("\"halted\"") { break }
        }
        let stop = try run(["bots", "stop", "broke"], environment: ["GPT_TRADER_HOME": home])
        if !halted || stop.status != 0 { running.signal(SIGKILL) }
        let r = await running.output()
        try #require(halted, "no halt: \(r.stdout.suffix(400)) \(r.stderr)")
        #expect(shown.contains("\"halted\""), "\(shown)")
        #expect(stop.status == 0 && stop.stdout.contains("broke stopped after"), "\(stop.stderr)")
        #expect(r.status == 0 && r.stdout.contains("[broke] stop-requested: session ended after"), "\(r.stderr)")
    }
}
