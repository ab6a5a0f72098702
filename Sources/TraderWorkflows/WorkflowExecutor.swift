import Foundation
public import TraderCore

/// Runs a workflow's dependency graph: every step whose dependencies are done starts at once
/// (each in its own child task), a step whose dependency failed or was skipped is skipped, a
/// condition that does not hold skips the step, attempts are bounded by the step's timeout and
/// retried with doubling backoff. Cancelling the task that runs `run` cancels every running step;
/// they are recorded as cancelled.
public struct WorkflowExecutor: Sendable {
    public let registry: ActionRegistry

    public init(registry: ActionRegistry) {
        self.registry = registry
    }

    /// Checks ids, actions, dependencies, cycles and conditions before anything runs.
    public func validate(_ workflow: WorkflowDefinition) throws(WorkflowError) {
        var ids = Set<String>()
        for step in workflow.steps {
            guard ids.insert(step.id).inserted else { throw .duplicateStep(step.id) }
            if step.id.isEmpty || step.id.contains(".") { throw .invalid(step: step.id, reason: "ids must be non-empty and contain no '.'") }
            if step.retries < 0 { throw .invalid(step: step.id, reason: "retries must be ≥ 0") }
        }
        for step in workflow.steps {
            if registry.action(named: step.action) == nil { throw .unknownAction(step: step.id, action: step.action) }
            for dependency in step.dependsOn where !ids.contains(dependency) {
                throw .unknownDependency(step: step.id, dependency: dependency)
            }
            if let condition = step.condition, !step.dependsOn.contains(condition.step) {
                throw .invalidCondition(step: step.id, reason: "names '\(condition.step)', which is not one of its dependencies")
            }
        }
        // Cycles: depth-first search with colours.
        let byID = Dictionary(uniqueKeysWithValues: workflow.steps.map { ($0.id, $0) })
        var state: [String: Int] = [:]   // 1 visiting, 2 done
        func visit(_ id: String, _ path: [String]) throws(WorkflowError) {
            if state[id] == 2 { return }
            if state[id] == 1 { throw .cycle(Array(path.drop { $0 != id }) + [id]) }
            state[id] = 1
            for dependency in byID[id]?.dependsOn ?? [] { try visit(dependency, path + [id]) }
            state[id] = 2
        }
        for step in workflow.steps { try visit(step.id, []) }
    }

    /// Runs the workflow to its end. Step failures are recorded, not thrown; the run fails when
    /// any step failed.
    public func run(_ workflow: WorkflowDefinition, onChange: (@Sendable (WorkflowRun.StepRecord) -> Void)? = nil) async throws(WorkflowError) -> WorkflowRun {
        try validate(workflow)
        let clock = ContinuousClock()
        let start = clock.now
        var records: [String: WorkflowRun.StepRecord] = Dictionary(uniqueKeysWithValues: workflow.steps.map {
            ($0.id, WorkflowRun.StepRecord(id: $0.id, status: .pending, attempts: 0, started: nil, ended: nil, error: nil, reason: nil, outputs: [:]))
        })
        func finished(_ id: String) -> Bool { [.succeeded, .failed, .skipped, .cancelled].contains(records[id]!.status) }

        await withTaskGroup(of: WorkflowRun.StepRecord.self) { group in
            var running = 0
            while true {
                // Start or skip every pending step whose dependencies are all finished.
                var progressed = true
                while progressed {
                    progressed = false
                    for step in workflow.steps where records[step.id]!.status == .pending && step.dependsOn.allSatisfy(finished) {
                        progressed = true
                        var record = records[step.id]!
                        if Task.isCancelled {
                            record.status = .cancelled
                        } else if let blocked = step.dependsOn.first(where: { records[$0]!.status != .succeeded }) {
                            record.status = .skipped
                            record.reason = "dependency '\(blocked)' \(records[blocked]!.status.rawValue)"
                        } else if let condition = step.condition, !condition.holds(records.mapValues(\.outputs)) {
                            record.status = .skipped
                            record.reason = "condition \(condition) is false"
                        } else {
                            record.status = .running
                            record.started = clock.now - start
                            let inputs = Dictionary(uniqueKeysWithValues: step.dependsOn.map { ($0, records[$0]!.outputs) })
                            let action = registry.action(named: step.action)!
                            let base = record
                            group.addTask { await Self.attempt(step, action: action, workflow: workflow.name, inputs: inputs, base: base,
                                                               clock: clock, start: start) }
                            running += 1
                        }
                        records[step.id] = record
                        onChange?(record)
                    }
                }
                guard running > 0, let done = await group.next() else { break }
                running -= 1
                records[done.id] = done
                onChange?(done)
            }
        }
        let steps = workflow.steps.map { records[$0.id]! }
        let status: WorkflowRun.Status = steps.contains { $0.status == .failed } ? .failed
            : steps.contains { $0.status == .cancelled } ? .cancelled : .succeeded
        return WorkflowRun(workflow: workflow.name, status: status, steps: steps, duration: clock.now - start)
    }

    /// Runs a step's attempts: each bounded by the timeout, retried with doubling backoff.
    static func attempt(_ step: StepDefinition, action: any StepAction, workflow: String, inputs: [String: [String: JSONValue]],
                        base: WorkflowRun.StepRecord, clock: ContinuousClock, start: ContinuousClock.Instant) async -> WorkflowRun.StepRecord {
        var record = base
        var delay = step.retryBackoff
        for attempt in 1...(step.retries + 1) {
            record.attempts = attempt
            let context = StepContext(workflow: workflow, step: step.id, parameters: step.parameters, inputs: inputs, attempt: attempt)
            do {
                record.outputs = try await withTimeout(step.timeout) { try await action.run(context) }
                record.status = .succeeded
                record.error = nil
                break
            } catch is CancellationError where Task.isCancelled {
                record.status = .cancelled
                record.error = "cancelled"
                break
            } catch {
                record.status = .failed
                record.error = "\(error)"
                if attempt <= step.retries {
                    do { try await Task.sleep(for: delay) } catch { record.status = .cancelled; break }
                    delay = delay * 2
                }
            }
        }
        record.ended = clock.now - start
        return record
    }

    /// `body`, failing with `StepTimeout` after `limit` (nil: no limit); the body is cancelled.
    static func withTimeout<T: Sendable>(_ limit: Duration?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let limit else { return try await body() }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw StepTimeout(limit: limit)
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw CancellationError()
        }
    }
}

/// An attempt that ran past its step's timeout.
public struct StepTimeout: Error, CustomStringConvertible, Sendable {
    public let limit: Duration
    public var description: String { "timed out after \(limit)" }
}
