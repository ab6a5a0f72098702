public import Foundation

/// Where workflow runs are recorded: one row per run, rewritten as its steps change, so
/// `gpt-trader workflow status ID` (in another process, or from the API) sees a running
/// workflow's progress, and `workflow cancel ID` reaches it through `cancelRequested`.
public protocol WorkflowRunStore: Sendable {
    /// Inserts the run or updates it; `cancelRequested` is never cleared by a save (a cancel
    /// requested while the runner was saving must not be lost).
    func saveWorkflowRun(_ run: StoredWorkflowRun) async throws
    func workflowRun(id: UUID) async throws -> StoredWorkflowRun?
    /// Runs newest first; `idPrefix` keeps those whose id starts with it (a shortened id).
    func workflowRuns(idPrefix: String?, limit: Int) async throws -> [StoredWorkflowRun]
    /// Marks the run for cancellation; false when there is no such run or it has finished.
    func requestWorkflowCancel(id: UUID) async throws -> Bool
}

/// One run of a workflow as stored: its state, the parameters it ran with, and its steps as a
/// JSON document (status, attempts, timing, error, outputs of each), written by the runner.
public struct StoredWorkflowRun: Sendable, Equatable {
    public var id: UUID
    public var workflow: String
    /// pending, running, succeeded, failed, cancelled.
    public var status: String
    /// Nanoseconds since the epoch.
    public var startedAt: Int64
    public var updatedAt: Int64
    public var finishedAt: Int64?
    /// The process running it (`host:pid`), to tell a live run from an abandoned one.
    public var runner: String
    public var cancelRequested: Bool
    /// JSON: the parameters the run used.
    public var parameters: String
    /// JSON: the steps' records.
    public var steps: String

    public init(id: UUID, workflow: String, status: String, startedAt: Int64, updatedAt: Int64, finishedAt: Int64? = nil, runner: String,
                cancelRequested: Bool = false, parameters: String, steps: String) {
        self.id = id
        self.workflow = workflow
        self.status = status
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
        self.runner = runner
        self.cancelRequested = cancelRequested
        self.parameters = parameters
        self.steps = steps
    }

    public var isFinished: Bool { finishedAt != nil }

    static let columns = ["id", "workflow", "status", "started_at", "updated_at", "finished_at", "runner", "cancel_requested", "parameters", "steps"]

    /// The upsert both backends run: everything but `cancel_requested` and `started_at` is
    /// replaced on conflict.
    static func upsert(placeholders p: [String]) -> String {
        """
        INSERT INTO workflow_runs (\(columns.joined(separator: ", "))) VALUES (\(p.joined(separator: ", ")))
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
            finished_at = excluded.finished_at, runner = excluded.runner, parameters = excluded.parameters, steps = excluded.steps
        """
    }

    static func validate(_ run: StoredWorkflowRun) throws {
        if run.workflow.isEmpty { throw StoreError.invalid(field: "workflow", reason: "is empty") }
        guard ["pending", "running", "succeeded", "failed", "cancelled"].contains(run.status) else {
            throw StoreError.invalid(field: "status", reason: "'\(run.status)' is not a workflow run status")
        }
    }

    /// The id prefix as the `LIKE` pattern both backends use (ids are stored upper-case).
    static func pattern(_ prefix: String?) throws -> String {
        try (RunFilter(idPrefix: prefix).normalizedIDPrefix() ?? "") + "%"
    }
}
