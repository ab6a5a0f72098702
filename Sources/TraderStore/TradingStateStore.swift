public import Foundation
public import TraderCore

/// What the paper and live runtimes keep to survive a restart: orders with every state they
/// passed through, fills, positions and checkpoints of the bot's own state. Implemented by both
/// backends; writes are transactions and idempotent like those of `RunStore`.
///
/// Orders, states and fills are kept two ways, read alike: as rows (`recordOrder`, `recordFill`,
/// a venue session's journal), and packed (`JournalEntry.packed`, a paper session's journal,
/// whose open orders are rows too).
public protocol TradingStateStore: Sendable {
    /// Inserts the order or updates it to this state, and records the state change once per
    /// `(order, updatedAt, status)`: a retried write changes nothing.
    func recordOrder(_ order: StoredOrder, detail: String) async throws
    func order(id: UUID) async throws -> StoredOrder?
    /// The bot's orders, newest first; `openOnly` leaves out filled, cancelled, rejected and
    /// expired ones (what a restarted bot must reconcile with its broker).
    func orders(botID: String, openOnly: Bool, limit: Int) async throws -> [StoredOrder]
    /// Every state the order passed through, oldest first.
    func orderHistory(id: UUID) async throws -> [OrderStateChange]

    /// Every order (in its newest state) and fill of one session of the bot (its orders' broker
    /// ids start with `OrderIdentity.paperOrderPrefix(session:)`), row-form and packed.
    func sessionRecords(botID: String, session: Int64) async throws -> SessionRecords
    /// Where the session's packed journal stands: what a resumed session skips.
    func journalPosition(botID: String, session: Int64) async throws -> JournalPosition

    /// Stores a fill once (by its id); false when it was stored before. The order must exist.
    @discardableResult
    func recordFill(_ fill: StoredFill) async throws -> Bool
    /// The order's fills, oldest first.
    func fills(orderID: UUID) async throws -> [StoredFill]

    /// Replaces the bot's positions with `positions` (the runtime's whole book), atomically.
    func replacePositions(botID: String, with positions: [StoredPosition]) async throws
    func positions(botID: String) async throws -> [StoredPosition]

    /// Stores a checkpoint of the bot's state and returns its sequence number; a checkpoint whose
    /// id is stored returns the stored sequence.
    @discardableResult
    func saveCheckpoint(id: UUID, botID: String, state: String) async throws -> Int64
    /// The bot's newest checkpoint.
    func latestCheckpoint(botID: String) async throws -> StoredCheckpoint?
    /// Writes `entry` (orders, fills, positions, checkpoint) in one transaction.
    func recordJournal(_ entry: JournalEntry) async throws

    /// Deletes all but the newest `keeping` checkpoints of the bot; returns how many went.
    @discardableResult
    func pruneCheckpoints(botID: String, keeping: Int) async throws -> Int
}

/// Market data bars kept in the database when the user asks for it (`gpt-trader data archive`),
/// so a team shares one copy. Written in bulk, read back by time range.
public protocol BarArchive: Sendable {
    /// Stores the series, replacing archived bars of the same symbol and timeframe in its time
    /// range (so writing the same bars twice keeps one copy), in one transaction.
    func archiveBars(_ bars: BarSeries) async throws
    /// The archived bars in `[from, to]` (nanoseconds, both optional), oldest first; nil when the
    /// series is not archived at all.
    func archivedBars(symbol: String, timeframe: Timeframe, from: Int64?, to: Int64?) async throws -> BarSeries?
    /// What the archive holds, by symbol and timeframe.
    func archivedSeries() async throws -> [ArchivedSeries]
    /// Deletes an archived series; returns the number of bars deleted.
    @discardableResult
    func deleteArchivedBars(symbol: String, timeframe: Timeframe) async throws -> Int
}

/// The bots of a store: registered when they start, updated by their heartbeats, stopped from
/// another process through `requestStop`.
public protocol BotRegistry: Sendable {
    /// Inserts or replaces the bot's record (a bot starting or resuming; any stop request is cleared).
    func saveBot(_ bot: BotRecord) async throws
    /// Records the bot's progress and returns the stop asked for, if any, in one round trip.
    func heartbeat(botID: String, status: BotStatus, bars: Int, equity: Double?, detail: String) async throws -> BotStopRequest?
    /// Asks the bot to stop; returns its record, nil when there is no such bot.
    func requestStop(botID: String, request: BotStopRequest) async throws -> BotRecord?
    func bot(id: String) async throws -> BotRecord?
    /// Every bot, most recently started first.
    func bots() async throws -> [BotRecord]
}

/// Everything a database holds: run history, trading state, bots, the bar archive and workflow runs.
public typealias Store = RunStore & TradingStateStore & BotRegistry & BarArchive & WorkflowRunStore
