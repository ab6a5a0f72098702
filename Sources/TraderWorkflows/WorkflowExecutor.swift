import Foundation
import Synchronization
import TraderCore

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
            if let background = step.dependsOn.first(where: { id in workflow.steps.contains { $0.id == id && $0.background } }) {
                throw .invalid(step: step.id, reason: "depends on '\(background)', a background step (it has no end to wait for)")
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
        // Indices instead of ids, and counts of unfinished dependencies: each step is looked at
        // when its last dependency finishes, so scheduling costs O(steps + edges), not a scan of
        // every step after every completion.
        let steps = workflow.steps
        let index = Dictionary(uniqueKeysWithValues: steps.enumerated().map { ($1.id, $0) })
        let dependencies = steps.map { $0.dependsOn.map { index[$0]! } }
        var dependents = Array(repeating: [Int](), count: steps.count)
        for (i, deps) in dependencies.enumerated() { for d in deps { dependents[d].append(i) } }
        var waitingOn = dependencies.map(\.count)
        var records = steps.map { WorkflowRun.StepRecord(id: $0.id, status: .pending) }
        // Steps whose dependencies have all finished, in the order they became ready.
        var ready = steps.indices.filter { waitingOn[$0] == 0 }
        var next = 0
        // Fired once every foreground step has finished: running background steps stop then.
        let stop = StopSignal()
        var foregroundLeft = steps.filter { !$0.background }.count
        let hasForeground = foregroundLeft > 0

        await withTaskGroup(of: (Int, WorkflowRun.StepRecord).self) { group in
            var running = 0
            /// Records step `i` as finished and queues the dependents it was the last wait of.
            func finish(_ i: Int, _ record: WorkflowRun.StepRecord) {
                records[i] = record
                onChange?(record)
                if !steps[i].background { foregroundLeft -= 1 }
                for d in dependents[i] {
                    waitingOn[d] -= 1
                    if waitingOn[d] == 0 { ready.append(d) }
                }
            }
            while true {
                // Start or skip every step whose dependencies are all finished.
                while next < ready.count {
                    let i = ready[next]
                    next += 1
                    let step = steps[i]
                    var record = records[i]
                    if Task.isCancelled {
                        record.status = .cancelled
                    } else if let blocked = dependencies[i].first(where: { Self.blocks(records[$0].status, step.trigger) }) {
                        record.status = .skipped
                        record.reason = "dependency '\(steps[blocked].id)' \(records[blocked].status.rawValue)"
                    } else if let condition = step.condition,
                              !condition.holds([condition.step: index[condition.step].map { records[$0].outputs } ?? [:]]) {
                        record.status = .skipped
                        record.reason = "condition \(condition) is false"
                    } else {
                        record.status = .running
                        record.started = clock.now - start
                        let inputs = Dictionary(uniqueKeysWithValues: dependencies[i].map { (steps[$0].id, records[$0].outputs) })
                        let action = registry.action(named: step.action)!
                        let base = record
                        group.addTask {
                            let attempt: @Sendable () async -> WorkflowRun.StepRecord = {
                                await Self.attempt(step, action: action, workflow: workflow.name, inputs: inputs, base: base, clock: clock, start: start)
                            }
                            return (i, step.background ? await Self.untilStopped(attempt, stop: stop, clock: clock, start: start) : await attempt())
                        }
                        running += 1
                        records[i] = record
                        onChange?(record)
                        continue
                    }
                    finish(i, record)
                }
                if hasForeground && foregroundLeft == 0 { stop.fire() }
                guard running > 0, let (i, done) = await group.next() else { break }
                running -= 1
                finish(i, done)
            }
        }
        let status: WorkflowRun.Status = records.contains { $0.status == .failed } ? .failed
            : records.contains { $0.status == .cancelled } ? .cancelled : .succeeded
        return WorkflowRun(workflow: workflow.name, status: status, steps: records, duration: clock.now - start)
    }

    /// Whether a dependency that ended with `status` keeps a step with `trigger` from running.
    static func blocks(_ status: WorkflowRun.Status, _ trigger: StepTrigger) -> Bool {
        switch trigger {
        case .allSucceeded: status != .succeeded && status != .stopped
        case .noneFailed: status == .failed || status == .cancelled
        case .allDone: false
        }
    }

    /// Runs a background step's attempts until they end or `stop` fires; stopped, it is recorded
    /// as `stopped` (its work was wanted only while the rest ran).
    static func untilStopped(_ attempt: @escaping @Sendable () async -> WorkflowRun.StepRecord, stop: StopSignal,
                             clock: ContinuousClock, start: ContinuousClock.Instant) async -> WorkflowRun.StepRecord {
        await withTaskGroup(of: WorkflowRun.StepRecord?.self) { group in
            group.addTask { await attempt() }
            group.addTask { await stop.wait(); return nil }
            var record: WorkflowRun.StepRecord?
            var stopped = false
            while let next = await group.next() {
                if let next { record = next; break }
                stopped = true
                group.cancelAll()
            }
            group.cancelAll()
            var final = record!
            if stopped && final.status == .cancelled && !Task.isCancelled {
                final.status = .stopped
                final.error = nil
                final.reason = "stopped: the workflow's other steps finished"
                final.ended = clock.now - start
            }
            return final
        }
    }

    /// Runs a step's attempts: each bounded by the timeout, retried with doubling backoff.
    static func attempt(_ step: StepDefinition, action: any StepAction, workflow: String, inputs: [String: [String: JSONValue]],
                        base: WorkflowRun.StepRecord, clock: ContinuousClock, start: ContinuousClock.Instant) async -> WorkflowRun.StepRecord {
        var record = base
        var delay = step.retryBackoff
        for attempt in 1...(step.retries + 1) {
            record.attempts = attempt
            let context = StepContext(workflow: workflow, step: step.id, parameters: step.parameters, inputs: inputs, dependencies: step.dependsOn,
                                      attempt: attempt)
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
                    // Doubling stops at a day: a hundred doublings of a long backoff would not fit
                    // in a `Duration`.
                    delay = delay < .seconds(86_400) ? delay * 2 : delay
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

/// A one-shot signal many tasks can wait for; waiting after it fired returns at once, and a
/// cancelled waiter returns too (so a stopped group never hangs on it).
final class StopSignal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [UInt64: CheckedContinuation<Void, Never>], next: UInt64)>((false, [:], 0))

    func fire() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard !s.fired else { return [] }
            s.fired = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume() }
    }

    func wait() async {
        let id = state.withLock { s -> UInt64 in s.next += 1; return s.next }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.fired || Task.isCancelled { return true }
                    s.waiters[id] = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
