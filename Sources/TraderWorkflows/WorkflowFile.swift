public import TraderCore
public import TraderYAML

/// Reads workflow files: YAML with the workflow's name, description, parameters, optional
/// schedule and steps (see docs/workflows.md). Every mistake is one `YAMLError` naming the file,
/// line and column: unknown keys (with the known ones), wrong types, bad durations, bad
/// conditions. What the graph means (unknown actions, cycles, ...) is checked by
/// `WorkflowExecutor.validate`, also at load time by the catalog.
///
/// ```yaml
/// name: trend-check
/// description: Backtest when the market trends.
/// parameters: { symbol: GOOG }
/// schedule: { every: 1h, times: 24 }
/// steps:
///   - id: data
///     action: data.load
///     parameters: { symbol: "${symbol}" }
///   - id: regime
///     action: regime.detect
///     depends_on: [data]
///   - id: backtest
///     action: backtest.run
///     depends_on: [regime]
///     condition: "regime.regime == 'bull'"
///     timeout: 5m
///     retries: 2
///     retry_backoff: 1s
/// ```
public enum WorkflowFile {
    static let topKeys = ["name", "description", "parameters", "schedule", "steps"]
    /// Retries a step may ask for (each waits twice as long as the one before).
    public static let retryBounds = Bounds.integers(0, 100, unit: "retries")

    static let stepKeys = ["id", "action", "parameters", "depends_on", "condition", "timeout", "retries", "retry_backoff", "background", "trigger"]

    /// Parses `text` and checks its graph against `executor` (actions, dependencies, cycles,
    /// conditions); a graph error is reported at the line of the step it is about.
    public static func load(_ text: String, file: String, executor: WorkflowExecutor) throws(YAMLError) -> WorkflowDefinition {
        let workflow = try parse(text, file: file)
        do { try executor.validate(workflow) } catch {
            let at = error.step.flatMap { workflow.locations[$0] } ?? workflow.source ?? YAMLLocation(file: file, line: 1, column: 1)
            throw at.error(error.description)
        }
        return workflow
    }

    public static func parse(_ text: String, file: String) throws(YAMLError) -> WorkflowDefinition {
        let root = try YAMLNode.parse(text, file: file)
        var name: String?
        var description = ""
        var parameters: [(name: String, value: JSONValue)] = []
        var schedule: WorkflowSchedule?
        var steps: [StepDefinition] = []
        var locations: [String: YAMLLocation] = [:]
        var parameterLocations: [String: YAMLLocation] = [:]
        var sawSteps = false
        for entry in try root.mapping("a workflow file") {
            switch entry.key {
            case "name":
                let n = try entry.value.text("name")
                guard !n.isEmpty, n.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                    throw entry.value.location.error("name must be letters, digits, '-' or '_', got '\(DisplayText.quote(n))'")
                }
                name = n
            case "description": description = try entry.value.text("description")
            case "parameters":
                for p in try entry.value.mapping("parameters") {
                    parameters.append((p.key, p.value.json))
                    parameterLocations[p.key] = p.value.location
                }
            case "schedule": schedule = try parseSchedule(entry.value)
            case "steps":
                sawSteps = true
                for item in try entry.value.sequence("steps") {
                    let step = try parseStep(item)
                    if locations[step.id] == nil { locations[step.id] = item.location }
                    steps.append(step)
                }
            default:
                throw entry.keyLocation.error("unknown key '\(DisplayText.quote(entry.key))'; known: \(topKeys.joined(separator: ", "))")
            }
        }
        guard let name else { throw root.location.error("the workflow has no name (name: my-workflow)") }
        guard sawSteps, !steps.isEmpty else { throw root.location.error("the workflow has no steps") }
        var workflow = WorkflowDefinition(name: name, description: description, parameters: parameters, schedule: schedule, steps: steps)
        workflow.locations = locations
        workflow.parameterLocations = parameterLocations
        workflow.source = root.location
        return workflow
    }

    static func parseSchedule(_ node: YAMLNode) throws(YAMLError) -> WorkflowSchedule {
        var interval: Duration?
        var times: Int?
        for entry in try node.mapping("schedule") {
            switch entry.key {
            case "every": interval = try duration(entry.value, "schedule.every")
            case "times":
                let n = try entry.value.integer("schedule.times")
                if let reason = WorkflowSchedule.timesBounds.violation(n) { throw entry.value.location.error("schedule.times \(reason)") }
                times = n
            default: throw entry.keyLocation.error("unknown key '\(DisplayText.quote(entry.key))' in schedule; known: every, times")
            }
        }
        guard let interval, interval > .zero else { throw node.location.error("schedule needs every: INTERVAL (e.g. 5m), above zero") }
        return WorkflowSchedule(interval: interval, times: times)
    }

    static func parseStep(_ node: YAMLNode) throws(YAMLError) -> StepDefinition {
        let entries = try node.mapping("a step")
        guard let id = try entries.first(where: { $0.key == "id" })?.value.text("id") else { throw node.location.error("a step has no id") }
        var step = StepDefinition(id: id, action: "")
        var conditionText: (String, YAMLLocation)?
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "id": break
            case "action": step.action = try value.text("action")
            case "parameters":
                for p in try value.mapping("parameters of step '\(DisplayText.quote(id))'") { step.parameters[p.key] = p.value.json }
            case "depends_on":
                if case .scalar = value.kind { step.dependsOn = [try value.text("depends_on")]; break }
                var deps: [String] = []
                for d in try value.sequence("depends_on") { deps.append(try d.text("depends_on")) }
                step.dependsOn = deps
            case "condition": conditionText = (try value.text("condition"), value.location)
            case "timeout": step.timeout = try duration(value, "timeout")
            case "retries":
                step.retries = try value.integer("retries")
                if let reason = Self.retryBounds.violation(step.retries) { throw value.location.error("retries \(reason)") }
            case "retry_backoff": step.retryBackoff = try duration(value, "retry_backoff")
            case "background": step.background = try value.bool("background")
            case "trigger":
                let text = try value.text("trigger")
                guard let trigger = StepTrigger(rawValue: text) else {
                    throw value.location.error("trigger must be one of \(StepTrigger.allCases.map(\.rawValue).joined(separator: ", ")), got '\(DisplayText.quote(text))'")
                }
                step.trigger = trigger
            default:
                throw entry.keyLocation.error("unknown key '\(DisplayText.quote(entry.key))' in step '\(DisplayText.quote(id))'; known: \(stepKeys.joined(separator: ", "))")
            }
        }
        guard !step.action.isEmpty else { throw node.location.error("step '\(DisplayText.quote(id))' has no action") }
        if let (text, location) = conditionText {
            do { step.condition = try StepCondition(parsing: text) } catch {
                if case .invalidCondition(_, let reason) = error { throw location.error("step '\(DisplayText.quote(id))': condition \(reason)") }
                throw location.error("step '\(DisplayText.quote(id))': \(error)")
            }
        }
        return step
    }

    static func duration(_ node: YAMLNode, _ what: String) throws(YAMLError) -> Duration {
        let text = try node.text(what)
        guard let d = DurationText.parse(text) else {
            throw node.location.error("\(what) must be \(DurationText.expectation), got '\(DisplayText.quote(text))'")
        }
        return d
    }
}
