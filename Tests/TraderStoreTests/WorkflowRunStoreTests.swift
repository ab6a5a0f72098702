import Foundation
import Testing
@testable import TraderStore

/// Workflow run records on every backend: upsert, prefix lookup, cancel requests that a save
/// never clears, and cancel refused once a run has finished.
@Suite struct WorkflowRunStoreTests {
    static func run(_ id: UUID, status: String = "running", started: Int64, finished: Int64? = nil, steps: String = "[]") -> StoredWorkflowRun {
        StoredWorkflowRun(id: id, workflow: "ml-driven", status: status, startedAt: started, updatedAt: started + 5, finishedAt: finished,
                          runner: "host:42", parameters: #"{"symbol":"GOOG"}"#, steps: steps)
    }

    @Test(arguments: Backend.enabled)
    func savesUpdatesAndListsNewestFirst(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            let a = UUID(), b = UUID()
            try await store.saveWorkflowRun(Self.run(a, started: 1_000))
            try await store.saveWorkflowRun(Self.run(b, started: 2_000))
            try await store.saveWorkflowRun(Self.run(a, status: "succeeded", started: 1_000, finished: 3_000, steps: #"[{"id":"data"}]"#))
            let stored = try #require(try await store.workflowRun(id: a))
            #expect(stored.status == "succeeded" && stored.finishedAt == 3_000 && stored.steps == #"[{"id":"data"}]"#)
            #expect(stored.parameters == #"{"symbol":"GOOG"}"# && stored.runner == "host:42" && stored.startedAt == 1_000)
            let all = try await store.workflowRuns(idPrefix: nil, limit: 10)
            #expect(all.map(\.id) == [b, a])
            let byPrefix = try await store.workflowRuns(idPrefix: String(b.uuidString.prefix(6)).lowercased(), limit: 10)
            #expect(byPrefix.map(\.id) == [b])
            #expect(try await store.workflowRun(id: UUID()) == nil)
        }
    }

    @Test(arguments: Backend.enabled)
    func cancelRequestSurvivesSavesAndIsRefusedAfterTheEnd(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            let id = UUID()
            #expect(try await store.requestWorkflowCancel(id: id) == false, "no such run")
            try await store.saveWorkflowRun(Self.run(id, started: 1_000))
            #expect(try await store.requestWorkflowCancel(id: id))
            // The runner saves a step change after the request: the flag stays.
            try await store.saveWorkflowRun(Self.run(id, started: 1_000, steps: #"[{"id":"x"}]"#))
            #expect(try await store.workflowRun(id: id)?.cancelRequested == true)
            try await store.saveWorkflowRun(Self.run(id, status: "cancelled", started: 1_000, finished: 2_000))
            #expect(try await store.requestWorkflowCancel(id: id) == false, "finished runs cannot be cancelled")
        }
    }

    @Test(arguments: Backend.enabled)
    func invalidRecordsAreRefused(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            await #expect(throws: StoreError.self) { try await store.saveWorkflowRun(Self.run(UUID(), status: "exploded", started: 1)) }
            await #expect(throws: StoreError.self) { _ = try await store.workflowRuns(idPrefix: "zz!", limit: 5) }
            #expect(try await store.workflowRuns(idPrefix: nil, limit: 5).isEmpty)
        }
    }
}
