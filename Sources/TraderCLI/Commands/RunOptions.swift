import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderEngine

/// Where the bars of a run come from: `--symbol`, `--data`, or `--synthetic`, and the date range.
struct MarketOptions: ParsableArguments {
    @Option(help: "Symbol to load from the data directories (default GOOG, the shipped sample).",
            completion: .symbols)
    var symbol: String?
    @Option(help: ArgumentHelp("Several symbols, comma-separated, or a folder of CSV files: one row each plus a total.", valueName: "A,B,C|dir"),
            completion: .symbols)
    var symbols: String?
    @Option(help: ArgumentHelp("CSV file with OHLCV bars (a folder: every CSV in it, as --symbols).", valueName: "file")) var data: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Use N seeded synthetic bars instead of a file.", valueName: "bars"), transform: NumberArgument.whole) var synthetic: Int?
    @Option(name: .customLong("synthetic-seed"), parsing: .unconditional, help: "Seed for --synthetic.") var syntheticSeedValue: Seed = Seed(42)
    var syntheticSeed: UInt64 { syntheticSeedValue.value }
    @Option(help: "Bar spacing for --synthetic (1m, 5m, 1h, 1d, ...).") var timeframe: String = "1d"
    @Option(help: ArgumentHelp("First bar to use (ISO date or datetime).", valueName: "date")) var start: String?
    @Option(help: ArgumentHelp("Last bar to use (ISO date or datetime).", valueName: "date")) var end: String?
    @Flag(name: .customLong("clip-prices"), help: "CSV rows with open or close outside [low, high]: move them to the bound (and say how many) instead of refusing the row.")
    var clipPrices = false

    func validate() throws {
        if [symbol != nil, data != nil, synthetic != nil, symbols != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give only one of --symbol, --symbols, --data and --synthetic")
        }
        if let symbols, !Self.isDirectory(symbols), symbolList(symbols).isEmpty { throw ValidationError("--symbols needs at least one symbol") }
        if let synthetic, synthetic <= 0 { throw ValidationError("--synthetic must be a positive number of bars") }
        do { _ = try Timeframe(parsing: timeframe) } catch { throw ValidationError("--timeframe: \(error.reason)") }
    }

    /// The sources of a multi-symbol run — `--symbols A,B,C`, `--symbols DIR` or `--data DIR` —
    /// or nil for a single-series run. A folder contributes each `*.csv` in it, named by its file
    /// name, in name order.
    func batchSources() throws -> [DataSource]? {
        if let dir = [symbols, data].compactMap({ $0 }).first(where: Self.isDirectory) {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.lowercased().hasSuffix(".csv") }.sorted()
            guard !files.isEmpty else { throw ValidationError("\(dir): no .csv files in this folder") }
            return files.map { .file(path: (dir as NSString).appendingPathComponent($0), symbol: String($0.dropLast(4)).uppercased()) }
        }
        guard let symbols else { return nil }
        return symbolList(symbols).map { .symbol($0) }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The symbols of `--symbols`, trimmed, without empties or repeats.
    func symbolList(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(separator: ",").map { String($0).filter { !$0.isWhitespace } }.filter { !$0.isEmpty && seen.insert($0.uppercased()).inserted }
    }

    /// The data source and the inclusive date range.
    func resolve() throws -> (DataSource, Timestamp?, Timestamp?) {
        let source: DataSource
        if let data { source = .file(path: data, symbol: symbol) }
        else if let synthetic {
            let tf: Timeframe
            do { tf = try Timeframe(parsing: timeframe) } catch { throw ValidationError("--timeframe: \(error.reason)") }
            source = .synthetic(symbol: symbol ?? "SYNTH", bars: synthetic, seed: syntheticSeed, timeframe: tf)
        } else { source = .symbol(symbol ?? ActiveConfiguration.string("data.symbol")) }
        return (source, try Self.parseDate(start, "start"), try Self.parseDate(end, "end", endOfDay: true))
    }

    /// `--start`/`--end` (`name`) as a time; a bare date as `--end` includes that whole day.
    static func parseDate(_ text: String?, _ name: String, endOfDay: Bool = false) throws -> Timestamp? {
        guard let text else { return nil }
        guard let t = DateInput.parse(text) else {
            throw ValidationError("--\(name): '\(text)' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")
        }
        // A bare date as --end includes that whole day.
        if endOfDay && text.count == 10 { return Timestamp(nanos: t.nanos + Timestamp.nanosPerDay - 1) }
        return t
    }
}

/// How orders execute: capital, costs, fills, direction, sizing and protective exits.
struct ExecutionOptions: ParsableArguments {
    @Option(name: .customLong("capital"), parsing: .unconditional, help: "Starting capital (config backtest.capital).") var capitalValue: Real = Real(ActiveConfiguration.number("backtest.capital"))
    var capital: Double { capitalValue.value }
    @Option(name: .customLong("commission"), parsing: .unconditional, help: "Commission as a fraction of traded value (0.001 = 0.1 %; config backtest.commission).")
    var commissionValue: Real = Real(ActiveConfiguration.number("backtest.commission"))
    var commission: Double { commissionValue.value }
    @Option(name: .customLong("commission-fixed"), parsing: .unconditional, help: "Fixed commission per fill.") var commissionFixedValue: Real = Real(0)
    var commissionFixed: Double { commissionFixedValue.value }
    @Option(name: .customLong("slippage"), parsing: .unconditional, help: "Slippage per fill, in basis points (config backtest.slippage_bps).") var slippageValue: Real = Real(ActiveConfiguration.number("backtest.slippage_bps"))
    var slippage: Double { slippageValue.value }
    @Option(name: .customLong("spread"), parsing: .unconditional, help: "Bid-ask spread as a fraction of price, paid on entry.") var spreadValue: Real = Real(0)
    var spread: Double { spreadValue.value }
    @Option(help: "When orders fill: next-open or close (config backtest.fill).") var fill: String = ActiveConfiguration.string("backtest.fill")
    @Flag(name: .customLong("long-short"), help: "Allow short positions: sell signals open shorts.")
    var longShort = false
    @Flag(name: .customLong("long-only"), help: "Only long positions (default).") var longOnly = false
    @Option(parsing: .unconditional, help: "Fraction of equity per entry, in (0, 1] (default: all of it).", transform: NumberArgument.real) var size: Double?
    @Flag(help: "Allow fractional units (default: whole units).") var fractional = false
    @Option(name: .customLong("stop-loss"), parsing: .unconditional, help: "Stop-loss as a fraction of entry price (0.05 = 5 %; config risk.stop_loss).", transform: NumberArgument.real)
    var stopLoss: Double?
    @Option(name: .customLong("take-profit"), parsing: .unconditional, help: "Take-profit as a fraction of entry price (config risk.take_profit).", transform: NumberArgument.real)
    var takeProfit: Double?
    @Option(name: .customLong("trailing-stop"), parsing: .unconditional, help: "Trailing stop as a fraction of the best price.", transform: NumberArgument.real) var trailingStop: Double?
    @Option(name: .customLong("volume-limit"), parsing: .unconditional,
            help: "Fill at most this fraction of a bar's volume per order (0.1 = 10 %); the rest fills on later bars (default: orders fill whole).",
            transform: NumberArgument.real)
    var volumeLimit: Double?
    @Flag var endOfRunExit: EndOfRunExitFlag?
    @OptionGroup(title: "Risk rules") var risk: RiskOptions

    func validate() throws {
        if longShort && longOnly { throw ValidationError("--long-only and --long-short exclude each other") }
        guard FillTiming(rawValue: fill) != nil else { throw ValidationError("--fill must be next-open or close, got '\(fill)'") }
    }

    /// The validated execution settings; errors name the option.
    func settings() throws -> ExecutionSettings {
        var s = ExecutionSettings()
        s.initialCapital = capital
        do {
            s.commission = try CommissionModel(rate: commission, fixed: commissionFixed)
            s.costs = try SlippageModel(spread: spread, slippageBps: slippage)
        } catch { throw ValidationError("--\(error.field): \(error.reason)") }
        s.fill = FillTiming(rawValue: fill)!
        s.direction = longShort ? .longShort : .longOnly
        if let size { s.positionFraction = size }
        s.wholeUnits = !fractional
        s.stopLoss = stopLoss ?? ActiveConfiguration.optionalNumber("risk.stop_loss")
        s.takeProfit = takeProfit ?? ActiveConfiguration.optionalNumber("risk.take_profit")
        s.trailingStop = trailingStop
        s.volumeLimit = volumeLimit
        s.endOfRunExit = endOfRunExit?.exit ?? .none
        s.risk = try risk.rules()
        do { try s.validate() } catch { throw ValidationError("--\(error.field): \(error.reason)") }
        return s
    }
}
