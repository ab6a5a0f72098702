public import TraderCore

/// What a step action sees: its parameters, and the outputs of the steps it depends on.
public struct StepContext: Sendable {
    public let workflow: String
    public let step: String
    public let parameters: [String: JSONValue]
    /// Outputs of the steps this one depends on (directly), by step id.
    public let inputs: [String: [String: JSONValue]]
    /// 1 for the first attempt.
    public let attempt: Int
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
