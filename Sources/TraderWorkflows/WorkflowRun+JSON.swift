public import TraderCore

/// Step records as JSON: what `workflow run --output json` prints, what the store keeps for
/// `workflow status`, and what the API will serve. Offsets are milliseconds from the run's start.
extension WorkflowRun.StepRecord {
    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("status", .string(status.rawValue)),
            ("attempts", .integer(attempts)),
            ("started_ms", started.map { .integer(Self.milliseconds($0)) } ?? .null),
            ("ended_ms", ended.map { .integer(Self.milliseconds($0)) } ?? .null),
            ("error", error.map(JSONValue.string) ?? .null),
            ("reason", reason.map(JSONValue.string) ?? .null),
            ("outputs", .object(outputs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
        ])
    }

    /// Reads a record written by `json`; nil when `value` is not one.
    public init?(json value: JSONValue) {
        guard case .object(let pairs) = value else { return nil }
        let fields = Dictionary(pairs, uniquingKeysWith: { $1 })
        guard case .string(let id)? = fields["id"], case .string(let statusText)? = fields["status"],
              let status = WorkflowRun.Status(rawValue: statusText) else { return nil }
        func duration(_ key: String) -> Duration? {
            if case .integer(let ms)? = fields[key] { return .milliseconds(ms) }
            return nil
        }
        func text(_ key: String) -> String? {
            if case .string(let s)? = fields[key] { return s }
            return nil
        }
        var outputs: [String: JSONValue] = [:]
        if case .object(let o)? = fields["outputs"] { for (k, v) in o { outputs[k] = v } }
        var attempts = 0
        if case .integer(let a)? = fields["attempts"] { attempts = a }
        self.init(id: id, status: status, attempts: attempts, started: duration("started_ms"), ended: duration("ended_ms"),
                  error: text("error"), reason: text("reason"), outputs: outputs)
    }

    static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1000 + Int(d.components.attoseconds / 1_000_000_000_000_000)
    }
}

extension WorkflowRun {
    /// The steps as a JSON array, in the definition's order.
    public var stepsJSON: JSONValue { .array(steps.map(\.json)) }
}
