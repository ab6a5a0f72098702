import Foundation
import Testing
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies
@testable import TraderLive
@testable import TraderStore

/// A paper session's journal in a real SQLite store: packed, complete, and complete again when
/// writes fail for a while.
@Suite struct SessionJournalTests {
    static let session: Int64 = 1_765_000_000_000_000_000

    /// Runs `scalp` (many orders) on GOOG's daily bars as a bot journaled in a fresh store,
    /// whose first `failing` journal writes fail; returns the session's report and what the
    /// store holds of it.
    static func journaledRun(failing: Int) async throws -> (result: BacktestResult, records: SessionRecords, chunks: [JournalChunks.Row],
                                                          open: [StoredOrder], errors: Int) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlite = try await SQLiteRunStore.open(path: directory.appendingPathComponent("runs.sqlite").path)
        let store = FailingJournalStore(store: sqlite, failures: failing)
        try await sqlite.saveBot(BotRecord(id: "journal", mode: "paper", status: .running, pid: nil, host: "test", arguments: [],
                                           startedAt: session, updatedAt: session))
        var journal = SessionJournal(store: store, bot: "journal", symbol: "GOOG", session: session)
        journal.flushRecords = 16  // many writes, so some fail and later ones carry what they held
        let bus = EventBus(bufferSize: 100_000)
        let errors = bus.subscribe()
        var settings = ExecutionSettings()
        settings.initialCapital = 10_000
        let session = PaperSession(bot: "journal", strategy: try StrategySpec(name: "scalp"), settings: settings, bus: bus,
                                   guards: GuardSettings(writeErrors: failing + 1))
        let outcome = try await session.run(ReplayFeed(series: try PaperParityTests.sample("GOOG"), speed: .max), journal: journal)
        bus.finish()
        var writeErrors = 0
        for await event in errors { if case let .system(_, e) = event, e.code == "write-error" { writeErrors += 1 } }
        let records = try await sqlite.sessionRecords(botID: "journal", session: Self.session)
        let chunks = try await sqlite.journalChunks(botID: "journal", session: Self.session)
        let open = try await sqlite.orders(botID: "journal", openOnly: true, limit: 1_000)
        try await sqlite.close()
        return (outcome.result, records, chunks, open, writeErrors)
    }

    @Test(arguments: [0, 3])
    func theStoreHoldsEveryOrderAndFillOfTheSessionOnce(failing: Int) async throws {
        let run = try await Self.journaledRun(failing: failing)
        #expect(run.errors == failing, "write errors published")
        let identity = OrderIdentity(bot: "journal", session: Self.session)
        // Every fill, numbered without a gap, at the prices the session booked.
        #expect(run.result.fills > 50)
        #expect(run.records.fills.map(\.id) == (0..<run.result.fills).map(identity.fill))
        let traded = run.result.trades.flatMap { [$0.entryPrice, $0.exitPrice] } + run.result.openTrades.map(\.entryPrice)
        #expect(Set(run.records.fills.map(\.price)) == Set(traded))
        // Chunks follow each other without a gap or an overlap; none repeats what a failed
        // write carried.
        var next = 0
        for chunk in run.chunks {
            #expect(chunk.first == next, "chunk at \(chunk.first), expected \(next)")
            next = chunk.first + chunk.count
        }
        #expect(run.chunks.count > 3)
        // Orders: every one filled, cancelled or still working, and the working ones are the
        // open rows.
        let orders = run.records.orders
        #expect(orders.allSatisfy { $0.brokerOrderID?.hasPrefix("paper-\(Self.session)-") == true })
        #expect(Set(run.open.map(\.id)) == Set(orders.filter { !$0.isTerminal }.map(\.id)))
        let filled = orders.filter { $0.status == .filled }
        #expect(abs(filled.reduce(0) { $0 + $1.filledQuantity } - run.records.fills.reduce(0) { $0 + abs($1.quantity) }) < 1e-6)
    }

    @Test func theSameSessionJournalsTheSameRecordsWhenWritesFailForAWhile() async throws {
        let clean = try await Self.journaledRun(failing: 0)
        let faulty = try await Self.journaledRun(failing: 3)
        #expect(faulty.records == clean.records)
        #expect("\(faulty.result.metrics)" == "\(clean.result.metrics)")
    }
}

/// The real store, whose next `failures` journal writes fail (a database that is away for a
/// while): everything else goes through.
struct FailingJournalStore: TradingStateStore, BotRegistry {
    let store: SQLiteRunStore
    let remaining: Counter

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int
        init(_ value: Int) { self.value = value }
        /// Whether this call fails (and one failure fewer is left).
        func take() -> Bool { lock.withLock { value > 0 ? { value -= 1; return true }() : false } }
    }

    init(store: SQLiteRunStore, failures: Int) {
        self.store = store
        remaining = Counter(failures)
    }

    func recordJournal(_ entry: JournalEntry) async throws {
        if remaining.take() { throw StoreError.query(operation: "record the journal of \(entry.botID)", reason: "disk I/O error (injected)") }
        try await store.recordJournal(entry)
    }

    func recordOrder(_ order: StoredOrder, detail: String) async throws { try await store.recordOrder(order, detail: detail) }
    func order(id: UUID) async throws -> StoredOrder? { try await store.order(id: id) }
    func orders(botID: String, openOnly: Bool, limit: Int) async throws -> [StoredOrder] { try await store.orders(botID: botID, openOnly: openOnly, limit: limit) }
    func orderHistory(id: UUID) async throws -> [OrderStateChange] { try await store.orderHistory(id: id) }
    func sessionRecords(botID: String, session: Int64) async throws -> SessionRecords { try await store.sessionRecords(botID: botID, session: session) }
    func journalPosition(botID: String, session: Int64) async throws -> JournalPosition { try await store.journalPosition(botID: botID, session: session) }
    func recordFill(_ fill: StoredFill) async throws -> Bool { try await store.recordFill(fill) }
    func fills(orderID: UUID) async throws -> [StoredFill] { try await store.fills(orderID: orderID) }
    func replacePositions(botID: String, with positions: [StoredPosition]) async throws { try await store.replacePositions(botID: botID, with: positions) }
    func positions(botID: String) async throws -> [StoredPosition] { try await store.positions(botID: botID) }
    func saveCheckpoint(id: UUID, botID: String, state: String) async throws -> Int64 { try await store.saveCheckpoint(id: id, botID: botID, state: state) }
    func latestCheckpoint(botID: String) async throws -> StoredCheckpoint? { try await store.latestCheckpoint(botID: botID) }
    func pruneCheckpoints(botID: String, keeping: Int) async throws -> Int { try await store.pruneCheckpoints(botID: botID, keeping: keeping) }
    func saveBot(_ bot: BotRecord) async throws { try await store.saveBot(bot) }
    func heartbeat(botID: String, status: BotStatus, bars: Int, equity: Double?, detail: String) async throws -> BotStopRequest? {
        try await store.heartbeat(botID: botID, status: status, bars: bars, equity: equity, detail: detail)
    }
    func requestStop(botID: String, request: BotStopRequest) async throws -> BotRecord? { try await store.requestStop(botID: botID, request: request) }
    func bot(id: String) async throws -> BotRecord? { try await store.bot(id: id) }
    func bots() async throws -> [BotRecord] { try await store.bots() }
}
