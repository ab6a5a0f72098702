import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderStore
import TraderWorkflows

/// `gpt-trader workflow status [ID]`: recent workflow runs, or one run's steps (live while it
/// runs in another process).
struct WorkflowStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show recent workflow runs, or the steps of one (by id or its first characters).")

    @Argument(help: ArgumentHelp("A workflow run id (default: list recent runs).", valueName: "id")) var id: String?
    @Option(name: .customLong("limit"), parsing: .unconditional, help: "With no id: at most this many runs.") var limitValue: Whole = Whole(20)
    var limit: Int { limitValue.value }
    @OptionGroup(title: "Run database") var database: DatabaseOptions
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func validate() throws {
        if let reason = RunHistory.listLimit.violation(limit) { throw ValidationError("--limit \(reason)") }
    }

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        try await RunHistory.using(history) {
            if let id {
                try show(try await history.workflowRun(id))
            } else {
                try list(try await history.workflowRuns(limit: limit))
            }
        }
    }

    func list(_ runs: [StoredWorkflowRun]) throws {
        if output == .json {
            print(JSONValue.array(runs.map { Self.summaryJSON($0) }).serialized())
            return
        }
        if runs.isEmpty {
            print("no workflow runs yet (start one with `gpt-trader workflow run NAME`)")
            return
        }
        var table = TextTable(headers: ["id", "workflow", "status", "started", "time", "steps"], alignments: [.left, .left, .left, .left, .right, .left])
        for r in runs {
            let steps = r.stepRecords
            let done = steps.filter { [.succeeded, .skipped, .stopped].contains($0.status) }.count
            table.rows.append([RunsCommand.shortID(r.id), r.workflow, Self.state(r), RunsCommand.created(r.startedAt), Self.elapsed(r),
                               "\(done)/\(steps.count) done"])
        }
        print(table.render())
    }

    func show(_ r: StoredWorkflowRun) throws {
        let steps = r.stepRecords
        if output == .json {
            guard case .object(var fields) = Self.summaryJSON(r) else { return }
            fields.append(("parameters", (try? JSONValue(parsing: r.parameters)) ?? .null))
            fields.append(("steps", .array(steps.map(\.json))))
            print(JSONValue.object(fields).serialized())
            return
        }
        let definition = try? WorkflowCatalog.standard().find(r.workflow).definition
        let status = WorkflowRun.Status(rawValue: r.status) ?? .running
        let run = WorkflowRun(workflow: r.workflow, status: status, steps: steps, duration: .nanoseconds((r.finishedAt ?? r.updatedAt) - r.startedAt))
        let header = "workflow \(r.workflow)  run \(RunsCommand.shortID(r.id))  \(Self.state(r))  started \(RunsCommand.created(r.startedAt)), \(Self.elapsed(r))"
            + "  (\(r.runner))"
        print(WorkflowRunPrinter(terminal: Terminal(noColorFlag: noColor)).table(run, workflow: definition, id: r.id, header: header))
    }

    /// The status, with "cancelling" while a cancel request waits for the runner.
    static func state(_ r: StoredWorkflowRun) -> String {
        r.cancelRequested && !r.isFinished ? "cancelling" : r.status
    }

    static func elapsed(_ r: StoredWorkflowRun) -> String {
        let end = r.finishedAt ?? StoreClock.nowNanos()
        return DurationText.format(.nanoseconds(max(0, end - r.startedAt)))
    }

    static func summaryJSON(_ r: StoredWorkflowRun) -> JSONValue {
        .object([
            ("run_id", .string(r.id.uuidString.lowercased())),
            ("workflow", .string(r.workflow)),
            ("status", .string(state(r))),
            ("started_at", .string(Timestamp(nanos: r.startedAt).iso8601())),
            ("finished_at", r.finishedAt.map { .string(Timestamp(nanos: $0).iso8601()) } ?? .null),
            ("runner", .string(r.runner)),
            ("cancel_requested", .bool(r.cancelRequested)),
        ])
    }
}

/// `gpt-trader workflow cancel ID`: asks the process running the workflow to stop it.
struct WorkflowCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a running workflow (its process stops the running steps and records them as cancelled).")

    @Argument(help: ArgumentHelp("The workflow run's id or its first characters.", valueName: "id")) var id: String
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        try await RunHistory.using(history) {
            let run = try await history.cancelWorkflowRun(id)
            print("cancel requested for workflow run \(RunsCommand.shortID(run.id)) (\(run.workflow)); its runner stops it within a second"
                + " (a scheduled workflow's schedule ends with it)")
        }
    }
}
