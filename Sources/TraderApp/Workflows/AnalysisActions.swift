import TraderAnalysis
import TraderCore
import TraderEngine
import TraderWorkflows

/// `analyze.market`, `regime.detect` and `strategy.select`: the analysis steps.
enum AnalysisActions {
    static func register(into registry: inout ActionRegistry, _ env: WorkflowEnvironment) {
        /// Indicators, levels, patterns and the recommendation at the last bar.
        registry.register("analyze.market") { context in
            let bars = try await env.bars(context)
            let analysis = try AnalysisService(data: env.data).analyze(AnalysisRequest(source: .symbol(bars.symbol)), bars: bars)
            let r = analysis.recommendation
            var out = WorkflowEnvironment.describe(bars)
            out["recommendation"] = .string(r.action.rawValue)
            out["score"] = .number(r.score)
            out["confidence"] = .number(r.confidence)
            out["best_strategy"] = analysis.comparison.best.map { .string($0.spec.name) } ?? .null
            out["analysis"] = AnalysisReport.json(analysis)
            return out
        }
        /// The market regime at the last bar (threshold classifier; with `method: both` also the
        /// HMM), with the volatility, trend and drawdown behind it.
        registry.register("regime.detect") { context in
            let bars = try await env.bars(context)
            let methodName = try context.string("method") ?? "threshold"
            guard let method = RegimeMethod(rawValue: methodName) else {
                throw context.error("method", "must be one of \(RegimeMethod.allCases.map(\.rawValue).joined(separator: ", ")), got '\(methodName)'")
            }
            let analysis: RegimeAnalysis
            do { analysis = try RegimeAnalysis(series: bars, method: method) } catch { throw AppError.usage("step '\(context.step)': \(error)") }
            var out = WorkflowEnvironment.describe(bars)
            if let reading = analysis.current {
                out["regime"] = reading.regime.map { .string($0.rawValue) } ?? .null
                out["volatility"] = .number(reading.volatility)
                out["trend"] = .number(reading.trend)
                out["drawdown"] = .number(reading.drawdown)
                out["trend_direction"] = .string(reading.trend > 0.02 ? "up" : reading.trend < -0.02 ? "down" : "flat")
            }
            if let hmm = analysis.currentHMMRegime { out["hmm_regime"] = .string(hmm.rawValue) }
            if let agreement = analysis.agreement { out["agreement"] = .number(agreement.agreement) }
            return out
        }
        /// The ML selector: trains on the bars (or loads `model`), ranks the candidates at the last
        /// bar and evaluates itself walking forward. Outputs the chosen `strategy`.
        registry.register("strategy.select") { context in
            let bars = try await env.bars(context)
            var configuration = SelectorConfiguration()
            if let candidates = try context.strings("candidates") { configuration.candidates = candidates }
            if let period = try context.integer("period_bars") { configuration.periodBars = period }
            if let training = try context.integer("training_periods") { configuration.trainingPeriods = training }
            let report = try SelectionService().select(bars: bars, configuration: configuration, settings: try BacktestActions.settings(context),
                                                       modelPath: try context.string("model"), savePath: try context.string("save_model"))
            guard let top = report.ranking.first else { throw AppError.runtime("step '\(context.step)': the selector ranked no strategy") }
            var out = WorkflowEnvironment.describe(bars)
            out["strategy"] = .string(top.strategy)
            out["predicted_sharpe"] = .number(top.predictedSharpe)
            out["confidence"] = .number(top.confidence)
            out["ranking"] = .array(report.ranking.map {
                .object([("strategy", .string($0.strategy)), ("predicted_sharpe", .number($0.predictedSharpe)), ("confidence", .number($0.confidence))])
            })
            out["hit_rate"] = .number(report.run.hitRate)
            return out
        }
    }
}
