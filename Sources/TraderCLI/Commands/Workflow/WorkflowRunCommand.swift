import ArgumentParser
import Foundation
import Synchronization
import TraderApp
import TraderCore
import TraderWorkflows

/// `gpt-trader workflow run NAME`: runs a workflow once, or on its schedule, with a live view
/// of its steps; `--background` leaves it running in a process of its own.
struct WorkflowRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow (live step view; --output json for the record).",
        discussion: """
        Exit status: 0 when every step succeeded or was skipped by its condition, 1 when a step
        failed, 130 when stopped with Ctrl-C (the running steps are cancelled and recorded).
        Each run is recorded in the run database (see `workflow status`) unless --no-save is given.
        """)

    @Argument(help: ArgumentHelp("A workflow name (see `workflow list`) or a YAML file.", valueName: "name"),
              completion: WorkflowCommand.nameCompletion) var name: String
    @Option(name: .customLong("param"), help: ArgumentHelp("Set a workflow parameter (repeatable).", valueName: "name=value"))
    var params: [String] = []
    @Option(help: ArgumentHelp("Run again every interval (e.g. 30s, 5m), overriding the workflow's schedule.", valueName: "interval"))
    var every: String?
    @Option(help: "With a schedule: stop after this many runs.") var times: Int?
    @Flag(help: "Run a scheduled workflow once.") var once = false
    @Flag(help: "Run in a background process; print its run id and return (follow it with `workflow status ID`).")
    var background = false
    @Option(name: .customLong("run-id"), help: .hidden) var runID: String?

    @OptionGroup(title: "Run database") var saving: SaveOptions
    @Option(help: "Output: table, json or quiet.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func validate() throws {
        if let every, DurationText.parse(every).map({ $0 > .zero }) != true {
            throw ValidationError("--every must be a duration above zero such as 30s or 5m (at most 365d), got '\(DisplayText.quote(every))'")
        }
        if let times, times <= 0 { throw ValidationError("--times must be > 0") }
        if once && (every != nil || times != nil) { throw ValidationError("--once excludes --every and --times") }
        if background && saving.noSave { throw ValidationError("--background needs the run database to report to; drop --no-save") }
        if let runID, UUID(uuidString: runID) == nil { throw ValidationError("--run-id must be a UUID") }
    }

    /// `name=value`: numbers and true/false keep their type, anything else is text.
    static func parameter(_ text: String) throws -> (String, JSONValue) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ValidationError("--param must be NAME=VALUE, got '\(text)'")
        }
        let key = String(text[..<eq])
        let raw = String(text[text.index(after: eq)...])
        if raw == "true" || raw == "false" { return (key, .bool(raw == "true")) }
        if let i = Int(raw) { return (key, .integer(i)) }
        if let d = Double(raw), d.isFinite { return (key, .number(d)) }
        return (key, .string(raw))
    }

    func run() async throws {
        let entry = try WorkflowCatalog.standard().find(name)
        var overrides: [String: JSONValue] = [:]
        for p in params {
            let (k, v) = try Self.parameter(p)
            overrides[k] = v
        }
        let workflow: WorkflowDefinition
        do { workflow = try entry.definition.instantiate(with: overrides) } catch { throw ValidationError("workflow \(entry.name): \(error)") }
        var schedule = once ? nil : workflow.schedule
        if let every { schedule = WorkflowSchedule(interval: DurationText.parse(every)!, times: times) }
        else if let times { schedule = schedule.map { WorkflowSchedule(interval: $0.interval, times: times) } }
        if times != nil && schedule == nil { throw ValidationError("--times needs a schedule (--every INTERVAL)") }

        if background {
            try launchInBackground()
            return
        }
        let history = try await saving.history()
        try await RunHistory.using(history) {
            let runner = WorkflowRunner(environment: WorkflowEnvironment(history: history))
            guard let schedule else {
                try await runOnce(workflow, runner: runner, id: runID.flatMap(UUID.init(uuidString:)) ?? UUID(), recorded: history != nil, last: true)
                return
            }
            try await runScheduled(workflow, schedule: schedule, runner: runner, recorded: history != nil)
        }
    }

    /// One run with the live view; throws the error that sets the exit status.
    @discardableResult
    func runOnce(_ workflow: WorkflowDefinition, runner: WorkflowRunner, id: UUID, recorded: Bool, last: Bool) async throws -> WorkflowRun {
        let terminal = Terminal(noColorFlag: noColor)
        let view = WorkflowProgressView(workflow: workflow, terminal: terminal, mode: output == .table ? (terminal.stderrIsTTY ? .live : .lines) : .off)
        view.start()
        let (run, interrupted) = try await Interruption.cancellingOnInterrupt {
            try await runner.run(workflow, id: id) { view.update($0) }
        }
        view.finish()
        let printer = WorkflowRunPrinter(terminal: terminal)
        switch output {
        // One document; on a schedule, one line per run (JSON Lines) so a reader can follow them.
        case .json: print(printer.json(run, id: recorded ? id : nil, parameters: workflow.parameters).serialized(indent: last ? 2 : nil))
        case .table: print(printer.table(run, workflow: workflow, id: recorded ? id : nil))
        case .quiet: break
        }
        if interrupted || run.status == .cancelled {
            throw AppError.interrupted("workflow \(workflow.name) cancelled")
        }
        if run.status == .failed, last {
            let failed = run.steps.filter { $0.status == .failed }.map { "\($0.id) (\($0.error ?? "failed"))" }
            throw AppError.runtime("workflow \(workflow.name) failed: \(failed.joined(separator: "; "))")
        }
        return run
    }

    /// Runs on the schedule until `times` runs, Ctrl-C, or a run cancelled with `workflow cancel`
    /// (the schedule ends with it); a failed run does not stop the schedule, but makes the exit
    /// status 1 at the end.
    func runScheduled(_ workflow: WorkflowDefinition, schedule: WorkflowSchedule, runner: WorkflowRunner, recorded: Bool) async throws {
        if output == .table {
            printError("scheduled: \(workflow.name) every \(DurationText.format(schedule.interval))"
                + (schedule.times.map { ", \($0) runs" } ?? " until Ctrl-C"))
        }
        let firstID = runID.flatMap(UUID.init(uuidString:))
        let failures = SharedCount()
        let cancelled = SharedCount()
        let (_, interrupted) = try await Interruption.cancellingOnInterrupt {
            await schedule.repeatRuns { n in
                do {
                    let run = try await runOnce(workflow, runner: runner, id: n == 1 ? firstID ?? UUID() : UUID(), recorded: recorded, last: false)
                    if run.status == .failed { failures.add() }
                    return true
                } catch let e as AppError where e.kind == .interrupted {
                    cancelled.add()
                    return false
                } catch {
                    failures.add()
                    if Task.isCancelled { return false }
                    printError("error: \(error)")
                    return true
                }
            }
        }
        if interrupted || cancelled.value > 0 { throw AppError.interrupted("schedule of \(workflow.name) stopped") }
        if failures.value > 0 { throw AppError.runtime("\(failures.value) run(s) of \(workflow.name) failed") }
    }

    /// Starts this same command without `--background` in a new process group (so the
    /// terminal's Ctrl-C does not reach it), output to `$GPT_TRADER_HOME/logs/workflow-ID.log`.
    func launchInBackground() throws {
        let id = runID.flatMap(UUID.init(uuidString:)) ?? UUID()
        let logs = DatabaseLocation.home(environment: ProcessInfo.processInfo.environment) + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let log = "\(logs)/workflow-\(id.uuidString.lowercased()).log"
        var arguments = ShellArguments.current().filter { $0 != "--background" }
        arguments += ["--run-id", id.uuidString, "--no-color"]
        let pid = try BackgroundProcess.spawn(arguments, log: log)
        if output == .json {
            print(JSONValue.object([("run_id", .string(id.uuidString.lowercased())), ("pid", .integer(Int(pid))), ("log", .string(log))]).serialized())
        } else {
            print("started workflow \(name) as run \(id.uuidString.lowercased().prefix(8)) (pid \(pid)); log: \(log)")
            print("follow it with: gpt-trader workflow status \(id.uuidString.lowercased().prefix(8))")
        }
    }
}

/// A count shared with the runs' task (failed runs, cancelled runs of a schedule).
final class SharedCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
