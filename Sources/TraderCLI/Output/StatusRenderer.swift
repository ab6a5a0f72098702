import Foundation
import TraderCore

/// Prints a status document (this machine's, or a server's) as the `status` tables.
struct StatusRenderer {
    let terminal: Terminal

    func render(_ doc: JSONValue, source: String?) -> String {
        func text(_ v: JSONValue?) -> String { v?.stringValue ?? "" }
        func count(_ v: JSONValue?) -> Int { Int(v?.doubleValue ?? 0) }
        func state(_ x: JSONValue?) -> String {
            switch x?["reachable"] {
            case .bool(true)?: terminal.paint("reachable", .green) + " — \(text(x?["target"]))" + (x?["detail"]?.stringValue.map { ", \($0)" } ?? "")
            case .bool(false)?: terminal.paint("unreachable", .red) + " — \(text(x?["target"])): \(text(x?["detail"]))"
            default: x?["detail"]?.stringValue ?? "not configured"
            }
        }
        let data = doc["data"]
        let csv = (data?["csv_symbols"]?.arrayValue ?? []).compactMap(\.stringValue)
        let running = doc["running"]
        var t = TextTable(headers: ["", ""], alignments: [.left, .left])
        t.rows.append(["gpt-trader", (doc["version"]?.stringValue ?? "?") + (source.map { " at \($0)" } ?? "")])
        t.rows.append(["Data", "\(csv.count) CSV symbol(s): \(csv.prefix(10).joined(separator: ", "))" + (csv.count > 10 ? ", …" : "")])
        t.rows.append(["Bar store", "\(data?["stored_symbols"]?.arrayValue?.count ?? 0) symbol(s) in \(text(data?["store_directory"]))"])
        t.rows.append(["Cache", state(doc["cache"])])
        t.rows.append(["Database", state(doc["database"])])
        t.rows.append(["Running", "\(count(running?["bots"])) bots, \(count(running?["workflows"])) workflows"])
        var out = t.render()
        let workflows = running?["workflow_runs"]?.arrayValue ?? []
        if !workflows.isEmpty {
            var w = TextTable(headers: ["Workflow run", "Workflow", "Started", "Runner"], alignments: [.left, .left, .left, .left])
            for r in workflows {
                let stale = r["stale"] == .bool(true)
                w.rows.append([String(text(r["id"]).prefix(8)), text(r["workflow"]), text(r["started"]).replacingOccurrences(of: "T", with: " "),
                               text(r["runner"]) + (stale ? terminal.paint(" (gone: its process ended without finishing)", .yellow) : "")])
            }
            out += "\n\n" + w.render(headerStyle: { terminal.paint($0, .bold) })
        }
        let runs = doc["recent_runs"]?.arrayValue ?? []
        if !runs.isEmpty {
            var table = TextTable(headers: ["Run", "Created", "Strategy", "Symbol", "Return [%]", "# Trades"],
                                  alignments: [.left, .left, .left, .left, .right, .right])
            for r in runs {
                let ret = r["return_pct"]?.doubleValue.map { String(format: "%.2f", $0) } ?? "--"
                let created = text(r["created"]).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
                table.rows.append([String(text(r["id"]).prefix(8)), String(created.prefix(19)), text(r["strategy"]), text(r["symbol"]), ret,
                                   String(count(r["trades"]))])
            }
            out += "\n\n" + table.render(headerStyle: { terminal.paint($0, .bold) })
        }
        return out
    }
}
