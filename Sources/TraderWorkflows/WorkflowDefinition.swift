public import TraderCore

/// A workflow: named steps, each running a registered action with parameters once the steps it
/// depends on are done, optionally only when a condition over earlier outputs holds.
///
/// The executor runs every step whose dependencies are done at the same time (real
/// parallelism), so the order of `steps` does not matter; the graph does.
public struct WorkflowDefinition: Sendable {
    public var name: String
    public var description: String
    public var steps: [StepDefinition]

    public init(name: String, description: String = "", steps: [StepDefinition]) {
        self.name = name
        self.description = description
        self.steps = steps
    }
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

    public init(id: String, action: String, parameters: [String: JSONValue] = [:], dependsOn: [String] = [],
                condition: StepCondition? = nil, timeout: Duration? = nil, retries: Int = 0, retryBackoff: Duration = .milliseconds(100)) {
        self.id = id
        self.action = action
        self.parameters = parameters
        self.dependsOn = dependsOn
        self.condition = condition
        self.timeout = timeout
        self.retries = retries
        self.retryBackoff = retryBackoff
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

    public var description: String {
        switch self {
        case .duplicateStep(let id): "step '\(id)' is defined twice"
        case .unknownAction(let step, let action): "step '\(step)': unknown action '\(action)'"
        case .unknownDependency(let step, let dependency): "step '\(step)' depends on '\(dependency)', which is not a step of the workflow"
        case .cycle(let ids): "steps depend on each other in a cycle: \(ids.joined(separator: " → "))"
        case .invalidCondition(let step, let reason): "step '\(step)': condition \(reason)"
        case .invalid(let step, let reason): "step '\(step)': \(reason)"
        }
    }
}
