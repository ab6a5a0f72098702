import Foundation
import Synchronization
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A bot trading at a venue (a local server speaking Alpaca's trading API), killed with SIGKILL
/// at the three points of the order protocol where a crash hurts, and resumed each time, ends
/// with the venue holding exactly the orders, fills and position of a run never interrupted, and
/// its own books equal to that run's.
extension CLIProcessTests {
    /// The venue's orders as comparable text, in the order they were placed (client order ids
    /// differ between bots, so they are left out).
    static func venueBook(_ server: AlpacaTradingServer) -> [String] {
        server.orders.map { "\($0.side) \($0.type) \($0.qty) \($0.filledQty) \($0.filledAvg ?? 0) \($0.status)" }
    }

    @Test func aBotKilledAroundItsOrdersResumesWithoutLosingOrDoublingOne() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-venue-recovery-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = Self.environment(["GPT_TRADER_HOME": home, "APCA_API_KEY_ID": "trade-key", "APCA_API_SECRET_KEY": "trade-secret"])
        // A bar a millisecond; fills come in two parts (two looks at an order), so that a kill
        // can fall between them.
        @Sendable func options(_ port: Int, bot: String) -> [String] {
            ["paper", "--bot", bot, "--feed", "replay", "--speed", "86400000", "--strategy", "sma-crossover", "--fast", "5", "--slow", "20",
             "--broker", "alpaca", "--broker-url", "http://127.0.0.1:\(port)", "--no-color", "--trades"]
        }

        let reference = AlpacaTradingServer(price: 1, cash: 1e9, fillSteps: 2)
        let want = try await reference.serve { port in
            let r = try Subprocess.start(Self.executable.path, options(port, bot: "steady"), environment: env, directory: Self.root.path)
            return await r.output()
        }
        #expect(want.status == 0, "\(want.stderr)")
        let wanted = Self.venueBook(reference)
        try #require(wanted.count >= 8, "the reference must trade past the kill points: \(wanted)")

        // Kill points, in order: before the venue sees the 2nd order; after it placed the 4th,
        // before its answer; after the first half of the 6th order's fill was reported.
        enum Kill { case beforeSubmit(Int), afterSubmit(Int), betweenFills(Int) }
        let server = AlpacaTradingServer(price: 1, cash: 1e9, fillSteps: 2)
        let kills: [Kill] = [.beforeSubmit(2), .afterSubmit(4), .betweenFills(6)]
        let outputs = try await server.serve { port in
            var outputs: [Subprocess.Output] = []
            for (round, kill) in kills.enumerated() {
                let running = try Subprocess.start(Self.executable.path, options(port, bot: "crashy") + (round == 0 ? [] : ["--resume"]),
                                                   environment: env, directory: Self.root.path, resetSignals: true)
                let killed = KillSwitch()
                server.onRequest { method, path, moment in
                    let placed = server.orders.count
                    let due: Bool
                    switch kill {
                    case let .beforeSubmit(n): due = method == "POST" && moment == .before && placed == n - 1
                    case let .afterSubmit(n): due = method == "POST" && moment == .after && placed == n
                    case let .betweenFills(n):
                        due = method == "GET" && path.hasPrefix("/v2/orders:by") && moment == .after && placed == n
                            && server.orders.last?.status == "partially_filled"
                    }
                    guard due, !killed.fired.exchange(true, ordering: .relaxed) else { return killed.fired.load(ordering: .relaxed) ? .abandon : .proceed }
                    running.signal(SIGKILL)
                    return .abandon
                }
                let r = await running.output()
                server.onRequest(nil)
                let fired = killed.fired.load(ordering: .relaxed)
                try #require(fired, "round \(round): the bot ended before its kill point: \(r.stdout.suffix(400)) \(r.stderr)")
                #expect(r.signaled && r.status == 128 + SIGKILL)
                outputs.append(r)
            }
            let resumed = try Subprocess.start(Self.executable.path, ["bots", "resume", "crashy"], environment: env, directory: Self.root.path)
            outputs.append(await resumed.output())
            return outputs
        }
        let last = try #require(outputs.last)
        #expect(last.status == 0, "\(last.stderr)")
        #expect(Self.venueBook(server) == wanted, "the venue's orders")
        #expect(server.position("GOOG") == reference.position("GOOG"))
        // The bot's books: every order with the reference's quantity, fills and status, the same
        // position. Fills the venue made while the bot was down come back as one (the venue's
        // cumulative view): the order killed between its fills books both halves at once.
        let got = try await Self.book(of: "crashy", in: home), steady = try await Self.book(of: "steady", in: home)
        let terms = { (orders: [String]) in orders.map { $0.split(separator: " ").enumerated().filter { $0.offset != 1 }.map(\.element).joined(separator: " ") } }
        #expect(terms(got.orders) == terms(steady.orders))
        #expect(got.positions == steady.positions)
        let total = { (fills: [String]) in fills.reduce(0.0) { $0 + Double($1.split(separator: " ")[1])! } }
        #expect(total(got.fills) == total(steady.fills))
        #expect(got.fills.count == steady.fills.count - 1, "one pair of partial fills booked as one")
        let summary = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("Equity Final") || $0.hasPrefix("# Trades") } }
        #expect(summary(last.stdout).count == 2)
        #expect(summary(last.stdout) == summary(want.stdout))
    }
}

/// Whether a test's kill was sent (a kill is sent once; what the dead client still sends is dropped).
final class KillSwitch: Sendable {
    let fired = Atomic<Bool>(false)
}
