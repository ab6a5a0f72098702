import Foundation
import TraderAnalysis
import TraderCore
import TraderEngine
import TraderStrategies
import TraderWorkflows

/// `backtest.run`, `backtest.auto` and `optimize.grid`: the steps that run the kernel.
enum BacktestActions {
    static func register(into registry: inout ActionRegistry, _ env: WorkflowEnvironment) {
        /// One backtest. The strategy, its parameters (`strategy_parameters`), ensemble `weights`,
        /// `position_fraction` and `trading_start` come from the step or from the steps before it
        /// (a selector's choice, an optimizer's best set, a sizing plan, an out-of-sample start).
        /// Saved in the run history when one is configured (`save: false` opts out).
        registry.register("backtest.run") { context in
            let bars = try await env.bars(context)
            let request = BacktestRequest(source: try env.dataRequest(context).source, strategy: try spec(context),
                                          settings: try settings(context, bars: bars), sizing: try sizing(context))
            let result = try BacktestService(data: env.data).run(request, bars: bars)
            var out = WorkflowEnvironment.describe(bars)
            out.merge(metrics(result)) { $1 }
            if let history = env.history, try context.bool("save") ?? true {
                out["run_id"] = .string(try await history.save(result, request: request).uuidString)
            }
            return out
        }
        /// Adaptive strategy selection: the selector's walk-forward choices traded as they would
        /// have been made, against each candidate held throughout.
        registry.register("backtest.auto") { context in
            let bars = try await env.bars(context)
            var configuration = SelectorConfiguration()
            if let candidates = try context.strings("candidates") { configuration.candidates = candidates }
            let (auto, fixed, run) = try SelectionService().autoBacktest(bars: bars, configuration: configuration,
                                                                         settings: try settings(context, bars: bars), sizing: try sizing(context))
            var out = WorkflowEnvironment.describe(bars)
            out.merge(metrics(auto)) { $1 }
            out["strategy"] = nil   // "auto(...)" is not a strategy a later step could run
            let best = fixed.max { $0.metrics.sharpeRatio < $1.metrics.sharpeRatio }
            out["best_fixed_strategy"] = best.map { .string($0.strategy) } ?? .null
            out["best_fixed_sharpe_ratio"] = best.map { .number($0.metrics.sharpeRatio) } ?? .null
            out["beats_fixed"] = .integer(fixed.filter { auto.metrics.sharpeRatio > $0.metrics.sharpeRatio }.count)
            out["candidate_count"] = .integer(fixed.count)
            out["switches"] = .integer(run.schedule.count)
            out["hit_rate"] = .number(run.hitRate)
            if let history = env.history, try context.bool("save") ?? true {
                out["run_id"] = .string(try await history.save(auto, request: nil).uuidString)
            }
            return out
        }
        /// A grid search over `ranges` (name: "start:stop:step" or "a,b,c") with `constraints`,
        /// on the first `train_fraction` of the bars (default 0.7); the rest is left out of
        /// sample, and `trading_start` says where it begins for the backtest after it.
        registry.register("optimize.grid") { context in
            let bars = try await env.bars(context)
            let name = try context.string("strategy") ?? "sma-crossover"
            let fraction = try context.number("train_fraction", in: RiskActions.trainFraction) ?? 0.7
            guard fraction > 0, fraction <= 1 else { throw context.error("train_fraction", "must be in (0, 1], got \(fraction)") }
            let split = max(1, Int(Double(bars.count) * fraction))
            let training = bars.slice(0..<split)
            guard case .object(let rangePairs)? = context.value("ranges") else { throw context.error("ranges", "is required: a mapping such as {fast: \"5:20:5\"}") }
            let s = try settings(context, bars: bars)
            let spec: StrategySpec
            do { spec = try StrategySpec(name: name) } catch { throw AppError.usage("step '\(context.step)': \(error)") }
            // The same checks and search as `gpt-trader optimize`, on the training bars.
            let request = OptimizeRequest(strategy: name, ranges: rangePairs.map { "\($0.0)=\($0.1.plainText)" },
                                          constraints: try context.strings("constraints") ?? [], metric: try context.string("metric") ?? "sharpe",
                                          minimumTrades: try context.integer("min_trades", in: OptimizerLimits.minimumTrades) ?? 1, top: 5,
                                          backtest: BacktestRequest(source: try env.dataRequest(context).source, strategy: spec, settings: s))
            let plan: OptimizationPlan
            do { plan = try OptimizeService().plan(request) } catch { throw AppError.usage("step '\(context.step)': \(error)") }
            let objective = plan.objective
            let result = try await OptimizeService().search(request, plan: plan, bars: training, workers: ProcessInfo.processInfo.activeProcessorCount)
            guard let best = result.ranked.first else {
                throw AppError.runtime("step '\(context.step)': no parameter set of \(name) made \(objective.minimumTrades) trade(s) on the training bars")
            }
            var out = WorkflowEnvironment.describe(bars)
            out["strategy"] = .string(name)
            out["strategy_parameters"] = .object(best.parameters.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) })
            out["score"] = .number(objective.metric.value(best.metrics))
            out["metric"] = .string(objective.metric.rawValue)
            out["evaluated"] = .integer(result.evaluated)
            out["trading_start"] = split < bars.count ? .string(bars[split].timestamp.description) : .null
            return out
        }
    }

    /// The strategy a backtest step runs.
    static func spec(_ context: StepContext) throws -> StrategySpec {
        let name = try context.string("strategy") ?? "sma-crossover"
        let overrides = Dictionary(try context.numbers("strategy_parameters") ?? [], uniquingKeysWith: { $1 })
        let members = name == "ensemble" ? try context.numbers("weights").map { $0.map { (name: $0.0, weight: $0.1) } } : nil
        do { return try StrategySpec(name: name, overrides: overrides, members: members) } catch {
            throw AppError.usage("step '\(context.step)': \(error)")
        }
    }

    /// Execution settings from the step: capital, commission, direction, position_fraction,
    /// stop_loss, take_profit and, with `bars`, trading_start (bars before it only warm up).
    static func settings(_ context: StepContext, bars: BarSeries? = nil) throws -> ExecutionSettings {
        var s = ExecutionSettings()
        if let capital = try context.number("capital") { s.initialCapital = capital }
        if let rate = try context.number("commission") {
            do { s.commission = try CommissionModel(rate: rate) } catch { throw context.error("commission", "\(error)") }
        }
        if let direction = try context.string("direction") {
            guard let d = TradeDirection(rawValue: direction) else {
                throw context.error("direction", "must be one of \(TradeDirection.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            s.direction = d
        }
        if let fraction = try context.number("position_fraction") { s.positionFraction = fraction }
        s.stopLoss = try context.number("stop_loss")
        s.takeProfit = try context.number("take_profit")
        if let bars, let text = try context.string("trading_start") {
            guard let t = DateInput.parse(text) else { throw context.error("trading_start", "must be a date, got '\(text)'") }
            s.tradingStartBar = bars.lowerBound(t.nanos)
        }
        do { try s.validate() } catch { throw AppError.usage("step '\(context.step)': \(error)") }
        return s
    }

    /// Position sizing from the step (`sizing: RULE` with `size`, `kelly_fraction`,
    /// `risk_target`, `max_position`); nil without `sizing`.
    static func sizing(_ context: StepContext) throws -> SizingConfiguration? {
        guard let ruleName = try context.string("sizing") else { return nil }
        guard let rule = SizingConfiguration.Rule(rawValue: ruleName) else {
            throw context.error("sizing", "must be one of \(SizingConfiguration.Rule.allCases.map(\.rawValue).joined(separator: ", ")), got '\(ruleName)'")
        }
        var c = SizingConfiguration(rule: rule)
        if let size = try context.number("size") { c.baseFraction = size }
        if let k = try context.number("kelly_fraction") { c.kellyFraction = k }
        if let r = try context.number("risk_target") { c.riskTarget = r }
        if let m = try context.number("max_position") { c.maxPosition = m }
        do { try c.validate() } catch { throw context.error(error.field.replacingOccurrences(of: "-", with: "_"), error.reason) }
        return c
    }

    /// The figures a backtest step reports (names as in the JSON report).
    /// `label` is the run's description with its parameters; `strategy` only the name, so a
    /// backtest step after this one runs the same strategy.
    static func metrics(_ r: BacktestResult) -> [String: JSONValue] {
        let m = r.metrics
        return [
            "label": .string(r.strategy),
            "strategy": .string(String(r.strategy.prefix { $0 != "(" })),
            "return_pct": .number(m.returnPct),
            "buy_and_hold_return_pct": .number(m.buyAndHoldReturnPct),
            "sharpe_ratio": .number(m.sharpeRatio),
            "max_drawdown_pct": .number(m.maxDrawdownPct),
            "trades": .integer(m.tradeCount),
            "win_rate_pct": .number(m.winRatePct),
            "final_equity": .number(m.equityFinal),
            "exposure_pct": .number(m.exposureTimePct),
        ]
    }
}
