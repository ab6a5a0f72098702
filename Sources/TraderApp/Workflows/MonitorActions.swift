import Foundation
import TraderData
import TraderCore
import TraderStore
import TraderWorkflows

/// `monitor.runs`, `report.write` and `wait`: watching, reporting and pacing.
enum MonitorActions {
    static func register(into registry: inout ActionRegistry, _ env: WorkflowEnvironment) {
        /// The newest `limit` backtests in the run history (default 20) with alerts for those
        /// whose drawdown is deeper than `max_drawdown_pct` (default: config monitor.max_drawdown_pct, 25) or whose Sharpe ratio is
        /// below `min_sharpe` (default: no bound).
        registry.register("monitor.runs") { context in
            guard let history = env.history else {
                throw AppError.runtime("step '\(context.step)': monitor.runs needs the run database (it was turned off with --no-save)")
            }
            let limit = try context.integer("limit", in: RunHistory.listLimit) ?? 20
            let maxDrawdown = abs(try context.number("max_drawdown_pct", in: .closed(0, 100)) ?? ActiveConfiguration.number("monitor.max_drawdown_pct"))
            let minSharpe = try context.number("min_sharpe", in: .closed(-1_000, 1_000))
            var filter = RunFilter(limit: max(1, limit))
            filter.symbol = try context.string("symbol_filter")
            let runs = try await history.list(filter, kind: .backtest).compactMap { entry -> StoredRunSummary? in
                if case .backtest(let r) = entry { return r } else { return nil }
            }
            var alerts: [JSONValue] = []
            for r in runs {
                let id = String(r.id.uuidString.prefix(8)).lowercased()
                if let dd = r.maxDrawdownPct, abs(dd) > maxDrawdown {
                    alerts.append(.string("\(id) \(r.strategy) \(r.symbol): drawdown \(String(format: "%.1f", dd))% beyond \(maxDrawdown)%"))
                }
                if let minSharpe, let s = r.sharpeRatio, s < minSharpe {
                    alerts.append(.string("\(id) \(r.strategy) \(r.symbol): Sharpe \(String(format: "%.2f", s)) below \(minSharpe)"))
                }
            }
            return [
                "runs": .integer(runs.count),
                "alerts": .array(alerts),
                "alert_count": .integer(alerts.count),
                "worst_drawdown_pct": runs.compactMap(\.maxDrawdownPct).min().map(JSONValue.number) ?? .null,
                "best_sharpe_ratio": runs.compactMap(\.sharpeRatio).max().map(JSONValue.number) ?? .null,
                "latest_run": runs.first.map { .string($0.id.uuidString) } ?? .null,
            ]
        }
        /// Gathers its dependencies' outputs into one report (`report`), and writes it as JSON
        /// to `path` when given (atomically: a failed write leaves no partial file).
        registry.register("report.write") { context in
            let fields: [(String, JSONValue)] = context.dependencies.map { id in
                (id, .object((context.inputs[id] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
            }
            let report = JSONValue.object([("workflow", .string(context.workflow)), ("steps", .object(fields))])
            var out: [String: JSONValue] = ["report": report, "sections": .integer(fields.count)]
            // The step's own parameter only: a dependency's `path` output is not a place to write.
            if case .string(let path)? = context.parameters["path"], !path.isEmpty {
                do throws(DataError) { try AtomicWrite.write(report.serialized() + "\n", to: path) } catch {
                    throw AppError(error, context: "step '\(context.step)': report")
                }
                out["path"] = .string(path)
            }
            return out
        }
        /// Waits `for` (a duration such as 500ms or 2s): pacing in user workflows.
        registry.register("wait") { context in
            let text = try context.string("for") ?? "1s"
            guard let d = DurationText.parse(text) else { throw context.error("for", "must be \(DurationText.expectation), got '\(DisplayText.quote(text))'") }
            try await Task.sleep(for: d)
            return ["waited": .string(text)]
        }
    }
}
