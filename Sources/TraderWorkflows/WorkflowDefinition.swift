public import TraderCore
public import TraderYAML

/// A workflow: named steps, each running a registered action with parameters once the steps it
/// depends on are done, optionally only when a condition over earlier outputs holds.
///
/// The executor runs every step whose dependencies are done at the same time (real
/// parallelism), so the order of `steps` does not matter; the graph does.
public struct WorkflowDefinition: Sendable {
    public var name: String
    public var description: String
    /// Inputs the user may set (`--param k=v`), with their defaults, in the file's order; step
    /// parameters refer to them as `${name}` (see `instantiate(with:)`).
    public var parameters: [(name: String, value: JSONValue)]
    /// Set for a scheduled workflow: it runs again every interval.
    public var schedule: WorkflowSchedule?
    public var steps: [StepDefinition]
    /// Where each step was written, for a workflow read from a file (errors name the line).
    public var locations: [String: YAMLLocation] = [:]
    /// Where each parameter's default was written, for a workflow read from a file.
    public var parameterLocations: [String: YAMLLocation] = [:]
    /// The file's location, for a workflow read from a file.
    public var source: YAMLLocation?

    public init(name: String, description: String = "", parameters: [(name: String, value: JSONValue)] = [],
                schedule: WorkflowSchedule? = nil, steps: [StepDefinition]) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.schedule = schedule
        self.steps = steps
    }
}

/// When a step runs, given how its dependencies ended (as Airflow's trigger rules).
public enum StepTrigger: String, Sendable, CaseIterable {
    /// Every dependency succeeded (the default).
    case allSucceeded = "all_succeeded"
    /// No dependency failed or was cancelled; skipped ones are fine: the join after a
    /// conditional branch.
    case noneFailed = "none_failed"
    /// Every dependency finished, however: clean-up, alerts, a report of what happened.
    case allDone = "all_done"
}

/// One step of a workflow.
public struct StepDefinition: Sendable {
    /// Unique within the workflow; how other steps and conditions name it.
    public var id: String
    /// The registered action to run (`ActionRegistry`).
    public var action: String
    public var parameters: [String: JSONValue]
    public var dependsOn: [String]
    /// Run only when this holds over earlier outputs; otherwise the step is skipped.
    public var condition: StepCondition?
    /// Each attempt's limit; an attempt past it fails (and may be retried).
    public var timeout: Duration?
    /// Attempts after the first when an attempt fails.
    public var retries: Int
    /// Wait before the first retry, doubled for each further one.
    public var retryBackoff: Duration
    /// A background step (a watcher, a feed) runs beside the others and is stopped once every
    /// other step has finished; no step may depend on it.
    public var background: Bool
    public var trigger: StepTrigger

    public init(id: String, action: String, parameters: [String: JSONValue] = [:], dependsOn: [String] = [],
                condition: StepCondition? = nil, timeout: Duration? = nil, retries: Int = 0, retryBackoff: Duration = .milliseconds(100),
                background: Bool = false, trigger: StepTrigger = .allSucceeded) {
        self.id = id
        self.action = action
        self.parameters = parameters
        self.dependsOn = dependsOn
        self.condition = condition
        self.timeout = timeout
        self.retries = retries
        self.retryBackoff = retryBackoff
        self.background = background
        self.trigger = trigger
    }
}

/// What can be wrong with a workflow, found before anything runs; each names the step.
public enum WorkflowError: Error, Equatable, CustomStringConvertible, Sendable {
    case duplicateStep(String)
    case unknownAction(step: String, action: String)
    case unknownDependency(step: String, dependency: String)
    case cycle([String])
    case invalidCondition(step: String, reason: String)
    case invalid(step: String, reason: String)
    case unknownParameter(String, known: [String])
    /// A workflow parameter's value cannot be worked out (`${}` references that go round in a
    /// cycle, or name no parameter); `at` is where it was written, when read from a file.
    case parameter(name: String, reason: String, at: YAMLLocation?)

    /// The step the error is about, when it is about one.
    public var step: String? {
        switch self {
        case .duplicateStep(let id): id
        case .unknownAction(let step, _), .unknownDependency(let step, _), .invalidCondition(let step, _), .invalid(let step, _): step
        case .cycle(let ids): ids.first
        case .unknownParameter, .parameter: nil
        }
    }

    public var description: String {
        switch self {
        case .duplicateStep(let id): "step '\(id)' is defined twice"
        case .unknownAction(let step, let action): "step '\(step)': unknown action '\(action)'"
        case .unknownDependency(let step, let dependency): "step '\(step)' depends on '\(dependency)', which is not a step of the workflow"
        case .cycle(let ids): "steps depend on each other in a cycle: \(ids.joined(separator: " → "))"
        case .invalidCondition(let step, let reason): "step '\(step)': condition \(reason)"
        case .invalid(let step, let reason): "step '\(step)': \(reason)"
        case .unknownParameter(let name, let known):
            "unknown parameter '\(name)'" + (known.isEmpty ? "; the workflow takes none" : "; known: \(known.joined(separator: ", "))")
        case let .parameter(name, reason, at): (at.map { "\($0): " } ?? "") + "parameter '\(name)' \(reason)"
        }
    }
}
