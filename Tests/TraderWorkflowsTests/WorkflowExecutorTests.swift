import Foundation
import Synchronization
import Testing
import TraderCore
@testable import TraderWorkflows

/// A latch steps wait on: proves two steps run at the same time without measuring time (each
/// waits until the other has started; run one after the other, they would wait forever, which
/// the generous bound turns into a failure).
final class Rendezvous: Sendable {
    private let arrived = Mutex(Set<String>())

    func arrive(_ id: String, expecting others: Set<String>) async throws -> Bool {
        arrived.withLock { _ = $0.insert(id) }
        for _ in 0..<30_000 {   // up to 300 s on a loaded machine; returns as soon as all arrived
            if arrived.withLock({ others.isSubset(of: $0) }) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

@Suite struct WorkflowExecutorTests {
    static func registry(_ extra: (inout ActionRegistry) -> Void = { _ in }) -> ActionRegistry {
        var r = ActionRegistry()
        r.register("echo") { ctx in ctx.parameters }
        r.register("sum") { ctx in
            let total = ctx.inputs.values.compactMap { $0["value"]?.doubleValue }.reduce(0, +)
            return ["value": .number(total)]
        }
        extra(&r)
        return r
    }

    @Test func outputsFlowAlongTheGraph() async throws {
        let wf = WorkflowDefinition(name: "flow", steps: [
            StepDefinition(id: "total", action: "sum", dependsOn: ["a", "b"]),
            StepDefinition(id: "a", action: "echo", parameters: ["value": .number(2)]),
            StepDefinition(id: "b", action: "echo", parameters: ["value": .number(40)]),
        ])
        let run = try await WorkflowExecutor(registry: Self.registry()).run(wf)
        #expect(run.status == .succeeded)
        #expect(run.step("total")?.outputs["value"] == .number(42))
        #expect(run.steps.map(\.id) == ["total", "a", "b"], "records in the definition's order")
    }

    /// Two independent steps really overlap: each waits until the other has started.
    @Test func independentStepsRunInParallel() async throws {
        let meeting = Rendezvous()
        let registry = Self.registry { r in
            r.register("meet") { ctx in
                let other: Set<String> = ctx.step == "left" ? ["right"] : ["left"]
                return ["met": .bool(try await meeting.arrive(ctx.step, expecting: other))]
            }
        }
        let wf = WorkflowDefinition(name: "parallel", steps: [
            StepDefinition(id: "left", action: "meet"), StepDefinition(id: "right", action: "meet"),
            StepDefinition(id: "after", action: "echo", dependsOn: ["left", "right"]),
        ])
        let run = try await WorkflowExecutor(registry: registry).run(wf)
        #expect(run.step("left")?.outputs["met"] == .bool(true) && run.step("right")?.outputs["met"] == .bool(true))
        #expect(run.status == .succeeded)
    }

    /// A condition picks the branch: the true one runs, the false one and its dependents skip.
    @Test func conditionsTakeTheRightBranch() async throws {
        let wf = WorkflowDefinition(name: "branch", steps: [
            StepDefinition(id: "detect", action: "echo", parameters: ["regime": .string("bull"), "volatility": .number(0.2)]),
            StepDefinition(id: "bull", action: "echo", parameters: ["x": .integer(1)], dependsOn: ["detect"],
                           condition: try StepCondition(parsing: "detect.regime == 'bull'")),
            StepDefinition(id: "bear", action: "echo", dependsOn: ["detect"], condition: try StepCondition(parsing: "detect.regime == 'bear'")),
            StepDefinition(id: "calm", action: "echo", dependsOn: ["detect"], condition: try StepCondition(parsing: "detect.volatility < 0.3")),
            StepDefinition(id: "afterBear", action: "echo", dependsOn: ["bear"]),
        ])
        let run = try await WorkflowExecutor(registry: Self.registry()).run(wf)
        #expect(run.step("bull")?.status == .succeeded && run.step("calm")?.status == .succeeded)
        #expect(run.step("bear")?.status == .skipped && run.step("bear")?.reason?.contains("is false") == true)
        #expect(run.step("afterBear")?.status == .skipped && run.step("afterBear")?.reason == "dependency 'bear' skipped")
        #expect(run.status == .succeeded)
    }

    @Test func retriesWithBackoffThenSucceed() async throws {
        let calls = Mutex(0)
        let registry = Self.registry { r in
            r.register("flaky") { ctx in
                calls.withLock { $0 += 1 }
                if ctx.attempt < 3 { throw CocoaError(.fileReadUnknown) }
                return ["attempt": .integer(ctx.attempt)]
            }
        }
        let wf = WorkflowDefinition(name: "retry", steps: [StepDefinition(id: "f", action: "flaky", retries: 3, retryBackoff: .milliseconds(1))])
        let run = try await WorkflowExecutor(registry: registry).run(wf)
        #expect(run.step("f")?.status == .succeeded && run.step("f")?.attempts == 3 && calls.withLock { $0 } == 3)
    }

    /// An attempt past its timeout fails the step (after its retries) and skips its dependents.
    @Test func timeoutsFailTheStepAndSkipDependents() async throws {
        let registry = Self.registry { r in
            r.register("hang") { _ in
                try await Task.sleep(for: .seconds(3_600))
                return [:]
            }
        }
        let wf = WorkflowDefinition(name: "timeout", steps: [
            StepDefinition(id: "slow", action: "hang", timeout: .milliseconds(50), retries: 1, retryBackoff: .milliseconds(1)),
            StepDefinition(id: "next", action: "echo", dependsOn: ["slow"]),
        ])
        let run = try await WorkflowExecutor(registry: registry).run(wf)
        #expect(run.step("slow")?.status == .failed && run.step("slow")?.attempts == 2)
        #expect(run.step("slow")?.error?.contains("timed out") == true)
        #expect(run.step("next")?.status == .skipped && run.status == .failed)
    }

    @Test func cancellingTheRunCancelsRunningSteps() async throws {
        let registry = Self.registry { r in
            r.register("hang") { _ in
                try await Task.sleep(for: .seconds(3_600))
                return [:]
            }
        }
        let wf = WorkflowDefinition(name: "cancel", steps: [
            StepDefinition(id: "slow", action: "hang"), StepDefinition(id: "next", action: "echo", dependsOn: ["slow"]),
        ])
        let started = Mutex(false)
        let task = Task { try await WorkflowExecutor(registry: registry).run(wf) { r in if r.status == .running { started.withLock { $0 = true } } } }
        for _ in 0..<30_000 where !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let run = try await task.value
        #expect(run.status == .cancelled)
        #expect(run.step("slow")?.status == .cancelled && run.step("next")?.status == .cancelled)
    }

    @Test func badWorkflowsAreOneErrorNamingTheStep() throws {
        let executor = WorkflowExecutor(registry: Self.registry())
        #expect(throws: WorkflowError.unknownAction(step: "a", action: "nope")) {
            try executor.validate(WorkflowDefinition(name: "x", steps: [StepDefinition(id: "a", action: "nope")]))
        }
        #expect(throws: WorkflowError.unknownDependency(step: "a", dependency: "ghost")) {
            try executor.validate(WorkflowDefinition(name: "x", steps: [StepDefinition(id: "a", action: "echo", dependsOn: ["ghost"])]))
        }
        #expect(throws: WorkflowError.duplicateStep("a")) {
            try executor.validate(WorkflowDefinition(name: "x", steps: [StepDefinition(id: "a", action: "echo"), StepDefinition(id: "a", action: "echo")]))
        }
        #expect(throws: WorkflowError.cycle(["a", "b", "a"])) {
            try executor.validate(WorkflowDefinition(name: "x", steps: [StepDefinition(id: "a", action: "echo", dependsOn: ["b"]),
                                                                        StepDefinition(id: "b", action: "echo", dependsOn: ["a"])]))
        }
        #expect(throws: WorkflowError.self) {
            try executor.validate(WorkflowDefinition(name: "x", steps: [
                StepDefinition(id: "a", action: "echo"),
                StepDefinition(id: "b", action: "echo", condition: try StepCondition(parsing: "a.x == 1")),   // a is not a dependency
            ]))
        }
        #expect(throws: WorkflowError.self) { try StepCondition(parsing: "a.x ~ 1") }
        #expect(throws: WorkflowError.self) { try StepCondition(parsing: "x == 1") }
        #expect(throws: WorkflowError.self) { try StepCondition(parsing: "a.x == bull") }
    }

    @Test func conditionsCompareNumbersStringsAndBooleans() throws {
        let outputs: [String: [String: JSONValue]] = ["s": ["n": .integer(3), "t": .string("bull"), "b": .bool(true)]]
        for (text, expected) in [("s.n >= 3", true), ("s.n > 3", false), ("s.n != 2.5", true), ("s.t == 'bull'", true), ("s.t != \"bull\"", false),
                                 ("s.b == true", true), ("s.t < 'z'", false), ("s.missing == 1", false)] {
            #expect(try StepCondition(parsing: text).holds(outputs) == expected, "\(text)")
        }
    }
}
