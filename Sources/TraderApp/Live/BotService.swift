public import Foundation
public import TraderStore

/// What `gpt-trader bots` works with: the bots of a store, their state, and stop requests.
public struct BotService: Sendable {
    public let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// A bot as listed: its record, and whether it still runs.
    public struct Entry: Sendable {
        public var record: BotRecord
        /// False when the record says running but the process is gone (killed, crashed) or, on
        /// another host, its heartbeat is older than `BotService.staleAfter`.
        public var isAlive: Bool

        /// The status to show: the record's, or `lost` for a running bot whose process is gone.
        public var shownStatus: String {
            [.running, .stopping].contains(record.status) && !isAlive ? "lost" : record.status.rawValue
        }
    }

    /// Statuses of a bot whose process may still run: a guard's halt keeps it trading exits.
    static let active: Set<BotStatus> = [.running, .stopping, .halted]

    /// A heartbeat older than this marks a bot of another host as lost.
    public static let staleAfter: Int64 = 10_000_000_000

    public func list() async throws(AppError) -> [Entry] {
        try await call("list bots") { try await store.bots().map(entry) }
    }

    /// The bot `id`, with its positions, open orders and recent fills' orders.
    public struct Status: Sendable {
        public var entry: Entry
        public var positions: [StoredPosition]
        public var openOrders: [StoredOrder]
        public var recentOrders: [StoredOrder]
        public var checkpoint: StoredCheckpoint?
    }

    public func status(_ id: String) async throws(AppError) -> Status {
        let record = try await find(id)
        return try await call("status of bot \(id)") {
            Status(entry: entry(record), positions: try await store.positions(botID: id),
                   openOrders: try await store.orders(botID: id, openOnly: true, limit: 50),
                   recentOrders: try await store.orders(botID: id, openOnly: false, limit: 10),
                   checkpoint: try await store.latestCheckpoint(botID: id))
        }
    }

    /// Asks bot `id` to stop (and to close its positions first with `flatten`); refuses a bot that
    /// does not run.
    public func requestStop(_ id: String, flatten: Bool) async throws(AppError) -> BotRecord {
        let record = try await find(id)
        let current = entry(record)
        guard Self.active.contains(record.status), current.isAlive else {
            throw .usage("bot '\(id)' is not running (\(current.shownStatus)); nothing to stop")
        }
        let asked = try await call("stop bot \(id)") { try await store.requestStop(botID: id, request: flatten ? .flatten : .stop) }
        guard let asked else { throw .usage("no bot '\(id)' in this database (gpt-trader bots list)") }
        return asked
    }

    /// Waits (polling every 100 ms, up to `limit`) until bot `id` no longer runs; returns its
    /// record then, or nil when the time ran out.
    public func waitUntilStopped(_ id: String, limit: Duration) async throws(AppError) -> BotRecord? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let record = try await find(id)
            if !Self.active.contains(record.status) || !entry(record).isAlive { return record }
            do { try await Task.sleep(for: .milliseconds(100)) } catch { throw .interrupted("waiting for bot '\(id)' to stop") }
        }
        return nil
    }

    /// The command line that runs bot `id` again; refuses a bot that still runs.
    public func resumeArguments(_ id: String) async throws(AppError) -> [String] {
        let record = try await find(id)
        if Self.active.contains(record.status), entry(record).isAlive {
            throw .usage("bot '\(id)' is running (pid \(record.pid.map(String.init) ?? "?")); nothing to resume")
        }
        guard !record.arguments.isEmpty else { throw .usage("bot '\(id)' has no command line to resume") }
        return record.arguments + ["--resume"]
    }

    func find(_ id: String) async throws(AppError) -> BotRecord {
        let record = try await call("load bot \(id)") { try await store.bot(id: id) }
        guard let record else { throw .usage("no bot '\(id)' in this database (gpt-trader bots list)") }
        return record
    }

    func entry(_ record: BotRecord) -> Entry {
        guard Self.active.contains(record.status) else { return Entry(record: record, isAlive: false) }
        if record.host == BotProcess.hostName, let pid = record.pid { return Entry(record: record, isAlive: BotProcess.isAlive(pid)) }
        return Entry(record: record, isAlive: StoreClock.nowNanos() - record.updatedAt < Self.staleAfter)
    }

    private func call<T>(_ what: String, _ body: () async throws -> T) async throws(AppError) -> T {
        do { return try await body() } catch let e as AppError { throw e } catch { throw .runtime("\(what): \(error)") }
    }
}
