import Foundation
import Synchronization
import Testing
import TraderCore
import TraderYAML
@testable import TraderWorkflows

/// Workflow files: what they may say, and one located error for each mistake.
@Suite struct WorkflowFileTests {
    static let executor = WorkflowExecutor(registry: WorkflowExecutorTests.registry { r in r.register("load") { _ in [:] } })

    @Test func readsEveryKey() throws {
        let wf = try WorkflowFile.load("""
            name: trend-check
            description: Backtest when the market trends.
            parameters: { symbol: GOOG, bars: 250, fast: 0.5, live: false }
            schedule: { every: 90s, times: 3 }
            steps:
              - id: data
                action: load
                parameters: { symbol: "${symbol}" }
              - id: total
                action: sum
                depends_on: data
                condition: "data.count >= 10"
                timeout: 1.5s
                retries: 2
                retry_backoff: 250ms
                trigger: none_failed
              - id: feed
                action: echo
                background: true
            """, file: "trend.yaml", executor: Self.executor)
        #expect(wf.name == "trend-check" && wf.description == "Backtest when the market trends.")
        #expect(wf.parameters.map(\.name) == ["symbol", "bars", "fast", "live"])
        #expect(wf.parameters.map(\.value) == [.string("GOOG"), .integer(250), .number(0.5), .bool(false)])
        #expect(wf.schedule == WorkflowSchedule(interval: .seconds(90), times: 3))
        let total = try #require(wf.steps.first { $0.id == "total" })
        #expect(total.dependsOn == ["data"] && total.condition?.description == "data.count >= 10")
        #expect(total.timeout == .milliseconds(1500) && total.retries == 2 && total.retryBackoff == .milliseconds(250))
        #expect(total.trigger == .noneFailed && wf.steps[2].background)
        #expect(wf.locations["total"]?.line == 9)
    }

    /// Each mistake: the message and the line and column it points at.
    @Test(arguments: [
        ("name: x\nsteps:\n  - id: a\n    action: echo\n    retries: many\n", 5, 14, "retries must be a whole number"),
        ("name: x\nsteps:\n  - id: a\n    action: echo\n    dependson: [b]\n", 5, 5, "unknown key 'dependson' in step 'a'; known: id, action"),
        ("name: x\nstep:\n  - id: a\n", 2, 1, "unknown key 'step'; known: name, description"),
        ("name: x\nsteps:\n  - id: a\n    action: echo\n    timeout: soon\n", 5, 14, "timeout must be a duration such as 250ms, 30s"),
        ("name: x\nsteps:\n  - id: a\n    action: echo\n  - id: b\n    action: echo\n    depends_on: [a]\n    condition: a.x ~ 3\n", 8, 16, "has no operator"),
        ("name: x\nsteps:\n  - id: a\n    action: echo\n  - id: b\n    action: sum\n    depends_on: [a, c]\n", 5, 5, "step 'b' depends on 'c', which is not a step"),
        ("name: x\nsteps:\n  - id: a\n    action: fly\n", 3, 5, "step 'a': unknown action 'fly'"),
        ("name: x\nsteps:\n  - id: a\n    action: echo\n    depends_on: [b]\n  - id: b\n    action: echo\n    depends_on: [a]\n", 3, 5, "cycle"),
        ("name: x\nsteps: [\n", 3, 1, "invalid YAML"),
        ("description: no name\nsteps:\n  - id: a\n    action: echo\n", 1, 1, "the workflow has no name"),
        ("name: x\nsteps:\n  - id: a\n    action: echo\n    trigger: sometimes\n", 5, 14, "trigger must be one of all_succeeded, none_failed, all_done"),
        ("name: x\nsteps:\n  - id: a\n    action: echo\n    background: true\n  - id: b\n    action: echo\n    depends_on: [a]\n", 6, 5, "a background step"),
    ])
    func mistakesAreOneLocatedError(_ text: String, _ line: Int, _ column: Int, _ message: String) throws {
        let error = #expect(throws: YAMLError.self) { try WorkflowFile.load(text, file: "bad.yaml", executor: Self.executor) }
        #expect(error?.file == "bad.yaml")
        #expect(error?.line == line, "\(error?.description ?? "")")
        #expect(error?.column == column, "\(error?.description ?? "")")
        #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
    }

    @Test func parametersAreSubstitutedWithTheirTypes() throws {
        let wf = WorkflowDefinition(name: "p", parameters: [("symbol", .string("GOOG")), ("bars", .integer(250))], steps: [
            StepDefinition(id: "a", action: "echo", parameters: ["symbol": .string("${symbol}"), "bars": .string("${bars}"),
                                                                 "label": .string("${symbol} x ${bars}"), "list": .array([.string("${symbol}")])]),
        ])
        let run = try wf.instantiate(with: ["bars": .integer(10)])
        let p = run.steps[0].parameters
        #expect(p["symbol"] == .string("GOOG") && p["bars"] == .integer(10) && p["label"] == .string("GOOG x 10"))
        #expect(p["list"] == .array([.string("GOOG")]))
        #expect(throws: WorkflowError.unknownParameter("symbl", known: ["symbol", "bars"])) { try wf.instantiate(with: ["symbl": .string("X")]) }
        let unknownRef = WorkflowDefinition(name: "p", steps: [StepDefinition(id: "a", action: "echo", parameters: ["x": .string("${nope}")])])
        #expect(throws: WorkflowError.self) { try unknownRef.instantiate() }
    }

    @Test func durations() {
        #expect(DurationText.parse("250ms") == .milliseconds(250))
        #expect(DurationText.parse("30s") == .seconds(30))
        #expect(DurationText.parse("5m") == .seconds(300))
        #expect(DurationText.parse("2h") == .seconds(7200))
        #expect(DurationText.parse("1d") == .seconds(86_400))
        #expect(DurationText.parse("1.5") == .milliseconds(1500))
        #expect(DurationText.parse("soon") == nil && DurationText.parse("-1s") == nil)
        #expect(DurationText.format(.seconds(300)) == "5m" && DurationText.format(.milliseconds(1500)) == "1.5s")
    }
}

/// Workflow parameters that refer to each other, and values out of range in workflow files.
@Suite struct WorkflowParameterReferenceTests {
    let file = """
    name: refs
    parameters:
      symbol: GOOG
      label: "${symbol}-daily"
      a: "${b}"
      b: "${label}"
    steps:
      - id: one
        action: echo
        parameters: { text: "${a}", count: "${symbol}" }
    """

    @Test func parametersMayReferToEachOtherInAnyOrder() throws {
        let workflow = try WorkflowFile.parse(file, file: "refs.yaml").instantiate()
        #expect(workflow.steps[0].parameters["text"] == .string("GOOG-daily"))
        let overridden = try WorkflowFile.parse(file, file: "refs.yaml").instantiate(with: ["symbol": .string("EURUSD")])
        #expect(overridden.steps[0].parameters["text"] == .string("EURUSD-daily"))
    }

    @Test func cyclesAreLocatedErrors() throws {
        let cyclic = file.replacingOccurrences(of: "label: \"${symbol}-daily\"", with: "label: \"x-${a}\"")
        let workflow = try WorkflowFile.parse(cyclic, file: "refs.yaml")
        #expect(throws: WorkflowError.self) { try workflow.instantiate() }
        do { _ = try workflow.instantiate() } catch {
            // The cycle starts at the first parameter whose value leads back to itself, on its line.
            #expect(error.description == "refs.yaml:4:10: parameter 'label' refers to itself through ${}: label → a → b → label")
        }
        let selfReference = try WorkflowFile.parse(file.replacingOccurrences(of: "symbol: GOOG", with: "symbol: \"${symbol}\""), file: "refs.yaml")
        #expect(throws: WorkflowError.self) { try selfReference.instantiate() }
        let unknown = try WorkflowFile.parse(file.replacingOccurrences(of: "${b}", with: "${nope}"), file: "refs.yaml")
        do { _ = try unknown.instantiate(); Issue.record("an unknown reference must fail") } catch {
            #expect(error.description == "refs.yaml:5:6: parameter 'a' refers to ${nope}, which is not a parameter")
        }
    }

    @Test func durationsAndCountsAreBounded() {
        #expect(DurationText.parse("1e308") == nil)
        #expect(DurationText.parse("9223372036854775807d") == nil)
        #expect(DurationText.parse("0x10s") == nil)
        #expect(DurationText.parse("366d") == nil)
        #expect(DurationText.parse("365d") == .seconds(365 * 86_400))
        #expect(DurationText.parse("250ms") == .milliseconds(250))
        for (key, value) in [("retries", "1000000"), ("timeout", "1e308s")] {
            let text = "name: w\nsteps:\n  - id: a\n    action: echo\n    \(key): \(value)\n"
            #expect(throws: YAMLError.self) { try WorkflowFile.parse(text, file: "w.yaml") }
        }
        #expect(throws: YAMLError.self) { try WorkflowFile.parse("name: w\nschedule: { every: 1s, times: 0 }\nsteps:\n  - id: a\n    action: echo\n", file: "w.yaml") }
    }
}
