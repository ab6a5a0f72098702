public import TraderCore

/// The record of one run of a workflow: each step's status, attempts, timing, error and outputs.
public struct WorkflowRun: Sendable {
    public enum Status: String, Sendable { case pending, running, succeeded, failed, skipped, cancelled }

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
    }

    public var workflow: String
    public var status: Status
    /// In the definition's order.
    public var steps: [StepRecord]
    public var duration: Duration

    public func step(_ id: String) -> StepRecord? { steps.first { $0.id == id } }
}
