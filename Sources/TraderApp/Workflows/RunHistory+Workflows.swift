import Foundation
import TraderCore
public import TraderStore
public import TraderWorkflows

extension StoredWorkflowRun {
    /// The steps as the runner last wrote them (none when the document cannot be read).
    public var stepRecords: [WorkflowRun.StepRecord] {
        ((try? JSONValue(parsing: steps))?.arrayValue ?? []).compactMap(WorkflowRun.StepRecord.init(json:))
    }
}

/// Workflow runs in the run history: `workflow status` and `workflow cancel` find them by id or
/// by its first characters, as `runs show` does for backtests.
extension RunHistory {
    public func workflowRuns(limit: Int) async throws(AppError) -> [StoredWorkflowRun] {
        try await perform("list workflow runs") { try await store.workflowRuns(idPrefix: nil, limit: limit) }
    }

    /// The workflow run `text` names; a usage error when none or several match.
    public func workflowRun(_ text: String) async throws(AppError) -> StoredWorkflowRun {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard (try? RunFilter(idPrefix: trimmed).normalizedIDPrefix()) != nil, !trimmed.isEmpty else {
            throw .usage("'\(text)' is not a workflow run id: expected the id `gpt-trader workflow status` lists, or its first characters")
        }
        let matches = try await perform("find workflow run") { try await store.workflowRuns(idPrefix: trimmed, limit: 2) }
        switch matches.count {
        case 0: throw .usage("no workflow run with id \(text) in \(location) (see `gpt-trader workflow status`)")
        case 1: return matches[0]
        default:
            throw .usage("workflow run id \(text) is ambiguous: it starts \(matches.map { $0.id.uuidString.lowercased() }.joined(separator: " and ")); give more characters")
        }
    }

    /// Asks the process running `text` to cancel it; a usage error when it has already finished.
    public func cancelWorkflowRun(_ text: String) async throws(AppError) -> StoredWorkflowRun {
        let run = try await workflowRun(text)
        guard try await perform("cancel workflow run", { try await store.requestWorkflowCancel(id: run.id) }) else {
            throw .usage("workflow run \(run.id.uuidString.prefix(8).lowercased()) has already finished (\(run.status))")
        }
        return run
    }
}
