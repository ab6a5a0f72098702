import ArgumentParser
import TraderAnalysis
import TraderApp
import TraderCore

/// `gpt-trader analyze SYMBOL`: indicator snapshot, support and resistance, chart patterns, a
/// comparison of the built-in strategies on recent bars and an explained recommendation.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Indicators, support and resistance, chart patterns, a strategy comparison and a recommendation for one symbol.",
        discussion: """
        Analyses the last bar (or the bar at --as-of) from the bars up to it only. The rules are in
        docs/analysis.md; the strategy comparison backtests each built-in strategy with its defaults
        over the last --bars bars with the execution options below.

        Examples:
          gpt-trader analyze GOOG
          gpt-trader analyze GOOG --as-of 2010-06-30 --output json
          gpt-trader analyze --synthetic 2000
          gpt-trader analyze GOOG --series sma:50 --series rsi --series macd > goog-indicators.csv
        """)

    @Argument(help: ArgumentHelp("Symbol to analyse (the same as --symbol; default GOOG).", valueName: "symbol"), completion: .symbols)
    var symbolArgument: String?

    @OptionGroup(title: "Data") var market: MarketOptions
    @OptionGroup(title: "Execution of the comparison backtests") var execution: ExecutionOptions

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Analyse as of the last bar on or before this date.", valueName: "date"))
    var asOf: String?
    @Option(name: .customLong("bars"), parsing: .unconditional, help: "Bars of the strategy comparison, ending at the analysed bar.") var barsValue: Whole = Whole(252)
    var bars: Int { barsValue.value }
    @Option(name: .customLong("lookback"), parsing: .unconditional, help: "Bars searched for chart patterns and support/resistance levels.") var lookbackValue: Whole = Whole(252)
    var lookback: Int { lookbackValue.value }
    @Option(name: .customLong("pivot-window"), parsing: .unconditional, help: "Bars either side a swing high or low must dominate.")
    var pivotWindowValue: Whole = Whole(5)
    var pivotWindow: Int { pivotWindowValue.value }
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false
    @Option(name: .customLong("series"),
            help: ArgumentHelp("Print this indicator's series over every bar instead of the report, as CSV (or JSON with --output json); repeatable. "
                + "One of \(IndicatorSeries.catalog.map { ([$0.name] + $0.parameters.map { String(format: "%g", $0.defaultValue) }).joined(separator: ":") }.joined(separator: ", ")).",
                               valueName: "name[:params]"))
    var series: [String] = []
    @OptionGroup(title: "Cache") var cacheOptions: CacheOptions

    func validate() throws {
        if symbolArgument != nil && (market.symbol != nil || market.data != nil || market.synthetic != nil) {
            throw ValidationError("give only one of SYMBOL, --symbol, --data and --synthetic")
        }
        if market.symbols != nil { throw ValidationError("--symbols: analyze takes one symbol (give SYMBOL or --symbol)") }
        if bars < 2 { throw ValidationError("--bars must be at least 2, got \(bars)") }
        if lookback < 1 { throw ValidationError("--lookback must be at least 1, got \(lookback)") }
        if pivotWindow < 1 { throw ValidationError("--pivot-window must be at least 1, got \(pivotWindow)") }
    }

    /// The request the options describe; errors name the option.
    func request() throws -> AnalysisRequest {
        var data = market
        if let symbolArgument { data.symbol = symbolArgument }
        let (source, start, end) = try data.resolve()
        var parameters = AnalysisParameters()
        parameters.comparisonBars = bars
        parameters.settings = try execution.settings()
        parameters.levels.lookback = lookback
        parameters.levels.pivotWindow = pivotWindow
        parameters.patterns.lookback = lookback
        parameters.patterns.pivotWindow = pivotWindow
        return AnalysisRequest(source: source, start: start, end: end,
                               asOf: try MarketOptions.parseDate(asOf, "as-of", endOfDay: true), parameters: parameters)
    }

    func run() async throws {
        if !series.isEmpty {
            try await printSeries()
            return
        }
        let analysis = try AnalysisService().analyze(try request())
        switch output {
        case .quiet:
            break
        case .json:
            print(AnalysisReport.json(analysis).serialized())
        case .table:
            print(AnalysisRenderer(terminal: Terminal(noColorFlag: noColor)).render(analysis))
        }
    }
}

extension AnalyzeCommand {
    /// `--series`: the indicators' columns, bar by bar, through the cache.
    func printSeries() async throws {
        let request = try request()
        let cache = try cacheOptions.cache()
        let all = try await AppCache.using(cache) { try await AnalysisService().indicatorSeries(series, for: request, cache: cache) }
        guard let timestamps = all.first?.timestamps else { return }
        let columns = all.flatMap { s in s.outputs.map { ("\(s.spec.replacingOccurrences(of: ":", with: "_"))\(s.outputs.count > 1 ? "_" + $0.name : "")", $0.values) } }
        func time(_ t: Int64) -> String { Timestamp(nanos: t).iso8601(dateOnlyAtMidnight: true) }
        switch output {
        case .quiet:
            break
        case .json:
            print(JSONValue.object([
                ("timestamps", .array(timestamps.map { .string(time($0)) })),
                ("series", .object(columns.map { name, values in (name, .array(values.map { $0.isNaN ? .null : .number($0) })) })),
            ]).serialized())
        case .table:
            var out = "timestamp," + columns.map(\.0).joined(separator: ",") + "\n"
            for (i, t) in timestamps.enumerated() {
                out += time(t)
                for (_, values) in columns { out += "," + (values[i].isNaN ? "" : "\(values[i])") }
                out += "\n"
            }
            print(out, terminator: "")
        }
    }
}
