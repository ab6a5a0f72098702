import Foundation
import TestSupport
import Testing
import TraderCore

/// `gpt-trader workflow` through the executable: list, show, run (JSON, errors, exit codes,
/// schedules), and a background run followed with `status` and stopped with `cancel`.
@Suite struct WorkflowCommandTests {
    let cli = CLIProcessTests()

    /// A private GPT_TRADER_HOME (its own run database and workflows folder).
    func home() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wf-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/workflows", withIntermediateDirectories: true)
        return dir
    }

    func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .number(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }

    func field(_ v: JSONValue, _ path: String...) -> JSONValue? {
        var current: JSONValue? = v
        for key in path {
            guard case .object(let pairs)? = current else { return nil }
            current = pairs.first { $0.0 == key }?.1
        }
        return current
    }

    func step(_ doc: JSONValue, _ id: String) -> JSONValue? {
        guard case .array(let steps)? = field(doc, "steps") else { return nil }
        return steps.first { field($0, "id") == .string(id) }
    }

    @Test func listsBuiltinsAndUserFiles() throws {
        let home = try home()
        try "name: mine\ndescription: my own\nsteps:\n  - id: a\n    action: data.load\n".write(toFile: home + "/workflows/mine.yaml", atomically: true, encoding: .utf8)
        try "name: broken\nsteps: []\n".write(toFile: home + "/workflows/broken.yaml", atomically: true, encoding: .utf8)
        let out = try cli.run(["workflow", "list", "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        #expect(out.status == 0, "\(out.stderr)")
        guard case .array(let items)? = field(try json(out.stdout), "workflows") else { Issue.record("no list"); return }
        let names = items.compactMap { if case .string(let s)? = field($0, "name") { s } else { nil } }
        #expect(names == ["mine", "simple-backtest", "quick-test", "ml-driven", "multi-strategy-ensemble", "strategy-optimization",
                          "real-time-monitoring", "adaptive-selection", "paper-trading", "live-trading"])
        guard case .array(let problems)? = field(try json(out.stdout), "problems") else { Issue.record("no problems list"); return }
        #expect(problems.count == 1 && out.stdout.contains("broken.yaml"))
    }

    @Test func showPrintsStagesAndYAML() throws {
        let out = try cli.run(["workflow", "show", "multi-strategy-ensemble"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("risk.ok == true") && out.stdout.contains("none_failed"))
        let yaml = try cli.run(["workflow", "show", "ml-driven", "--yaml"])
        #expect(yaml.stdout.hasPrefix("name: ml-driven"))
    }

    /// The workflow's backtest equals `gpt-trader backtest` with the same settings.
    @Test func runPrintsTheRecordAsJSON() throws {
        let home = try home()
        let out = try cli.run(["workflow", "run", "simple-backtest", "--param", "strategy=momentum", "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        #expect(out.status == 0, "\(out.stderr)")
        let doc = try json(out.stdout)
        #expect(field(doc, "status") == .string("succeeded"))
        #expect(field(doc, "parameters", "strategy") == .string("momentum"))
        let backtest = try cli.run(["backtest", "--strategy", "momentum", "--commission", "0.002", "--no-save", "--output", "json"])
        let expected = try #require(field(try json(backtest.stdout), "metrics", "return_pct"))
        let got = try #require(step(doc, "backtest").flatMap { field($0, "outputs", "return_pct") })
        #expect(Self.number(got) == Self.number(expected))
        // Recorded: `workflow status` lists it.
        let status = try cli.run(["workflow", "status", "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        guard case .array(let runs) = try json(status.stdout) else { Issue.record("no runs"); return }
        #expect(runs.count == 1 && field(runs[0], "run_id") == field(doc, "run_id"))
    }

    @Test(arguments: [
        ("name: bad\nsteps:\n  - id: a\n    action: data.load\n  - id: b\n    action: backtest.run\n    depends_on: [a, c]\n", ":5:5: step 'b' depends on 'c'"),
        ("name: bad\nsteps:\n  - id: a\n    action: data.load\n    retries: many\n", ":5:14: retries must be a whole number"),
    ])
    func badFilesAreUsageErrorsWithTheLocation(_ text: String, _ message: String) throws {
        let file = try cli.temporaryFile("bad.yaml", text)
        let out = try cli.run(["workflow", "run", file])
        #expect(out.status == 2)
        #expect(out.stderr.contains(file + message), "\(out.stderr)")
    }

    @Test func unknownParameterIsAUsageError() throws {
        let out = try cli.run(["workflow", "run", "simple-backtest", "--param", "symbl=X", "--no-save"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("unknown parameter 'symbl'; known: symbol, strategy"))
    }

    @Test func aFailedStepExitsWithOne() throws {
        let file = try cli.temporaryFile("fail.yaml", "name: fail\nsteps:\n  - id: bt\n    action: backtest.run\n    parameters: { strategy: nope }\n  - id: after\n    action: report.write\n    depends_on: [bt]\n")
        let out = try cli.run(["workflow", "run", file, "--no-save"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("workflow fail failed: bt"), "\(out.stderr)")
        #expect(out.stdout.contains("skipped") && out.stdout.contains("dependency 'bt' failed"))
    }

    @Test func scheduleRunsTheGivenNumberOfTimes() throws {
        let home = try home()
        let out = try cli.run(["workflow", "run", "quick-test", "--every", "10ms", "--times", "2", "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines.allSatisfy { (try? JSONValue(parsing: $0)).flatMap { field($0, "status") } == .string("succeeded") })
        let status = try cli.run(["workflow", "status", "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        guard case .array(let runs) = try json(status.stdout) else { Issue.record("no runs"); return }
        #expect(runs.count == 2 && runs.allSatisfy { field($0, "status") == .string("succeeded") })
    }

    /// A background run shows up in `status` while it runs, and `cancel` stops it.
    @Test func backgroundRunIsFollowedAndCancelled() throws {
        let home = try home()
        try "name: slow\nsteps:\n  - id: data\n    action: data.load\n  - id: pause\n    action: wait\n    depends_on: [data]\n    parameters: { for: 1h }\n"
            .write(toFile: home + "/workflows/slow.yaml", atomically: true, encoding: .utf8)
        let env = ["GPT_TRADER_HOME": home]
        let started = try cli.run(["workflow", "run", "slow", "--background", "--output", "json"], environment: env)
        #expect(started.status == 0, "\(started.stderr)")
        guard case .string(let id)? = field(try json(started.stdout), "run_id") else { Issue.record("no run id: \(started.stdout)"); return }
        func state() throws -> JSONValue? {
            let out = try cli.run(["workflow", "status", String(id.prefix(8)), "--output", "json"], environment: env)
            return out.status == 0 ? try json(out.stdout) : nil
        }
        var running = false
        for _ in 0..<600 where !running {   // polls for up to 5 minutes on a loaded machine
            if let doc = try state(), step(doc, "pause").flatMap({ field($0, "status") }) == .string("running") { running = true } else { usleep(500_000) }
        }
        #expect(running)
        let cancel = try cli.run(["workflow", "cancel", String(id.prefix(8))], environment: env)
        #expect(cancel.status == 0, "\(cancel.stderr)")
        var final: JSONValue?
        for _ in 0..<600 {
            if let doc = try state(), field(doc, "status") == .string("cancelled") { final = doc; break }
            usleep(500_000)
        }
        let doc = try #require(final)
        #expect(step(doc, "pause").flatMap { field($0, "status") } == .string("cancelled"))
        #expect(step(doc, "data").flatMap { field($0, "status") } == .string("succeeded"))
        let again = try cli.run(["workflow", "cancel", String(id.prefix(8))], environment: env)
        #expect(again.status == 2 && again.stderr.contains("already finished"))
    }

    /// Cancelling the current run of a scheduled background workflow ends its schedule: the
    /// process stops (its log ends with the schedule stopped) and starts no further run.
    @Test func cancellingAScheduledRunEndsTheSchedule() throws {
        let home = try home()
        try "name: slow\nsteps:\n  - id: pause\n    action: wait\n    parameters: { for: 1h }\n"
            .write(toFile: home + "/workflows/slow.yaml", atomically: true, encoding: .utf8)
        let env = ["GPT_TRADER_HOME": home]
        let started = try cli.run(["workflow", "run", "slow", "--every", "10ms", "--background", "--output", "json"], environment: env)
        #expect(started.status == 0, "\(started.stderr)")
        let doc = try json(started.stdout)
        guard case .string(let id)? = field(doc, "run_id"), case .string(let log)? = field(doc, "log") else { Issue.record("\(started.stdout)"); return }
        var running = false
        for _ in 0..<600 where !running {
            let out = try cli.run(["workflow", "status", String(id.prefix(8)), "--output", "json"], environment: env)
            if out.status == 0, step(try json(out.stdout), "pause").flatMap({ field($0, "status") }) == .string("running") { running = true } else { usleep(500_000) }
        }
        #expect(running)
        #expect(try cli.run(["workflow", "cancel", String(id.prefix(8))], environment: env).status == 0)
        var ended = false
        for _ in 0..<600 where !ended {
            ended = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("interrupted: schedule of slow stopped")
            if !ended { usleep(500_000) }
        }
        #expect(ended, "the background process ends its schedule")
        let list = try cli.run(["workflow", "status", "--output", "json"], environment: env)
        guard case .array(let runs) = try json(list.stdout) else { Issue.record("no runs"); return }
        #expect(runs.count == 1 && field(runs[0], "status") == .string("cancelled"))
    }
}
