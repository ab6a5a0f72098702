import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderWorkflows

/// `gpt-trader workflow`: the built-in and user workflows, run with a live view of their steps.
struct WorkflowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "List, show, run, watch and cancel workflows (chains of slice steps).",
        discussion: """
        A workflow is a graph of steps (data → analysis → regime → selection → backtest → report):
        independent steps run in parallel, conditions choose branches, failed steps are retried.
        Built-in workflows ship with the program; add your own as YAML files in ./workflows or
        ~/.gpt-trader/workflows (see docs/workflows.md), or run a file by its path.

        Examples:
          gpt-trader workflow list
          gpt-trader workflow show multi-strategy-ensemble
          gpt-trader workflow run ml-driven --param symbol=EURUSD
          gpt-trader workflow run real-time-monitoring --every 1m --background
          gpt-trader workflow status
          gpt-trader workflow cancel 1a2b3c4d
        """,
        subcommands: [WorkflowList.self, WorkflowShow.self, WorkflowRunCommand.self, WorkflowStatus.self, WorkflowCancel.self])

    /// Completes workflow names (built-in and the user's files), asked at completion time.
    static let nameCompletion = CompletionKind.custom { _, _, _ in WorkflowCatalog.standard().all().entries.map(\.name) }
}

struct WorkflowList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the workflows you can run.")

    @Option(help: "Output: table or json.") var output: OutputFormat = .table

    func run() throws {
        let (entries, problems) = WorkflowCatalog.standard().all()
        if output == .json {
            print(JSONValue.object([
                ("workflows", .array(entries.map { e in
                    .object([("name", .string(e.name)), ("description", .string(e.definition.description)), ("steps", .integer(e.definition.steps.count)),
                             ("schedule", e.definition.schedule.map { .string("every \(DurationText.format($0.interval))") } ?? .null),
                             ("source", .string(e.source))])
                })),
                ("problems", .array(problems.map { .object([("path", .string($0.path)), ("error", .string($0.message))]) })),
            ]).serialized())
            return
        }
        var table = TextTable(headers: ["name", "steps", "schedule", "source", "description"], alignments: [.left, .right, .left, .left, .left])
        for e in entries {
            table.rows.append([e.name, String(e.definition.steps.count), e.definition.schedule.map { "every \(DurationText.format($0.interval))" } ?? "",
                               e.source, e.definition.description])
        }
        print(table.render())
        for p in problems { printError("warning: \(p.path): \(p.message)") }
    }
}

struct WorkflowShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a workflow: parameters, steps, and which steps run together.")

    @Argument(help: ArgumentHelp("A workflow name (see `workflow list`) or a YAML file.", valueName: "name"),
              completion: WorkflowCommand.nameCompletion) var name: String
    @Flag(help: "Print the workflow's YAML (to copy and edit).") var yaml = false

    func run() throws {
        let entry = try WorkflowCatalog.standard().find(name)
        if yaml {
            print(entry.yaml.hasSuffix("\n") ? String(entry.yaml.dropLast()) : entry.yaml)
            return
        }
        let wf = entry.definition
        print("\(wf.name) (\(entry.source))")
        if !wf.description.isEmpty { print(wf.description) }
        if let schedule = wf.schedule {
            print("schedule: every \(DurationText.format(schedule.interval))" + (schedule.times.map { ", \($0) times" } ?? ""))
        }
        if !wf.parameters.isEmpty {
            print("\nparameters (--param NAME=VALUE):")
            for p in wf.parameters { print("  \(p.name) = \(p.value == .null ? "(from the configuration)" : p.value.plainText)") }
        }
        var table = TextTable(headers: ["stage", "step", "action", "after", "when"], alignments: [.right, .left, .left, .left, .left])
        for (stage, ids) in Self.stages(wf).enumerated() {
            for id in ids {
                let s = wf.steps.first { $0.id == id }!
                var when = s.condition.map { "\($0)" } ?? ""
                if s.trigger != .allSucceeded { when += (when.isEmpty ? "" : ", ") + s.trigger.rawValue }
                if s.background { when += (when.isEmpty ? "" : ", ") + "background" }
                if s.retries > 0 { when += (when.isEmpty ? "" : ", ") + "retries \(s.retries)" }
                if let t = s.timeout { when += (when.isEmpty ? "" : ", ") + "timeout \(DurationText.format(t))" }
                table.rows.append([String(stage + 1), id, s.action, s.dependsOn.joined(separator: ", "), when])
            }
        }
        print("\nsteps (a stage's steps run in parallel):")
        print(table.render())
    }

    /// Steps grouped by depth in the graph: every step of a stage can run once the earlier
    /// stages are done.
    static func stages(_ wf: WorkflowDefinition) -> [[String]] {
        var depth: [String: Int] = [:]
        func visit(_ id: String) -> Int {
            if let d = depth[id] { return d }
            let deps = wf.steps.first { $0.id == id }?.dependsOn ?? []
            let d = deps.isEmpty ? 0 : deps.map(visit).max()! + 1
            depth[id] = d
            return d
        }
        for s in wf.steps { _ = visit(s.id) }
        let maxDepth = depth.values.max() ?? 0
        return (0...maxDepth).map { d in wf.steps.map(\.id).filter { depth[$0] == d } }
    }
}
