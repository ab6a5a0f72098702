import TraderCore
import Foundation
import TraderApp
import TraderEngine
import TraderStore

/// Prints a saved optimization as `optimize` printed it: the ranked table (or the JSON document
/// with its `ranked` list) rebuilt from the stored search description and result rows.
struct OptimizationPrinter {
    let terminal: Terminal
    let output: OutputFormat

    func print(_ o: StoredOptimization) throws {
        let id = o.id.uuidString.lowercased()
        let configuration: JSONValue
        do { configuration = try JSONValue(parsing: o.configuration) } catch {
            throw AppError.runtime("optimization \(id): its stored configuration is unreadable (\(error))")
        }
        guard case let .object(fields) = configuration else { throw AppError.runtime("optimization \(id): stored configuration is not an object") }
        let field = { (name: String) in fields.first { $0.0 == name }?.1 }
        let names: [String] = {
            if case let .array(items)? = field("parameter_names") { return items.compactMap { if case let .string(s) = $0 { s } else { nil } } }
            return Array(Set(o.results.flatMap(\.parameters.keys))).sorted()
        }()
        let result = OptimizationResult(objective: try objective(field("objective"), id: id),
                                        ranked: o.results.enumerated().map { i, r in
                                            OptimizationEntry(index: i, parameters: r.parameters, score: r.score,
                                                              metrics: PerformanceMetrics(storedValues: r.metrics))
                                        },
                                        evaluated: 0, invalid: 0, unqualified: 0, cancelled: false)
        // A walk-forward search is stored whole as its document (folds, not one ranked list).
        let walkForward = field("folds") != nil
        switch output {
        case .quiet:
            break
        case .json:
            var out: [(String, JSONValue)] = [("run_id", .string(id))] + fields.filter { !["parameter_names", "params", "constraints", "execution"].contains($0.0) }
            if !walkForward { out.append(("ranked", OptimizeReport.rankedJSON(result, names: names))) }
            Swift.print(JSONValue.object(out).serialized())
        case .table:
            Swift.print(terminal.paint("optimization \(id): \(o.strategy) on \(o.symbol), \(o.objective), saved \(RunsCommand.created(o.createdAt)) UTC", .dim))
            if walkForward {
                Swift.print(configuration.serialized())
            } else {
                Swift.print(OptimizeCommand.table(result, names: names, terminal: terminal))
            }
        }
    }

    func objective(_ value: JSONValue?, id: String) throws -> Objective {
        guard case let .object(o)? = value else { throw AppError.runtime("optimization \(id): stored objective is missing") }
        let get = { (name: String) in o.first { $0.0 == name }?.1 }
        guard case let .string(name)? = get("metric"), let metric = Objective.Metric(rawValue: name) else {
            throw AppError.runtime("optimization \(id): stored objective metric is unknown")
        }
        var maximize: Bool?
        if case let .bool(b)? = get("maximize") { maximize = b }
        var minimum = 0
        if case let .integer(n)? = get("min_trades") { minimum = n }
        return Objective(metric: metric, maximize: maximize, minimumTrades: minimum)
    }
}
