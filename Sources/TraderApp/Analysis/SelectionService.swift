public import Foundation
public import TraderAnalysis
public import TraderCore
public import TraderEngine
import TraderData
import TraderStrategies

/// The strategy selector for the CLI and the API: regimes for the features, training, walk-forward
/// evaluation, `backtest --strategy auto`, and saving and loading trained models as JSON.
public struct SelectionService: Sendable {
    public let backtests: BacktestService

    public init(backtests: BacktestService = BacktestService()) { self.backtests = backtests }

    /// What `gpt-trader select` shows: the ranking now, and how the selector did walking forward.
    public struct Report: Sendable {
        public let model: SelectionModel
        public let ranking: [SelectionScore]
        public let run: SelectionRun
        /// True when the model was loaded from a file rather than trained here.
        public let loaded: Bool
    }

    /// Periods per year for annualizing, from the bar spacing (252 trading days for daily bars).
    static func periodsPerYear(_ series: BarSeries) -> Double {
        let seconds = Double(series.timeframe.seconds)
        return seconds >= 86_400 ? 252 * 86_400 / seconds : 252 * 86_400 / seconds * (6.5 / 24)
    }

    /// The regime at every bar, each classified from the bars up to it.
    static func regimes(_ series: BarSeries) throws(AppError) -> [Regime?] {
        do { return try ThresholdRegimeClassifier.regimes(closes: series.close) } catch { throw .usage(error.description) }
    }

    /// Trains on `bars` (or loads the model at `modelPath`), ranks the strategies at the last bar,
    /// and runs the walk-forward evaluation. With `savePath`, the trained model is written there
    /// (atomically).
    public func select(bars: BarSeries, configuration: SelectorConfiguration, settings: ExecutionSettings,
                       modelPath: String? = nil, savePath: String? = nil) throws(AppError) -> Report {
        let selector: StrategySelector
        do { selector = try StrategySelector(configuration: configuration, settings: settings) } catch { throw .usage(error.description) }
        // Features and the candidates' backtests are computed once, for training and walk-forward.
        let prepared: StrategySelector.Prepared
        do { prepared = try selector.prepare(series: bars, regimes: try Self.regimes(bars), periodsPerYear: Self.periodsPerYear(bars)) }
        catch let e as AppError { throw e } catch let e as DomainError { throw .usage(e.description) } catch { throw .runtime("training failed: \(error)") }
        let model: SelectionModel
        if let modelPath {
            model = try Self.load(modelPath)
        } else {
            do { model = try selector.train(prepared) } catch let e as DomainError {
                throw .usage(e.description)
            } catch { throw .runtime("training failed: \(error)") }
        }
        guard let last = prepared.features.rows.last, let x = last else {
            throw .usage("\(bars.symbol): \(bars.count) bars; the selector's features need at least \(SelectionFeatures.warmup + 1)")
        }
        let run: SelectionRun
        do { run = try selector.walkForward(prepared) } catch { throw .runtime("walk-forward failed: \(error)") }
        if let savePath { try Self.save(model, to: savePath) }
        return Report(model: model, ranking: model.rank(features: x), run: run, loaded: modelPath != nil)
    }

    /// `backtest --strategy auto`: the selector's walk-forward choices traded by `AutoStrategy`,
    /// and each fixed candidate over the same bars for comparison.
    /// With `sizing`, the auto run and every fixed run size their entries with it (the selector's
    /// training targets stay those of the plain strategies).
    public func autoBacktest(bars: BarSeries, configuration: SelectorConfiguration, settings: ExecutionSettings,
                             sizing: SizingConfiguration? = nil)
        throws(AppError) -> (auto: BacktestResult, fixed: [BacktestResult], run: SelectionRun) {
        do {
            let selector = try StrategySelector(configuration: configuration, settings: settings)
            let run = try selector.walkForward(series: bars, regimes: try Self.regimes(bars), periodsPerYear: Self.periodsPerYear(bars))
            let auto = try AutoStrategy(candidates: configuration.candidates, schedule: run.schedule)
            let sizer = try sizing?.makeSizer()
            let result = try Backtester.run(auto, name: "auto(\(configuration.candidates.joined(separator: ",")))", on: bars, settings: settings,
                                            sizer: sizer)
            let fixed = try configuration.candidates.map {
                try Backtester.run(try StrategySpec(name: $0), on: bars, settings: settings, sizer: sizer)
            }
            return (result, fixed, run)
        } catch let e as AppError {
            throw e
        } catch let e as DomainError {
            throw .usage(e.description)
        } catch {
            throw .runtime("auto backtest failed: \(error)")
        }
    }

    /// Writes `model` as JSON to `path`, atomically (a failed write leaves no partial file).
    public static func save(_ model: SelectionModel, to path: String) throws(AppError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(model) } catch { throw .runtime("cannot encode the model: \(error)") }
        do { try AtomicWrite.write(Array(data), to: path) } catch { throw AppError(error, context: "selection model") }
    }

    /// Reads a model saved by `save`; a file that is not one (or from another feature set) is a
    /// usage error naming the file.
    public static func load(_ path: String) throws(AppError) -> SelectionModel {
        let bytes: [UInt8]
        do { bytes = try InputFile.readBytes(path: path, limit: InputFile.maxTextBytes) } catch { throw AppError(error, context: "selection model") }
        do {
            let model = try JSONDecoder().decode(SelectionModel.self, from: Data(bytes))
            try model.validate()
            return model
        } catch let e as DomainError {
            throw .usage("\(path): \(e.field): \(e.reason)")
        } catch {
            throw .usage("\(path): not a saved selection model (\(error))")
        }
    }
}

extension SelectionService {
    /// What `backtest --strategy auto --output json` prints: the auto run's report with its
    /// walk-forward choices and the comparison with each candidate traded alone.
    public static func autoDocument(_ auto: BacktestResult, fixed: [BacktestResult], run: SelectionRun, bars: BarSeries,
                                    includeTrades: Bool, runID: UUID?) -> JSONValue {
        guard case var .object(fields) = BacktestReport.json(auto, parameters: [], includeTrades: includeTrades) else {
            return BacktestReport.json(auto, parameters: [], includeTrades: includeTrades)
        }
        if let runID { fields.insert(("run_id", .string(runID.uuidString.lowercased())), at: 0) }
        fields.append(("selection", .object([
            ("decisions", .integer(run.decisions.count)), ("hit_rate", .number(run.hitRate)),
            ("choices", .array(run.decisions.map { d in
                .object([("start", .string(Timestamp(nanos: bars.timestamps[d.bars.lowerBound]).iso8601(dateOnlyAtMidnight: true))),
                         ("strategy", .string(d.chosen)), ("confidence", .number(d.ranking[0].confidence))])
            })),
        ])))
        fields.append(("comparison", .array(([auto] + fixed).map { r in
            .object([("strategy", .string(r.strategy)), ("return_pct", .number(r.metrics.returnPct)),
                     ("sharpe_ratio", .number(r.metrics.sharpeRatio)), ("max_drawdown_pct", .number(r.metrics.maxDrawdownPct)),
                     ("trades", .integer(r.metrics.tradeCount))])
        })))
        return .object(fields)
    }
}
