import Foundation
import Synchronization
import Testing
import TraderCore
@testable import TraderWorkflows

/// Background steps, trigger rules, schedules and records as JSON.
@Suite struct WorkflowModesTests {
    /// A background step runs beside the others (they meet while both run) and is stopped once
    /// the rest has finished; it does not fail the run.
    @Test func backgroundStepsRunBesideTheRestAndStopAtTheEnd() async throws {
        let meeting = Rendezvous()
        let registry = WorkflowExecutorTests.registry { r in
            r.register("watch") { ctx in
                _ = try await meeting.arrive("watch", expecting: ["work"])
                try await Task.sleep(for: .seconds(3600))
                return [:]
            }
            r.register("work") { _ in ["met": .bool(try await meeting.arrive("work", expecting: ["watch"]))] }
        }
        let wf = WorkflowDefinition(name: "bg", steps: [
            StepDefinition(id: "watch", action: "watch", background: true),
            StepDefinition(id: "work", action: "work"),
            StepDefinition(id: "after", action: "echo", dependsOn: ["work"]),
        ])
        let run = try await WorkflowExecutor(registry: registry).run(wf)
        #expect(run.status == .succeeded)
        #expect(run.step("work")?.outputs["met"] == .bool(true))
        #expect(run.step("after")?.status == .succeeded)
        #expect(run.step("watch")?.status == .stopped)
        #expect(run.step("watch")?.reason?.contains("other steps finished") == true)
    }

    /// The join after a conditional branch runs (none_failed) where the default would skip it;
    /// all_done runs even after a failure.
    @Test func triggerRulesJoinBranches() async throws {
        let registry = WorkflowExecutorTests.registry { r in
            r.register("boom") { _ in throw TestFailure() }
        }
        let wf = WorkflowDefinition(name: "join", steps: [
            StepDefinition(id: "check", action: "echo", parameters: ["ok": .bool(false)]),
            StepDefinition(id: "go", action: "echo", dependsOn: ["check"], condition: try StepCondition(parsing: "check.ok == true")),
            StepDefinition(id: "hold", action: "echo", dependsOn: ["check"], condition: try StepCondition(parsing: "check.ok == false")),
            StepDefinition(id: "strict", action: "echo", dependsOn: ["go", "hold"]),
            StepDefinition(id: "join", action: "echo", dependsOn: ["go", "hold"], trigger: .noneFailed),
            StepDefinition(id: "broken", action: "boom"),
            StepDefinition(id: "cleanup", action: "echo", dependsOn: ["broken"], trigger: .allDone),
            StepDefinition(id: "tolerant", action: "echo", dependsOn: ["broken"], trigger: .noneFailed),
        ])
        let run = try await WorkflowExecutor(registry: registry).run(wf)
        #expect(run.step("go")?.status == .skipped && run.step("hold")?.status == .succeeded)
        #expect(run.step("strict")?.status == .skipped)
        #expect(run.step("join")?.status == .succeeded)
        #expect(run.step("cleanup")?.status == .succeeded)
        #expect(run.step("tolerant")?.status == .skipped)
        #expect(run.status == .failed)
    }

    @Test func scheduleRepeatsUntilItsCount() async {
        let count = Mutex(0)
        let ran = await WorkflowSchedule(interval: .milliseconds(5), times: 3).repeatRuns { _ in count.withLock { $0 += 1 }; return true }
        #expect(ran == 3 && count.withLock { $0 } == 3)
        let stopped = await WorkflowSchedule(interval: .milliseconds(5)).repeatRuns { n in n < 2 }
        #expect(stopped == 2, "a run that says stop ends the schedule")
    }

    @Test func scheduleStopsWhenCancelled() async {
        let started = Mutex(0)
        let task = Task {
            await WorkflowSchedule(interval: .seconds(3600)).repeatRuns { _ in started.withLock { $0 += 1 }; return true }
        }
        while started.withLock({ $0 }) == 0 { try? await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        #expect(await task.value == 1)
    }

    @Test func recordsRoundTripThroughJSON() throws {
        let record = WorkflowRun.StepRecord(id: "a", status: .failed, attempts: 3, started: .milliseconds(12), ended: .milliseconds(2345),
                                            error: "timed out", reason: nil, outputs: ["x": .number(1.5), "s": .string("t")])
        let back = try #require(WorkflowRun.StepRecord(json: try JSONValue(parsing: record.json.serialized())))
        #expect(back.id == "a" && back.status == .failed && back.attempts == 3 && back.started == .milliseconds(12))
        #expect(back.ended == .milliseconds(2345) && back.error == "timed out" && back.reason == nil)
        #expect(back.outputs == record.outputs)
        #expect(WorkflowRun.StepRecord(json: .string("no")) == nil)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String { "boom" }
}
