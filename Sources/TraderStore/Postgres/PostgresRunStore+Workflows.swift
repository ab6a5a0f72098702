public import Foundation
import PostgresNIO

extension PostgresRunStore: WorkflowRunStore {
    public func saveWorkflowRun(_ run: StoredWorkflowRun) async throws {
        try StoredWorkflowRun.validate(run)
        var binds = PostgresBindings()
        binds.append(run.id.uuidString); binds.append(run.workflow); binds.append(run.status); binds.append(run.startedAt)
        binds.append(run.updatedAt); binds.append(run.finishedAt); binds.append(run.runner); binds.append(Int64(run.cancelRequested ? 1 : 0))
        binds.append(run.parameters); binds.append(run.steps)
        let sql = StoredWorkflowRun.upsert(placeholders: (1...StoredWorkflowRun.columns.count).map { "$\($0)" })
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        try await withRetry("save workflow run \(run.id.uuidString)") { connection in
            try await connection.query(query, logger: self.logger)
        }
    }

    public func workflowRun(id: UUID) async throws -> StoredWorkflowRun? {
        let key = id.uuidString
        let rows = try await withRetry("load workflow run \(key)") {
            try await Self.rows($0, "SELECT * FROM workflow_runs WHERE id = \(key)", logger: self.logger)
        }
        return try rows.first.map(Self.workflowRun)
    }

    public func workflowRuns(idPrefix: String?, limit: Int) async throws -> [StoredWorkflowRun] {
        let pattern = try StoredWorkflowRun.pattern(idPrefix)
        let limit = max(0, limit)
        let rows = try await withRetry("list workflow runs") {
            try await Self.rows($0, "SELECT * FROM workflow_runs WHERE id LIKE \(pattern) ORDER BY started_at DESC, id LIMIT \(limit)",
                                logger: self.logger)
        }
        return try rows.map(Self.workflowRun)
    }

    public func requestWorkflowCancel(id: UUID) async throws -> Bool {
        let key = id.uuidString
        let rows = try await withRetry("cancel workflow run \(key)") {
            try await Self.rows($0, "UPDATE workflow_runs SET cancel_requested = 1 WHERE id = \(key) AND finished_at IS NULL RETURNING id",
                                logger: self.logger)
        }
        return !rows.isEmpty
    }

    static func workflowRun(_ r: PostgresRandomAccessRow) throws -> StoredWorkflowRun {
        let finished: Int64?
        do { finished = try r["finished_at"].decode(Int64?.self) } catch { throw StoreError.corrupt(field: "finished_at", reason: "not an integer") }
        return StoredWorkflowRun(
            id: try uuid(r, "id"), workflow: try text(r, "workflow"), status: try text(r, "status"), startedAt: try int(r, "started_at"),
            updatedAt: try int(r, "updated_at"), finishedAt: finished, runner: try text(r, "runner"),
            cancelRequested: try int(r, "cancel_requested") != 0, parameters: try text(r, "parameters"), steps: try text(r, "steps"))
    }
}
