import ArgumentParser
import Foundation
import TraderAnalysis
import TraderApp
import TraderCore
import TraderEngine
import TraderStrategies

/// `gpt-trader portfolio`: the adaptive portfolio — a multi-symbol backtest under capital-tier
/// rules (the default subcommand, `run`) and the tier table of a profile (`tiers`).
struct PortfolioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "Backtest several symbols as one adaptive portfolio, or show a profile's capital tiers.",
        discussion: """
        The portfolio shares one cash account across the symbols. Its rules — allowed strategies, \
        positions, position and exposure caps, stops, daily loss limit, trades per week and the \
        pattern-day-trader rule — come from the capital tier of its equity (micro < 2,500, small < \
        10,000, medium < 25,000, large), with a buffer so the tier does not flip back and forth. \
        See docs/portfolio.md.

        Examples:
          gpt-trader portfolio --symbols GOOG,EURUSD
          gpt-trader portfolio --symbols AAA,BBB,CCC --synthetic 2000 --capital 2000 --profile aggressive
          gpt-trader portfolio tiers --profile conservative
        """,
        subcommands: [PortfolioRunCommand.self, PortfolioTiersCommand.self],
        defaultSubcommand: PortfolioRunCommand.self)
}

/// `gpt-trader portfolio [run]`: the multi-symbol backtest.
struct PortfolioRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the multi-symbol portfolio backtest (the default).")

    @Option(help: ArgumentHelp("Symbols, comma-separated (default GOOG,EURUSD; with --synthetic SYNTH1,SYNTH2,SYNTH3).", valueName: "A,B,C"),
            completion: .symbols)
    var symbols: String?
    @Option(help: ArgumentHelp("conservative, default, aggressive, or a profile file.", valueName: "name|file")) var profile = "default"
    @Option(help: ArgumentHelp("Override the profile's account type: cash or margin.", valueName: "type")) var account: String?
    @Option(name: .customLong("capital"), parsing: .unconditional, help: "Starting cash, shared by all symbols.") var capitalValue: Real = Real(10_000)
    var capital: Double { capitalValue.value }
    @Option(help: ArgumentHelp("Strategy every symbol runs (default: the first one the starting tier allows).", valueName: "name"))
    var strategy: String?
    @Option(name: .customLong("param"), help: ArgumentHelp("A strategy parameter as name=value (repeatable).", valueName: "name=value"))
    var params: [String] = []
    @Option(help: ArgumentHelp("First bar to use (ISO date or datetime).", valueName: "date")) var start: String?
    @Option(help: ArgumentHelp("Last bar to use (ISO date or datetime).", valueName: "date")) var end: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Use N seeded synthetic bars per symbol instead of files.", valueName: "bars"), transform: NumberArgument.whole) var synthetic: Int?
    @Option(name: .customLong("synthetic-seed"), parsing: .unconditional, help: "Seed for --synthetic (each symbol draws its own stream).") var syntheticSeedValue: Seed = Seed(42)
    var syntheticSeed: UInt64 { syntheticSeedValue.value }
    @Option(help: "Bar spacing for --synthetic (1m, 5m, 1h, 1d, ...).") var timeframe: String = "1d"
    @Option(name: .customLong("commission"), parsing: .unconditional, help: "Commission as a fraction of traded value (0.001 = 0.1 %).") var commissionValue: Real = Real(0.001)
    var commission: Double { commissionValue.value }
    @Option(name: .customLong("commission-fixed"), parsing: .unconditional, help: "Fixed commission per fill.") var commissionFixedValue: Real = Real(0)
    var commissionFixed: Double { commissionFixedValue.value }
    @Option(name: .customLong("slippage"), parsing: .unconditional, help: "Slippage per fill, in basis points.") var slippageValue: Real = Real(0)
    var slippage: Double { slippageValue.value }
    @Option(name: .customLong("spread"), parsing: .unconditional, help: "Bid-ask spread as a fraction of price, paid on entry.") var spreadValue: Real = Real(0)
    var spread: Double { spreadValue.value }
    @Flag(help: "Allow fractional units (default: whole units).") var fractional = false
    @Flag(name: .customLong("clip-prices"), help: "CSV rows with open or close outside [low, high]: move them to the bound instead of refusing the row.")
    var clipPrices = false
    @Option(help: "Output: table, json or quiet.") var output: OutputFormat = .table
    @Flag(help: "Print the trade list.") var trades = false
    @Option(name: .customLong("equity-csv"), help: ArgumentHelp("Write Date,Equity,Cash,Exposure,Positions,Tier per bar.", valueName: "file"))
    var equityCSV: String?
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func validate() throws {
        if let synthetic, synthetic <= 0 { throw ValidationError("--synthetic must be a positive number of bars") }
        if let symbols, symbolList(symbols).isEmpty { throw ValidationError("--symbols needs at least one symbol") }
        if let account, AccountType(rawValue: account) == nil { throw ValidationError("--account must be cash or margin, got '\(account)'") }
    }

    func symbolList(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(separator: ",").map { String($0).filter { !$0.isWhitespace } }
            .filter { !$0.isEmpty && seen.insert($0.uppercased()).inserted }
    }

    func request() throws -> PortfolioRequest {
        let names = symbolList(symbols ?? (synthetic == nil ? "GOOG,EURUSD" : "SYNTH1,SYNTH2,SYNTH3"))
        let sources: [DataSource]
        if let synthetic {
            let tf: Timeframe
            do { tf = try Timeframe(parsing: timeframe) } catch { throw ValidationError("--timeframe: \(error.reason)") }
            sources = names.map { .synthetic(symbol: $0, bars: synthetic, seed: syntheticSeed, timeframe: tf) }
        } else {
            sources = names.map { .symbol($0) }
        }
        let settings: PortfolioSettings
        do {
            settings = try PortfolioSettings(initialCapital: capital, commission: CommissionModel(rate: commission, fixed: commissionFixed),
                                             costs: SlippageModel(spread: spread, slippageBps: slippage), wholeUnits: !fractional)
        } catch { throw ValidationError("--\(error.field): \(error.reason)") }
        return PortfolioRequest(sources: sources, start: try MarketOptions.parseDate(start, "start"), end: try MarketOptions.parseDate(end, "end", endOfDay: true),
                                profile: profile, accountType: account.flatMap(AccountType.init(rawValue:)),
                                strategy: try strategySpec(), settings: settings)
    }

    /// `--strategy` with its `--param` overrides, or nil for the tier's default.
    func strategySpec() throws -> StrategySpec? {
        guard let strategy else {
            if !params.isEmpty { throw ValidationError("--param needs --strategy") }
            return nil
        }
        var overrides: [String: Double] = [:]
        for p in params {
            let (name, value) = try StrategyOptions.parameter(p)
            overrides[name] = value
        }
        do { return try StrategySpec(name: strategy, overrides: overrides) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let req = try request()
        let service = PortfolioService()
        let profile = try service.profile(req.profile)  // validated before any data is read
        let bars = try service.loadBars(req.sources, start: req.start, end: req.end)
        let result = try service.run(req, profile: profile, bars: bars)
        if let equityCSV { try PortfolioReport.writeEquityCSV(result, to: equityCSV) }
        switch output {
        case .quiet:
            break
        case .json:
            print(PortfolioReport.json(result, includeTrades: trades).serialized())
        case .table:
            let terminal = Terminal(noColorFlag: noColor)
            print(PortfolioRenderer(terminal: terminal).report(result, bars: bars, includeTrades: trades))
        }
    }
}

/// `gpt-trader portfolio tiers`: a profile's rules per capital tier.
struct PortfolioTiersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tiers", abstract: "Print a profile's capital tiers and their rules.")

    @Option(help: ArgumentHelp("conservative, default, aggressive, or a profile file.", valueName: "name|file")) var profile = "default"
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func run() throws {
        let p = try PortfolioService().profile(profile)
        switch output {
        case .json: print(PortfolioReport.tiersJSON(p).serialized())
        case .table, .quiet: print(PortfolioRenderer(terminal: Terminal(noColorFlag: noColor)).tiers(p))
        }
    }
}
