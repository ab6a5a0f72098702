import Foundation
import TraderApp
import TraderCore

/// Prints what `data fetch` did: a table (one row a symbol, failures on stderr), JSON, or nothing.
struct DataFetchPrinter {
    let terminal: Terminal
    let output: OutputFormat

    func print(_ report: BarFetchReport, seconds: Double) {
        switch output {
        case .quiet:
            break
        case .json:
            Swift.print(json(report, seconds: seconds).serialized())
        case .table:
            var table = TextTable(headers: ["Symbol", "Added", "Resumed", "Duplicates", "Gaps", "Stored bars", "First", "Last"],
                                  alignments: [.left, .right, .right, .right, .right, .right, .left, .left])
            for s in report.symbols where s.error == nil {
                table.rows.append([s.stored, s.upToDate ? "up to date" : grouped(s.added), grouped(s.resumed), grouped(s.duplicates),
                                   grouped(s.gaps), s.entry.map { grouped($0.count) } ?? "-", s.entry.map { $0.first.description } ?? "-",
                                   s.entry.map { $0.last.description } ?? "-"])
            }
            if !table.rows.isEmpty { Swift.print(table.render(headerStyle: { terminal.paint($0, .bold) })) }
            for s in report.symbols where s.gaps > 0 && s.error == nil {
                let spans = s.longestGaps.map { "\($0.from) … \($0.to)" }.joined(separator: ", ")
                Swift.print(terminal.paint("\(s.stored): \(s.gaps) gap\(s.gaps == 1 ? "" : "s"); longest: \(spans)", .dim))
            }
            for s in report.failed {
                FileHandle.standardError.write(Data((terminal.paintStderr("error:", .red) + " \(s.symbol): \(s.error!)\n").utf8))
            }
            let retries = report.retries == 0 ? "" : " (\(report.retries) retried)"
            Swift.print(terminal.paint("\(report.source.rawValue) \(report.timeframe) \(report.start) … \(report.end): "
                + "\(grouped(report.requests)) request\(report.requests == 1 ? "" : "s")\(retries) in \(String(format: "%.1f", seconds)) s", .dim))
        }
    }

    func json(_ report: BarFetchReport, seconds: Double) -> JSONValue {
        .object([
            ("source", .string(report.source.rawValue)), ("timeframe", .string(report.timeframe.description)),
            ("start", .string(report.start.description)), ("end", .string(report.end.description)),
            ("requests", .integer(report.requests)), ("retries", .integer(report.retries)), ("seconds", .number(seconds)),
            ("symbols", .array(report.symbols.map { s in
                var fields: [(String, JSONValue)] = [
                    ("symbol", .string(s.symbol)), ("stored", .string(s.stored)), ("up_to_date", .bool(s.upToDate)),
                    ("added", .integer(s.added)), ("resumed", .integer(s.resumed)), ("duplicates", .integer(s.duplicates)),
                    ("gaps", .integer(s.gaps)),
                    ("longest_gaps", .array(s.longestGaps.map { .object([("from", .string($0.from.description)), ("to", .string($0.to.description))]) })),
                ]
                if let e = s.entry {
                    fields += [("bars", .integer(e.count)), ("first", .string(e.first.description)), ("last", .string(e.last.description)),
                               ("path", .string(e.path))]
                }
                if let error = s.error { fields.append(("error", .string(error))) }
                return .object(fields)
            })),
        ])
    }
}
