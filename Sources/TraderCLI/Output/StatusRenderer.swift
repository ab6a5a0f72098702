import Foundation
import TraderCore

/// Prints a status document (this machine's, or a server's) as the `status` tables.
struct StatusRenderer {
    let terminal: Terminal

    func render(_ doc: JSONValue, source: String?) -> String {
        func get(_ v: JSONValue?, _ key: String) -> JSONValue? {
            guard case .object(let pairs)? = v else { return nil }
            return pairs.first { $0.0 == key }?.1
        }
        func text(_ v: JSONValue?) -> String? { if case .string(let s)? = v { return s }; return nil }
        func int(_ v: JSONValue?) -> Int { if case .integer(let i)? = v { return i }; return 0 }
        func list(_ v: JSONValue?) -> [JSONValue] { if case .array(let a)? = v { return a }; return [] }
        func state(_ x: JSONValue?) -> String {
            switch get(x, "reachable") {
            case .bool(true)?: terminal.paint("reachable", .green) + " — \(text(get(x, "target")) ?? "")" + (text(get(x, "detail")).map { ", \($0)" } ?? "")
            case .bool(false)?: terminal.paint("unreachable", .red) + " — \(text(get(x, "target")) ?? ""): \(text(get(x, "detail")) ?? "")"
            default: text(get(x, "detail")) ?? "not configured"
            }
        }
        let data = get(doc, "data")
        let csv = list(get(data, "csv_symbols")).compactMap(text)
        let running = get(doc, "running")
        var t = TextTable(headers: ["", ""], alignments: [.left, .left])
        t.rows.append(["gpt-trader", (text(get(doc, "version")) ?? "?") + (source.map { " at \($0)" } ?? "")])
        t.rows.append(["Data", "\(csv.count) CSV symbol(s): \(csv.prefix(10).joined(separator: ", "))" + (csv.count > 10 ? ", …" : "")])
        t.rows.append(["Bar store", "\(list(get(data, "stored_symbols")).count) symbol(s) in \(text(get(data, "store_directory")) ?? "")"])
        t.rows.append(["Cache", state(get(doc, "cache"))])
        t.rows.append(["Database", state(get(doc, "database"))])
        t.rows.append(["Running", "\(int(get(running, "bots"))) bots, \(int(get(running, "workflows"))) workflows"])
        var out = t.render()
        let workflows = list(get(running, "workflow_runs"))
        if !workflows.isEmpty {
            var w = TextTable(headers: ["Workflow run", "Workflow", "Started", "Runner"], alignments: [.left, .left, .left, .left])
            for r in workflows {
                let stale = get(r, "stale") == .bool(true)
                w.rows.append([String((text(get(r, "id")) ?? "").prefix(8)), text(get(r, "workflow")) ?? "",
                               (text(get(r, "started")) ?? "").replacingOccurrences(of: "T", with: " "),
                               (text(get(r, "runner")) ?? "") + (stale ? terminal.paint(" (gone: its process ended without finishing)", .yellow) : "")])
            }
            out += "\n\n" + w.render(headerStyle: { terminal.paint($0, .bold) })
        }
        let runs = list(get(doc, "recent_runs"))
        if !runs.isEmpty {
            var table = TextTable(headers: ["Run", "Created", "Strategy", "Symbol", "Return [%]", "# Trades"],
                                  alignments: [.left, .left, .left, .left, .right, .right])
            for r in runs {
                let ret: String
                switch get(r, "return_pct") {
                case .number(let d)?: ret = String(format: "%.2f", d)
                case .integer(let i)?: ret = String(format: "%.2f", Double(i))
                default: ret = "--"
                }
                let created = (text(get(r, "created")) ?? "").replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
                table.rows.append([String((text(get(r, "id")) ?? "").prefix(8)), String(created.prefix(19)), text(get(r, "strategy")) ?? "",
                                   text(get(r, "symbol")) ?? "", ret, String(int(get(r, "trades")))])
            }
            out += "\n\n" + table.render(headerStyle: { terminal.paint($0, .bold) })
        }
        return out
    }
}
