import Foundation
import TraderAnalysis
import TraderCore
import TraderEngine
import TraderStrategies
import TraderWorkflows

/// `ensemble.weights`, `sizing.plan` and `risk.check`: the steps between analysis and execution
/// of the multi-strategy ensemble.
enum RiskActions {
    /// Share of the bars a step trains on (the rest is traded out of sample).
    static let trainFraction = Bounds(lower: 0, upper: 1, lowerOpen: true, upperOpen: true)

    static func register(into registry: inout ActionRegistry, _ env: WorkflowEnvironment) {
        /// Weights for an ensemble: each candidate is backtested (in parallel) on the first
        /// `train_fraction` of the bars (default 0.5); its weight is its Sharpe ratio there
        /// (floored at `floor`, default 0.05), tilted ×`tilt` (default 1.5) towards trend
        /// followers when the regime's `trend_direction` is up or down and towards the others when flat,
        /// then normalized. `trading_start` is the first bar after the training part.
        registry.register("ensemble.weights") { context in
            let bars = try await env.bars(context)
            let candidates = try context.strings("candidates") ?? StrategyCatalog.defaultEnsemble.map(\.name)
            guard !candidates.isEmpty else { throw context.error("candidates", "must name at least one strategy") }
            let fraction = try context.number("train_fraction", in: Self.trainFraction) ?? 0.5
            let floor = try context.number("floor", in: .closed(0, 10)) ?? 0.05
            let tilt = try context.number("tilt", in: .closed(0, 100)) ?? 1.5
            let direction = try context.string("trend_direction") ?? "flat"
            let split = max(1, Int(Double(bars.count) * fraction))
            let training = bars.slice(0..<split)
            let settings = try BacktestActions.settings(context)
            var specs: [StrategySpec] = []
            for name in candidates {
                do { specs.append(try StrategySpec(name: name)) } catch { throw context.error("candidates", "\(error)") }
            }
            let sharpe = try await withThrowingTaskGroup(of: (String, Double).self) { group in
                for spec in specs {
                    group.addTask { (spec.name, try Backtester.run(spec, on: training, settings: settings).metrics.sharpeRatio) }
                }
                var out: [String: Double] = [:]
                for try await (name, value) in group { out[name] = value }
                return out
            }
            var raw: [(String, Double)] = candidates.map { name in
                var w = max(sharpe[name].flatMap { $0.isFinite ? $0 : nil } ?? 0, floor)
                let trend = StrategyCatalog.trendFollowers.contains(name)
                if (direction == "flat") != trend { w *= tilt }
                return (name, w)
            }
            let total = raw.reduce(0) { $0 + $1.1 }
            raw = raw.map { ($0.0, ($0.1 / total * 10_000).rounded() / 10_000) }
            var out = WorkflowEnvironment.describe(bars)
            out["strategy"] = .string("ensemble")
            out["weights"] = .object(raw.map { ($0.0, .number($0.1)) })
            out["training_sharpe"] = .object(candidates.map { ($0, .number(sharpe[$0] ?? .nan)) })
            out["top_member"] = .string(raw.max { $0.1 < $1.1 }!.0)
            out["trading_start"] = .string(bars[split].timestamp.description)
            return out
        }
        /// The share of equity per entry: `target_volatility` (default 0.15) over the regime's
        /// annualized volatility, within [`min_position`, `max_position`] (defaults 0.1, 1).
        registry.register("sizing.plan") { context in
            let target = try context.number("target_volatility", in: Bounds(lower: 0, upper: 10, lowerOpen: true)) ?? 0.15
            let minimum = try context.number("min_position", in: SizingConfiguration.Limits.fraction) ?? 0.1
            let maximum = try context.number("max_position", in: SizingConfiguration.Limits.fraction) ?? 1
            guard minimum <= maximum else { throw context.error("max_position", "needs min_position ≤ max_position") }
            guard let volatility = try context.number("volatility", in: .closed(0, 1_000)) else {
                throw context.error("volatility", "is required (from a regime.detect step it depends on, or given)")
            }
            // The cap is the engine's position rule, as `--sizing … --max-position` applies it.
            let limits = try SizingLimits(maxPosition: maximum)
            let fraction = limits.clamp(volatility > 0 ? max(minimum, target / volatility) : 1, exposure: 0)
            return ["position_fraction": .number(fraction), "volatility": .number(volatility), "target_volatility": .number(target)]
        }
        /// Whether conditions allow trading: the regime's volatility at most `max_volatility`
        /// (default: config risk.max_volatility, 0.6), its drawdown short of `max_drawdown`
        /// (risk.max_drawdown, 0.35; judged by the engine's `DrawdownHalt`) and not a crisis.
        /// `ok` is what execution steps put in their condition; `reasons` says what failed.
        registry.register("risk.check") { context in
            let maxVolatility = try context.number("max_volatility", in: .closed(0, 100)) ?? ActiveConfiguration.number("risk.max_volatility")
            let maxDrawdown = try context.number("max_drawdown", in: RiskRules.Limits.lossFraction) ?? ActiveConfiguration.number("risk.max_drawdown")
            let volatility = try context.number("volatility", in: .closed(0, 1_000)) ?? 0
            let drawdown = abs(try context.number("drawdown", in: .closed(-1, 1)) ?? 0)
            let regime = try context.string("regime") ?? "unknown"
            var reasons: [JSONValue] = []
            if volatility > maxVolatility { reasons.append(.string("volatility \(volatility) above \(maxVolatility)")) }
            // The engine's drawdown halt decides, as it does for backtests and bots: from a peak
            // of 1 to 1 − drawdown.
            var halt = DrawdownHalt(maxDrawdown)
            halt.observe(equity: 1, at: Timestamp(nanos: 0))
            halt.observe(equity: 1 - drawdown, at: Timestamp(nanos: 0))
            if halt.halted { reasons.append(.string("drawdown \(drawdown) reaches \(maxDrawdown)")) }
            if regime == "crisis" { reasons.append(.string("crisis regime")) }
            return ["ok": .bool(reasons.isEmpty), "reasons": .array(reasons), "regime": .string(regime), "volatility": .number(volatility)]
        }
    }
}
