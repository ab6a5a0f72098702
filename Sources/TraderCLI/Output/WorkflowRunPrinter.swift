import Foundation
import TraderCore
import TraderWorkflows

/// A workflow run as a table of steps with a one-line result each, or as JSON.
struct WorkflowRunPrinter {
    let terminal: Terminal

    func table(_ run: WorkflowRun, workflow: WorkflowDefinition?, id: UUID?, header: String? = nil) -> String {
        let actions = Dictionary(uniqueKeysWithValues: (workflow?.steps ?? []).map { ($0.id, $0.action) })
        var lines: [String] = []
        let status = paint(run.status)
        lines.append(header ?? "workflow \(run.workflow)" + (id.map { "  run \($0.uuidString.lowercased().prefix(8))" } ?? "")
            + "  \(status) in \(DurationText.format(run.duration))")
        var table = TextTable(headers: ["step", "action", "status", "time", "result"], alignments: [.left, .left, .left, .right, .left])
        for s in run.steps {
            let time = s.started.flatMap { a in s.ended.map { DurationText.format($0 - a) } } ?? ""
            table.rows.append([s.id, actions[s.id] ?? "", s.status.rawValue, time, Self.result(s)])
        }
        table.paint = { _, column, text in
            guard column == 2, let st = WorkflowRun.Status(rawValue: text) else { return text }
            return paint(st, text: text)
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }

    func json(_ run: WorkflowRun, id: UUID?, parameters: [(name: String, value: JSONValue)]) -> JSONValue {
        .object([
            ("run_id", id.map { .string($0.uuidString.lowercased()) } ?? .null),
            ("workflow", .string(run.workflow)),
            ("status", .string(run.status.rawValue)),
            ("duration_ms", .integer(DurationText.milliseconds(run.duration))),
            ("parameters", .object(parameters.map { ($0.name, $0.value) })),
            ("steps", run.stepsJSON),
        ])
    }

    func paint(_ status: WorkflowRun.Status, text: String? = nil) -> String {
        let t = text ?? status.rawValue
        switch status {
        case .succeeded, .stopped: return terminal.paint(t, .green)
        case .failed, .cancelled: return terminal.paint(t, .red)
        case .skipped: return terminal.paint(t, .yellow)
        default: return t
        }
    }

    /// A step's outcome in a few words: the error, the skip reason, or its key outputs.
    static func result(_ s: WorkflowRun.StepRecord) -> String {
        switch s.status {
        case .failed: return s.error ?? "failed"
        case .skipped, .stopped: return s.reason ?? ""
        case .cancelled: return "cancelled"
        default: break
        }
        let o = s.outputs
        func num(_ k: String, _ digits: Int = 2) -> String? {
            guard let v = o[k], let d = v.doubleValue else { return nil }
            return String(format: "%.\(digits)f", d)
        }
        func text(_ k: String) -> String? {
            if case .string(let t)? = o[k] { return t }
            return nil
        }
        var parts: [String] = []
        if let r = num("return_pct") {
            parts.append(text("label") ?? text("strategy") ?? "")
            parts.append("return \(r)%")
            if let sh = num("sharpe_ratio") { parts.append("sharpe \(sh)") }
            if let dd = num("max_drawdown_pct", 1) { parts.append("max dd \(dd)%") }
            if case .integer(let n)? = o["trades"] { parts.append("\(n) trades") }
        } else if case .object(let w)? = o["weights"] {
            parts.append("weights " + w.map { "\($0.0) \(String(format: "%.2f", $0.1.doubleValue ?? 0))" }.joined(separator: ", "))
        } else if case .object(let p)? = o["strategy_parameters"] {
            parts.append("best " + p.map { "\($0.0)=\($0.1.plainText)" }.joined(separator: ", "))
            if let sc = num("score") { parts.append("\(text("metric") ?? "score") \(sc)") }
        } else if let ok = o["ok"], case .bool(let b) = ok {
            parts.append(b ? "ok" : "not ok")
            if case .array(let reasons)? = o["reasons"] ?? o["problems"], !reasons.isEmpty {
                parts.append(reasons.map(\.plainText).joined(separator: "; "))
            }
        } else if let p = text("recommendation") {
            parts.append("recommendation \(p)")
        } else if let st = text("strategy"), let ps = num("predicted_sharpe") {
            parts.append("\(st) (predicted sharpe \(ps))")
        } else if let regime = text("regime"), let vol = num("volatility") {
            parts.append("\(regime), volatility \(vol)")
        } else if let f = num("position_fraction") {
            parts.append("position \(f)")
        } else if case .integer(let n)? = o["alert_count"] {
            parts.append("\(o["runs"]?.plainText ?? "0") runs, \(n) alerts")
        } else if case .integer(let n)? = o["sections"] {
            parts.append("\(n) sections" + (text("path").map { " → \($0)" } ?? ""))
        } else if let sym = text("symbol"), case .integer(let bars)? = o["bars"] {
            parts.append("\(sym) \(bars) bars \(text("start") ?? "") … \(text("end") ?? "")")
        } else {
            parts = o.keys.sorted().prefix(3).map { "\($0)=\(o[$0]!.plainText)" }
        }
        return String(parts.filter { !$0.isEmpty }.joined(separator: ", ").prefix(100))
    }
}
