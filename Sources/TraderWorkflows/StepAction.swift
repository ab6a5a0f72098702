public import TraderCore

/// What a step action sees: its parameters, and the outputs of the steps it depends on.
public struct StepContext: Sendable {
    public let workflow: String
    public let step: String
    public let parameters: [String: JSONValue]
    /// Outputs of the steps this one depends on (directly), by step id.
    public let inputs: [String: [String: JSONValue]]
    /// The step's dependencies in the order the step lists them.
    public let dependencies: [String]
    /// 1 for the first attempt.
    public let attempt: Int

    public init(workflow: String, step: String, parameters: [String: JSONValue], inputs: [String: [String: JSONValue]] = [:],
                dependencies: [String] = [], attempt: Int = 1) {
        self.workflow = workflow
        self.step = step
        self.parameters = parameters
        self.inputs = inputs
        self.dependencies = dependencies
        self.attempt = attempt
    }

    /// The step's own parameter `key`, else the first dependency's output of that name (in the
    /// order of `depends_on`): how a symbol loaded by `data.load` or a strategy chosen by
    /// `strategy.select` reaches the steps after it without being repeated.
    public func value(_ key: String) -> JSONValue? {
        if let v = parameters[key], v != .null { return v }
        for d in dependencies { if let v = inputs[d]?[key], v != .null { return v } }
        return nil
    }
}

/// A slice action a step can run. It returns named outputs for later steps and conditions, and
/// should check `Task.isCancelled` (or use cancellable awaits) so a cancelled run stops it.
public protocol StepAction: Sendable {
    func run(_ context: StepContext) async throws -> [String: JSONValue]
}

/// An action from a closure.
public struct ClosureAction: StepAction {
    let body: @Sendable (StepContext) async throws -> [String: JSONValue]

    public init(_ body: @escaping @Sendable (StepContext) async throws -> [String: JSONValue]) {
        self.body = body
    }

    public func run(_ context: StepContext) async throws -> [String: JSONValue] { try await body(context) }
}

/// The actions workflows can name: the built-in slice actions and any the application adds
/// (paper and live trading actions slot in here when the live runtime lands).
public struct ActionRegistry: Sendable {
    private var actions: [String: any StepAction] = [:]

    public init() {}

    public mutating func register(_ name: String, _ action: any StepAction) {
        actions[name] = action
    }

    public mutating func register(_ name: String, _ body: @escaping @Sendable (StepContext) async throws -> [String: JSONValue]) {
        actions[name] = ClosureAction(body)
    }

    public func action(named name: String) -> (any StepAction)? { actions[name] }
    public var names: [String] { actions.keys.sorted() }
}
