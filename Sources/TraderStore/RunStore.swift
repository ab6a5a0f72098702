public import Foundation

/// Where runs, optimizations and events are kept: one protocol, two backends
/// (`SQLiteRunStore`, the embedded default, and `PostgresRunStore`, pooled, for a shared server).
///
/// Every write is one transaction: it is stored whole or not at all. Writes are keyed by a
/// client-generated id and are idempotent, so a caller (or the store itself, after a lost
/// connection) may retry one without storing it twice.
public protocol RunStore: Sendable {
    /// Stores a backtest run with its equity curve and trades. Returns false when a run with the
    /// same id was already stored (nothing is changed then).
    @discardableResult
    func saveRun(_ run: NewRun) async throws -> Bool
    /// Newest first (by `createdAt`, then id).
    func listRuns(_ filter: RunFilter) async throws -> [StoredRunSummary]
    /// The run in full, or nil if there is none with that id.
    func loadRun(id: UUID) async throws -> StoredRun?
    /// The run's equity curve within `[from, to]` (nanoseconds, both optional), reading only the
    /// stored chunks that overlap the range; nil when there is no such run.
    func equity(runID: UUID, from: Int64?, to: Int64?) async throws -> EquityCurve?
    /// Deletes a run with its curve and trades; false when there was none.
    @discardableResult
    func deleteRun(id: UUID) async throws -> Bool

    /// Stores an optimization run and its ranked results; false when already stored.
    @discardableResult
    func saveOptimization(_ optimization: NewOptimization) async throws -> Bool
    func loadOptimization(id: UUID) async throws -> StoredOptimization?
    /// Optimization headers, newest first, filtered like runs.
    func listOptimizations(_ filter: RunFilter) async throws -> [StoredOptimizationSummary]
    /// Deletes an optimization with its results; false when there was none.
    @discardableResult
    func deleteOptimization(id: UUID) async throws -> Bool

    /// Appends one event to the log and returns its sequence number. Appending an event whose id
    /// is already stored returns the stored event's sequence and stores nothing.
    @discardableResult
    func appendEvent(id: UUID, kind: String, payload: String) async throws -> Int64
    /// Events with a sequence greater than `sequence`, oldest first, at most `limit`.
    func events(since sequence: Int64, limit: Int) async throws -> [StoredEvent]

    /// Applies the migrations not yet applied (stores do this when they open, too).
    @discardableResult
    func migrate() async throws -> [Migration]
    /// Which migrations are applied and which are pending.
    func status() async throws -> MigrationStatus

    /// Releases connections after in-flight work ends.
    func close() async throws
}

extension RunStore {
    /// Appends an event with a fresh id.
    @discardableResult
    public func appendEvent(kind: String, payload: String) async throws -> Int64 {
        try await appendEvent(id: UUID(), kind: kind, payload: payload)
    }

    /// The first 1,000 events after `sequence`.
    public func events(since sequence: Int64) async throws -> [StoredEvent] {
        try await events(since: sequence, limit: 1_000)
    }
}
