import TraderCore
import ArgumentParser
import TraderApp
import TraderStrategies

/// `gpt-trader strategies`: the built-in strategies with their parameters and defaults.
struct StrategiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategies", abstract: "List the built-in strategies, their parameters and defaults.")

    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func run() throws {
        switch output {
        case .json:
            let doc = JSONValue.array(StrategyCatalog.all.map { d in
                var fields: [(String, JSONValue)] = [
                    ("name", .string(d.name)), ("summary", .string(d.summary)),
                    ("parameters", .array(d.parameters.map { p in
                        .object([("name", .string(p.name)), ("type", .string(p.kind.rawValue)),
                                 ("default", .number(p.defaultValue)), ("min", .number(p.minimum)),
                                 ("max", p.maximum.isFinite ? .number(p.maximum) : .null), ("help", .string(p.summary))])
                    })),
                    ("constraints", .array(d.constraints.map(JSONValue.string))),
                ]
                if d.name == "ensemble" {
                    fields.append(("default_members", .array(StrategyCatalog.defaultEnsemble.map {
                        .object([("name", .string($0.name)), ("weight", .number($0.weight))])
                    })))
                }
                return .object(fields)
            })
            print(doc.serialized())
        case .table, .quiet:
            let t = Terminal(noColorFlag: noColor)
            for d in StrategyCatalog.all {
                print(t.paint(d.name, .bold) + "  " + d.summary)
                var table = TextTable(headers: ["", "", "", ""], alignments: [.left, .left, .right, .left])
                for p in d.parameters {
                    table.rows.append(["  --\(p.name)", p.kind == .integer ? "int" : "real", p.format(p.defaultValue), p.summary])
                }
                let rendered = table.render()
                if !rendered.isEmpty { print(rendered) }
                for c in d.constraints { print("  " + t.paint("constraint: " + c, .dim)) }
                print("")
            }
        }
    }
}
