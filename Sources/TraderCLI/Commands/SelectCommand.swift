import ArgumentParser
import Foundation
import TraderAnalysis
import TraderApp
import TraderCore
import TraderEngine

/// Options of the strategy selector, shared by `select` and `backtest --strategy auto`.
struct SelectorOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Candidate strategies, comma-separated (default: the six built-ins).", valueName: "a,b,c"))
    var candidates: String?
    @Option(name: .customLong("selection-period"), parsing: .unconditional, help: "Bars per selection period.") var selectionPeriodValue: Whole = Whole(21)
    var selectionPeriod: Int { selectionPeriodValue.value }
    @Option(name: .customLong("training-periods"), parsing: .unconditional, help: "Past periods each model is fitted on.") var trainingPeriodsValue: Whole = Whole(36)
    var trainingPeriods: Int { trainingPeriodsValue.value }
    @Option(name: .customLong("min-training-periods"), parsing: .unconditional, help: "Periods needed before the first decision.") var minTrainingPeriodsValue: Whole = Whole(12)
    var minTrainingPeriods: Int { minTrainingPeriodsValue.value }
    @Option(name: .customLong("lambda"), parsing: .unconditional, help: "Ridge penalty (on standardized features).") var lambdaValue: Real = Real(1.0)
    var lambda: Double { lambdaValue.value }

    func configuration() throws -> SelectorConfiguration {
        var c = SelectorConfiguration()
        if let candidates {
            c.candidates = candidates.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        c.periodBars = selectionPeriod
        c.trainingPeriods = trainingPeriods
        c.minimumTrainingPeriods = minTrainingPeriods
        c.lambda = lambda
        do { try c.validate() } catch { throw ValidationError("--\(error.field): \(error.reason)") }
        return c
    }
}

/// `gpt-trader select SYMBOL`: ranks the strategies for the next period with ridge models
/// trained walk-forward on the symbol's history.
struct SelectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "select",
        abstract: "Rank strategies for the next period with a machine-learned selector (ridge models, walk-forward).",
        discussion: """
        Per strategy, two ridge regressions map features of the market (returns over 5/21/63 bars,
        volatility, trend strength, RSI, volume ratio, regime) to the strategy's Sharpe ratio and
        return over the next period; strategies are ranked by predicted Sharpe, with the confidence
        that the top one beats the runner-up. The walk-forward summary shows how the selector's past
        choices did (each made with data before its period only).

        Examples:
          gpt-trader select GOOG --top 3
          gpt-trader select GOOG --save goog-model.json
          gpt-trader select --synthetic 3000 --model goog-model.json --output json
          gpt-trader backtest --strategy auto            (trades the selector's choices)
        """)

    @Argument(help: "Symbol (same as --symbol).", completion: .symbols) var symbolArgument: String?
    @Option(name: .customLong("top"), parsing: .unconditional, help: "How many strategies to print.") var topValue: Whole = Whole(3)
    var top: Int { topValue.value }
    @Option(help: ArgumentHelp("Save the trained model as JSON.", valueName: "file")) var save: String?
    @Option(help: ArgumentHelp("Rank with a saved model instead of training.", valueName: "file")) var model: String?
    @OptionGroup(title: "Selector") var selector: SelectorOptions
    @OptionGroup(title: "Data") var market: MarketOptions
    @OptionGroup(title: "Execution") var execution: ExecutionOptions
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func validate() throws {
        if let reason = Bounds.integers(1, 1_000, unit: "strategies").violation(top) { throw ValidationError("--top \(reason)") }
        if symbolArgument != nil && (market.symbol != nil || market.data != nil || market.synthetic != nil) {
            throw ValidationError("give the symbol once: as the argument or with --symbol/--data/--synthetic")
        }
        if save != nil && model != nil { throw ValidationError("--save and --model exclude each other (a loaded model is already saved)") }
    }

    func run() throws {
        var market = self.market
        if let symbolArgument { market.symbol = symbolArgument }
        let (source, start, end) = try market.resolve()
        let service = SelectionService()
        let bars = try service.backtests.data.load(source, start: start, end: end)
        let report = try service.select(bars: bars, configuration: try selector.configuration(), settings: try execution.settings(),
                                        modelPath: model, savePath: save)
        let ranking = Array(report.ranking.prefix(top))
        let run = report.run
        switch output {
        case .json:
            print(JSONValue.object([
                ("symbol", .string(bars.symbol)), ("bars", .integer(bars.count)),
                ("as_of", .string(Timestamp(nanos: bars.timestamps[bars.count - 1]).iso8601(dateOnlyAtMidnight: true))),
                ("model", .object([("loaded", .bool(report.loaded)), ("trained_through", .string(report.model.trainedThrough.iso8601(dateOnlyAtMidnight: true))),
                                   ("periods_used", .integer(report.model.periodsUsed)), ("features", .array(report.model.featureNames.map(JSONValue.string)))])),
                ("ranking", .array(ranking.map { s in
                    .object([("strategy", .string(s.strategy)), ("predicted_sharpe", .number(s.predictedSharpe)),
                             ("predicted_return_pct", .number(s.predictedReturn * 100)), ("confidence", .number(s.confidence))])
                })),
                ("walk_forward", .object([("decisions", .integer(run.decisions.count)), ("hit_rate", .number(run.hitRate))])),
            ]).serialized())
        case .table, .quiet:
            let terminal = Terminal(noColorFlag: noColor)
            let renderer = ReportRenderer(terminal: terminal)
            var t = TextTable(headers: ["#", "Strategy", "Pred. Sharpe", "Pred. Return [%]", "Confidence"],
                              alignments: [.right, .left, .right, .right, .right])
            for (i, s) in ranking.enumerated() {
                t.rows.append([String(i + 1), s.strategy, renderer.number(s.predictedSharpe, digits: 3),
                               renderer.number(s.predictedReturn * 100, digits: 2), renderer.number(s.confidence * 100, digits: 1) + " %"])
            }
            print(t.render(headerStyle: { terminal.paint($0, .bold) }))
            let source = report.loaded ? "model loaded from \(model!)" : "trained on \(report.model.periodsUsed) periods of \(report.model.configuration.periodBars) bars"
            print(terminal.paint("\(bars.symbol) as of \(Timestamp(nanos: bars.timestamps[bars.count - 1]).iso8601(dateOnlyAtMidnight: true)); \(source); "
                + "walk-forward: \(run.decisions.count) decisions, best strategy chosen in \(renderer.number(run.hitRate * 100, digits: 1)) %", .dim))
            if let save { print(terminal.paint("model saved to \(save)", .dim)) }
        }
    }
}
