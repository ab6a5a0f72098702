import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderEngine
import TraderStore

/// `gpt-trader runs`: the saved backtests and optimizations.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, compare and delete saved backtests and optimizations.",
        discussion: """
        Every `backtest` and `optimize` is saved in the run database (--no-save skips it). Ids may
        be shortened to their first characters, as `runs list` shows them.

        Examples:
          gpt-trader runs list --strategy sma-crossover --limit 5
          gpt-trader runs show 1a2b3c4d --trades
          gpt-trader runs compare 1a2b3c4d 5e6f7a8b
          gpt-trader runs delete 1a2b3c4d
        """,
        subcommands: [RunsList.self, RunsShow.self, RunsCompare.self, RunsDelete.self])

    /// Formats a stored time (nanoseconds since 1970) to the second, in UTC.
    static func created(_ nanos: Int64) -> String {
        Timestamp(nanos: nanos - nanos % 1_000_000_000).iso8601().replacingOccurrences(of: "T", with: " ")
    }

    static func shortID(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) }
}

struct RunsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List saved runs, newest first.")

    @Option(help: "Only runs of this strategy (its name, e.g. sma-crossover).") var strategy: String?
    @Option(help: "Only runs on this symbol.") var symbol: String?
    @Option(name: .customLong("limit"), parsing: .unconditional, help: "At most this many.") var limitValue: Whole = Whole(20)
    var limit: Int { limitValue.value }
    @Option(help: "backtest, optimization or all.") var kind: String = "all"
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func validate() throws {
        if let reason = RunHistory.listLimit.violation(limit) { throw ValidationError("--limit \(reason)") }
        guard RunHistory.Kind(rawValue: kind) != nil else { throw ValidationError("--kind must be backtest, optimization or all, got '\(kind)'") }
    }

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        let entries = try await RunHistory.using(history) {
            try await history.list(RunFilter(strategy: strategy, symbol: symbol, limit: limit), kind: RunHistory.Kind(rawValue: kind)!)
        }
        let terminal = Terminal(noColorFlag: noColor)
        switch output {
        case .json:
            print(JSONValue.array(entries.map(Self.json)).serialized())
        case .table, .quiet:
            guard !entries.isEmpty else {
                print(terminal.paint("no saved runs in \(history.location)" + (strategy != nil || symbol != nil ? " matching the filter" : ""), .dim))
                return
            }
            let renderer = ReportRenderer(terminal: terminal)
            var t = TextTable(headers: ["Id", "Created (UTC)", "Kind", "Strategy", "Symbol", "Bars", "Return [%]", "Sharpe", "Max DD [%]", "# Trades"],
                              alignments: [.left, .left, .left, .left, .left, .right, .right, .right, .right, .right])
            func number(_ d: Double?, _ digits: Int) -> String { d.map { renderer.number($0, digits: digits) } ?? "--" }
            for e in entries {
                switch e {
                case .backtest(let r):
                    t.rows.append([RunsCommand.shortID(r.id), RunsCommand.created(r.createdAt), "backtest", r.strategy, r.symbol, String(r.barCount),
                                   number(r.returnPct, 2), number(r.sharpeRatio, 4), number(r.maxDrawdownPct, 2), String(r.tradeCount)])
                case .optimization(let o):
                    t.rows.append([RunsCommand.shortID(o.id), RunsCommand.created(o.createdAt), "optimization", o.strategy, o.symbol, "",
                                   "", "", "", "\(o.resultCount) sets"])
                }
            }
            print(t.render(headerStyle: { terminal.paint($0, .bold) }))
        }
    }

    static func json(_ e: RunHistory.Entry) -> JSONValue {
        switch e {
        case .backtest(let r):
            .object([("id", .string(r.id.uuidString.lowercased())), ("kind", .string("backtest")),
                     ("created", .string(Timestamp(nanos: r.createdAt).iso8601())), ("strategy", .string(r.strategy)),
                     ("symbol", .string(r.symbol)), ("timeframe", .string(r.timeframe)), ("bars", .integer(r.barCount)),
                     ("return_pct", r.returnPct.map(JSONValue.number) ?? .null), ("sharpe_ratio", r.sharpeRatio.map(JSONValue.number) ?? .null),
                     ("max_drawdown_pct", r.maxDrawdownPct.map(JSONValue.number) ?? .null), ("trades", .integer(r.tradeCount))])
        case .optimization(let o):
            .object([("id", .string(o.id.uuidString.lowercased())), ("kind", .string("optimization")),
                     ("created", .string(Timestamp(nanos: o.createdAt).iso8601())), ("strategy", .string(o.strategy)),
                     ("symbol", .string(o.symbol)), ("objective", .string(o.objective)), ("results", .integer(o.resultCount))])
        }
    }
}

struct RunsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a saved run's report (the same report as the backtest or optimization printed).")

    @Argument(help: "The run's id or its first characters.") var id: String
    @Option(help: "Output: table, json or quiet.") var output: OutputFormat = .table
    @Flag(help: "Print the trade list.") var trades = false
    @Option(name: .customLong("equity-csv"), help: ArgumentHelp("Write the equity curve to a CSV file.", valueName: "file"))
    var equityCSV: String?
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        let found = try await RunHistory.using(history) { try await history.find(id) }
        let terminal = Terminal(noColorFlag: noColor)
        switch found {
        case .backtest(let run):
            let (result, parameters) = try RunHistory.result(of: run)
            if let equityCSV { try EquityCSV.write(result, to: equityCSV) }
            BacktestPrinter(terminal: terminal, output: output, includeTrades: trades).print(result, parameters: parameters, runID: run.summary.id)
        case .optimization(let o):
            if trades || equityCSV != nil { throw ValidationError("\(id) is an optimization: it has no trade list or equity curve") }
            try OptimizationPrinter(terminal: terminal, output: output).print(o)
        }
    }
}

struct RunsCompare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Put the statistics of saved backtests side by side.")

    @Argument(help: "Two or more run ids (or their first characters).") var ids: [String]
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func validate() throws {
        guard ids.count >= 2 else { throw ValidationError("compare needs at least two run ids") }
    }

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        let runs: [(UUID, BacktestResult, [String: Double])] = try await RunHistory.using(history) {
            var out: [(UUID, BacktestResult, [String: Double])] = []
            for id in ids {
                guard case .backtest(let run) = try await history.find(id) else {
                    throw ValidationError("\(id) is an optimization; compare takes backtests (see `gpt-trader runs show \(id)`)")
                }
                let (result, parameters) = try RunHistory.result(of: run)
                out.append((run.summary.id, result, parameters))
            }
            return out
        }
        let terminal = Terminal(noColorFlag: noColor)
        switch output {
        case .json:
            print(JSONValue.array(runs.map { id, result, parameters in
                let printer = BacktestReport.json(result, parameters: parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                                                  includeTrades: false)
                guard case let .object(fields) = printer else { return printer }
                return .object([("run_id", .string(id.uuidString.lowercased()))] + fields)
            }).serialized())
        case .table, .quiet:
            let renderer = ReportRenderer(terminal: terminal)
            let columns = runs.map { BacktestReport.rows($0.1) }
            var t = TextTable(headers: [""] + runs.map { RunsCommand.shortID($0.0) },
                              alignments: [.left] + Array(repeating: .right, count: runs.count))
            for (i, row) in columns[0].enumerated() {
                t.rows.append([row.label] + columns.map { renderer.format($0[i].value) })
            }
            print(t.render(headerStyle: { terminal.paint($0, .bold) }))
        }
    }
}

struct RunsDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete saved runs (a backtest with its curve and trades, an optimization with its results).")

    @Argument(help: "Run ids (or their first characters).") var ids: [String]
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func validate() throws {
        guard !ids.isEmpty else { throw ValidationError("give the id of the run to delete") }
    }

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        try await RunHistory.using(history) {
            for id in ids {
                let deleted = try await history.delete(id)
                print("deleted \(deleted.uuidString.lowercased())")
            }
        }
    }
}
