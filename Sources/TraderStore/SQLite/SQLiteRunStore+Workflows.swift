public import Foundation
import SQLiteNIO

extension SQLiteRunStore: WorkflowRunStore {
    public func saveWorkflowRun(_ run: StoredWorkflowRun) async throws {
        try StoredWorkflowRun.validate(run)
        let operation = "save workflow run \(run.id.uuidString)"
        let binds: [SQLiteData] = [
            .text(run.id.uuidString), .text(run.workflow), .text(run.status), .integer(Int(run.startedAt)), .integer(Int(run.updatedAt)),
            run.finishedAt.map { .integer(Int($0)) } ?? .null, .text(run.runner), .integer(run.cancelRequested ? 1 : 0),
            .text(run.parameters), .text(run.steps),
        ]
        try await lock.withLock {
            try await self.run(StoredWorkflowRun.upsert(placeholders: Array(repeating: "?", count: binds.count)), binds, operation)
        }
    }

    public func workflowRun(id: UUID) async throws -> StoredWorkflowRun? {
        let rows = try await lock.withLock {
            try await self.run("SELECT * FROM workflow_runs WHERE id = ?", [.text(id.uuidString)], "load workflow run \(id.uuidString)")
        }
        return try rows.first.map(Self.workflowRun)
    }

    public func workflowRuns(idPrefix: String?, limit: Int) async throws -> [StoredWorkflowRun] {
        let pattern = try StoredWorkflowRun.pattern(idPrefix)
        let rows = try await lock.withLock {
            try await self.run("SELECT * FROM workflow_runs WHERE id LIKE ? ORDER BY started_at DESC, id LIMIT ?",
                               [.text(pattern), .integer(max(0, limit))], "list workflow runs")
        }
        return try rows.map(Self.workflowRun)
    }

    public func requestWorkflowCancel(id: UUID) async throws -> Bool {
        let rows = try await lock.withLock {
            try await self.run("UPDATE workflow_runs SET cancel_requested = 1 WHERE id = ? AND finished_at IS NULL RETURNING id",
                               [.text(id.uuidString)], "cancel workflow run \(id.uuidString)")
        }
        return !rows.isEmpty
    }

    static func workflowRun(_ r: SQLiteRow) throws -> StoredWorkflowRun {
        StoredWorkflowRun(
            id: try uuid(r, "id", table: "workflow_runs"), workflow: try text(r, "workflow"), status: try text(r, "status"),
            startedAt: Int64(try int(r, "started_at")), updatedAt: Int64(try int(r, "updated_at")),
            finishedAt: r.column("finished_at")?.integer.map(Int64.init), runner: try text(r, "runner"),
            cancelRequested: try int(r, "cancel_requested") != 0, parameters: try text(r, "parameters"), steps: try text(r, "steps"))
    }
}
