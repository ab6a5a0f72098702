public import Foundation
import TraderCore
import TraderStore
public import TraderWorkflows

/// Runs a workflow for the CLI and the API: binds the slice actions to an environment, records
/// the run and every step change in the run history when there is one (so `workflow status`
/// elsewhere sees it live), and stops the run when `workflow cancel` marks it in the store.
public struct WorkflowRunner: Sendable {
    public let environment: WorkflowEnvironment
    /// How often a recorded run looks for a cancel request.
    public var cancelPollInterval: Duration = .milliseconds(250)

    public init(environment: WorkflowEnvironment) {
        self.environment = environment
    }

    /// Runs `workflow` (already instantiated with its parameters) as run `id`. `onChange` sees
    /// every step change as it happens (the progress view). Cancelling the calling task, or a
    /// cancel request in the store, cancels the run; it returns with the steps as they ended.
    public func run(_ workflow: WorkflowDefinition, id: UUID = UUID(),
                    onChange: (@Sendable (WorkflowRun.StepRecord) -> Void)? = nil) async throws(AppError) -> WorkflowRun {
        let executor = WorkflowExecutor(registry: WorkflowActions.registry(environment))
        guard let history = environment.history else {
            do { return try await executor.run(workflow, onChange: onChange) } catch { throw .usage("workflow \(workflow.name): \(error)") }
        }
        // Checked before the record is written, so a bad workflow leaves no run behind.
        do { try executor.validate(workflow) } catch { throw .usage("workflow \(workflow.name): \(error)") }
        let recorder = RunRecorder(history: history, record: Self.initialRecord(workflow, id: id))
        try await recorder.save()
        let (changes, sink) = AsyncStream.makeStream(of: WorkflowRun.StepRecord.self)
        // Writes step changes in order, one at a time.
        let writer = Task { for await change in changes { await recorder.update(change) } }
        let runTask = Task { () throws(WorkflowError) -> WorkflowRun in
            try await executor.run(workflow) { record in
                sink.yield(record)
                onChange?(record)
            }
        }
        // Watches for `workflow cancel` from another process.
        let poll = cancelPollInterval
        let watcher = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: poll)
                if await recorder.cancelRequested() { runTask.cancel(); return }
            }
        }
        let outcome = await withTaskCancellationHandler { await runTask.result } onCancel: { runTask.cancel() }
        watcher.cancel()
        sink.finish()
        await writer.value
        let run: WorkflowRun
        switch outcome {
        case .success(let r): run = r
        case .failure(let error): throw .usage("workflow \(workflow.name): \(error)")
        }
        try await recorder.finish(run)
        return run
    }

    static func initialRecord(_ workflow: WorkflowDefinition, id: UUID) -> StoredWorkflowRun {
        let now = StoreClock.nowNanos()
        let steps = JSONValue.array(workflow.steps.map { WorkflowRun.StepRecord(id: $0.id, status: .pending).json })
        let parameters = JSONValue.object(workflow.parameters.map { ($0.name, $0.value) })
        return StoredWorkflowRun(id: id, workflow: workflow.name, status: "running", startedAt: now, updatedAt: now, runner: runnerName,
                                 parameters: parameters.serialized(indent: nil), steps: steps.serialized(indent: nil))
    }

    /// `host:pid` of this process.
    static let runnerName: String = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
}

/// The stored record of a running workflow, rewritten as steps change.
actor RunRecorder {
    let history: RunHistory
    var record: StoredWorkflowRun
    var steps: [String: WorkflowRun.StepRecord] = [:]
    var order: [String]

    init(history: RunHistory, record: StoredWorkflowRun) {
        self.history = history
        self.record = record
        let initial = record.stepRecords
        self.order = initial.map(\.id)
        for step in initial { steps[step.id] = step }
    }

    func save() async throws(AppError) {
        record.updatedAt = StoreClock.nowNanos()
        try await Self.write(record, to: history)
    }

    nonisolated static func write(_ snapshot: StoredWorkflowRun, to history: RunHistory) async throws(AppError) {
        try await history.perform("save workflow run") { try await history.store.saveWorkflowRun(snapshot) }
    }

    /// Records a step change; a failed write is retried with the next change or at the end
    /// (the run itself does not stop because its record could not be written).
    func update(_ step: WorkflowRun.StepRecord) async {
        steps[step.id] = step
        record.steps = JSONValue.array(order.compactMap { steps[$0]?.json }).serialized(indent: nil)
        try? await save()
    }

    func cancelRequested() async -> Bool {
        (try? await history.store.workflowRun(id: record.id))??.cancelRequested ?? false
    }

    func finish(_ run: WorkflowRun) async throws(AppError) {
        record.status = run.status == .succeeded ? "succeeded" : run.status == .cancelled ? "cancelled" : "failed"
        record.steps = run.stepsJSON.serialized(indent: nil)
        record.finishedAt = StoreClock.nowNanos()
        try await save()
    }
}
