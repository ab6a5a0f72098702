public import TraderCore

/// The record of one run of a workflow: each step's status, attempts, timing, error and outputs.
public struct WorkflowRun: Sendable {
    /// `stopped`: a background step ended because every other step had finished.
    public enum Status: String, Sendable, CaseIterable { case pending, running, succeeded, failed, skipped, cancelled, stopped }

    public struct StepRecord: Sendable {
        public var id: String
        public var status: Status
        public var attempts: Int
        /// Offsets from the run's start.
        public var started: Duration?
        public var ended: Duration?
        public var error: String?
        /// Why a step was skipped (condition false, a dependency did not succeed).
        public var reason: String?
        public var outputs: [String: JSONValue]

        public init(id: String, status: Status, attempts: Int = 0, started: Duration? = nil, ended: Duration? = nil, error: String? = nil,
                    reason: String? = nil, outputs: [String: JSONValue] = [:]) {
            self.id = id
            self.status = status
            self.attempts = attempts
            self.started = started
            self.ended = ended
            self.error = error
            self.reason = reason
            self.outputs = outputs
        }
    }

    public var workflow: String
    public var status: Status
    /// In the definition's order.
    public var steps: [StepRecord]
    public var duration: Duration

    public init(workflow: String, status: Status, steps: [StepRecord], duration: Duration) {
        self.workflow = workflow
        self.status = status
        self.steps = steps
        self.duration = duration
    }

    public func step(_ id: String) -> StepRecord? { steps.first { $0.id == id } }
}
