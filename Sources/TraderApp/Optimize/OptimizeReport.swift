public import Foundation
public import TraderCore
public import TraderEngine

/// What a parameter search reports: its best sets and the JSON document every face prints or
/// serves (`optimize --output json`, a saved search's `runs show`, the API).
public struct OptimizeReport: Sendable {
    /// The best sets, ranked (empty for a walk-forward search, whose folds are in the document).
    public var result: OptimizationResult
    /// The parameters searched, in the order given.
    public var names: [String]
    /// Sets in the search, and the workers that ran them.
    public var sets: Int
    public var workers: Int
    public var sizing: SizingSummary?
    public var document: JSONValue
    /// The id of the saved search, when the run history keeps it.
    public var savedID: UUID?

    public init(result: OptimizationResult, names: [String], sets: Int, workers: Int, sizing: SizingSummary?, document: JSONValue,
                savedID: UUID? = nil) {
        self.result = result
        self.names = names
        self.sets = sets
        self.workers = workers
        self.sizing = sizing
        self.document = document
        self.savedID = savedID
    }

    /// A grid or random search's document.
    static func document(_ r: OptimizationResult, request: OptimizeRequest, names: [String], sets: Int, bars: BarSeries, workers: Int,
                         sizing: SizingSummary?) -> JSONValue {
        .object([
            ("strategy", .string(request.strategy)),
            ("symbol", .string(bars.symbol)),
            ("bars", .integer(bars.count)),
            ("method", .string(request.method.rawValue)),
            ("seed", request.method == .random ? .string(String(request.seed)) : .null),
            ("objective", .object([("metric", .string(r.objective.metric.rawValue)), ("maximize", .bool(r.objective.maximize)),
                                   ("min_trades", .integer(r.objective.minimumTrades))])),
            ("sizing", sizingJSON(sizing)),
            ("sets", .integer(sets)), ("evaluated", .integer(r.evaluated)), ("invalid", .integer(r.invalid)),
            ("unqualified", .integer(r.unqualified)), ("workers", .integer(workers)), ("cancelled", .bool(r.cancelled)),
            ("ranked", rankedJSON(r, names: names)),
        ])
    }

    /// A walk-forward search's document: each fold's windows, best set, in- and out-of-sample
    /// figures, and the stitched out-of-sample result.
    static func walkForwardDocument(_ result: WalkForward.Result, request: OptimizeRequest, plan: OptimizationPlan, bars: BarSeries,
                                    sizing: SizingSummary?) -> JSONValue {
        let objective = plan.objective, names = plan.names
        func day(_ i: Int) -> String { Timestamp(nanos: bars.timestamps[i]).iso8601(dateOnlyAtMidnight: true) }
        func figures(_ m: PerformanceMetrics) -> JSONValue {
            .object([("score", .number(objective.metric.value(m))), ("return_pct", .number(m.returnPct)),
                     ("sharpe_ratio", .number(m.sharpeRatio)), ("trades", .integer(m.tradeCount))])
        }
        let folds: [JSONValue] = result.folds.map { f in
            .object([
                ("train_start", .string(day(f.split.train.lowerBound))), ("train_end", .string(day(f.split.train.upperBound - 1))),
                ("test_start", .string(day(f.split.test.lowerBound))), ("test_end", .string(day(f.split.test.upperBound - 1))),
                ("parameters", f.best.map { b in .object(names.map { ($0, .number(b.parameters[$0] ?? .nan)) }) } ?? .null),
                ("in_sample", f.best.map { figures($0.metrics) } ?? .null),
                ("out_of_sample", f.outOfSample.map(figures) ?? .null),
            ])
        }
        return .object([
            ("strategy", .string(request.strategy)), ("symbol", .string(bars.symbol)), ("method", .string("walk-forward")),
            ("train_days", .integer(request.windows.train)), ("test_days", .integer(request.windows.test)),
            ("step_days", .integer(request.windows.step)),
            ("objective", .object([("metric", .string(objective.metric.rawValue)), ("maximize", .bool(objective.maximize))])),
            ("sizing", sizingJSON(sizing)),
            ("sets", .integer(plan.sets.count)), ("folds", .array(folds)), ("cancelled", .bool(result.cancelled)),
            ("out_of_sample_return_pct", .number(result.outOfSampleReturnPct)),
            ("stitched_equity_final", .number(result.stitchedEquity.last ?? .nan)),
        ])
    }

    /// What is saved as the search's configuration: its document without the ranked list (stored
    /// as rows), plus the ranges and constraints as given, the parameter order and the settings.
    static func savedConfiguration(_ document: JSONValue, request: OptimizeRequest, names: [String]) -> JSONValue {
        guard case let .object(fields) = document else { return document }
        return .object(fields.filter { $0.0 != "ranked" } + [
            ("parameter_names", .array(names.map(JSONValue.string))),
            ("params", .array(request.ranges.map(JSONValue.string))), ("constraints", .array(request.constraints.map(JSONValue.string))),
            ("execution", BacktestReport.settingsJSON(request.backtest.settings)),
        ])
    }

    /// The sizing of every run, as `backtest` reports it; null without sizing.
    public static func sizingJSON(_ sizing: SizingSummary?) -> JSONValue {
        guard let sizing else { return .null }
        return .object([("rule", .string(sizing.rule))] + sizing.parameters.map { ($0.name, .number($0.value)) })
    }

    /// The ranked sets as JSON: shared with `runs show` of a saved search.
    public static func rankedJSON(_ r: OptimizationResult, names: [String]) -> JSONValue {
        .array(r.ranked.map { e in
            .object([
                ("parameters", .object(names.map { ($0, .number(e.parameters[$0] ?? .nan)) })),
                ("score", .number(r.objective.metric.value(e.metrics))),
                ("return_pct", .number(e.metrics.returnPct)), ("sharpe_ratio", .number(e.metrics.sharpeRatio)),
                ("sqn", .number(e.metrics.sqn)), ("max_drawdown_pct", .number(e.metrics.maxDrawdownPct)),
                ("trades", .integer(e.metrics.tradeCount)), ("equity_final", .number(e.metrics.equityFinal)),
            ])
        })
    }
}
