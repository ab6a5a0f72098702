public import TraderCore

/// Step records as JSON: what `workflow run --output json` prints, what the store keeps for
/// `workflow status`, and what the API will serve. Offsets are milliseconds from the run's start.
extension WorkflowRun.StepRecord {
    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("status", .string(status.rawValue)),
            ("attempts", .integer(attempts)),
            ("started_ms", started.map { .integer(DurationText.milliseconds($0)) } ?? .null),
            ("ended_ms", ended.map { .integer(DurationText.milliseconds($0)) } ?? .null),
            ("error", error.map(JSONValue.string) ?? .null),
            ("reason", reason.map(JSONValue.string) ?? .null),
            ("outputs", .object(outputs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
        ])
    }

    /// Reads a record written by `json`; nil when `value` is not one.
    public init?(json value: JSONValue) {
        guard let id = value["id"]?.stringValue, let status = value["status"]?.stringValue.flatMap(WorkflowRun.Status.init) else { return nil }
        func duration(_ key: String) -> Duration? {
            if case .integer(let ms)? = value[key] { return .milliseconds(ms) }
            return nil
        }
        var outputs: [String: JSONValue] = [:]
        if case .object(let o)? = value["outputs"] { for (k, v) in o { outputs[k] = v } }
        var attempts = 0
        if case .integer(let a)? = value["attempts"] { attempts = a }
        self.init(id: id, status: status, attempts: attempts, started: duration("started_ms"), ended: duration("ended_ms"),
                  error: value["error"]?.stringValue, reason: value["reason"]?.stringValue, outputs: outputs)
    }
}

extension WorkflowRun {
    /// The steps as a JSON array, in the definition's order.
    public var stepsJSON: JSONValue { .array(steps.map(\.json)) }
}
