import ArgumentParser
import TraderAnalysis
import TraderApp
import TraderCore

/// `gpt-trader regime SYMBOL`: the market regime now and over a date range, by bot_v2's
/// thresholds and by a Gaussian HMM, and how the two agree.
struct RegimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regime",
        abstract: "Detect the market regime (bull/bear/sideways × quiet/volatile, crisis) and its history.",
        discussion: """
        Thresholds (bot_v2): annualized volatility of 20 daily log returns (quiet < 25 %, \
        volatile from 25 %), annualized 60-bar trend (bull > +5 %, bear < −5 %), crisis when \
        volatility >= 40 % and the drawdown from the 252-bar peak >= 20 %. HMM: a Gaussian hidden \
        Markov model fitted to daily log returns by Baum-Welch; states are labelled with the same \
        cuts. Bars before --start warm the classifier up and train the HMM; nothing after --end \
        is read. Intraday bars are resampled to daily closes. See docs/regime.md.

        Examples:
          gpt-trader regime GOOG
          gpt-trader regime GOOG --start 2008-01-01 --end 2009-12-31 --method threshold
          gpt-trader regime --synthetic 2520 --states 2 --output json
        """)

    @Argument(help: ArgumentHelp("Symbol to analyse (same as --symbol; default GOOG).", valueName: "symbol"), completion: .symbols)
    var symbolArgument: String?
    @OptionGroup(title: "Data") var market: MarketOptions
    @Option(help: "Methods: threshold, hmm or both.") var method: RegimeMethodOption = .both
    @Option(name: .customLong("states"), parsing: .unconditional, help: "Hidden states of the HMM (2 to 8).") var statesValue: Whole = Whole(3)
    var states: Int { statesValue.value }
    @Option(name: .customLong("seed"), parsing: .unconditional, help: "Seed of the HMM's initializations.") var seedValue: Seed = Seed(42)
    var seed: UInt64 { seedValue.value }
    @Option(name: .customLong("changes"), parsing: .unconditional, help: "Recent changes to list in the table.") var changesValue: Whole = Whole(10)
    var changes: Int { changesValue.value }
    @Option(help: "Output: table or json.") var output: RegimeOutput = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func validate() throws {
        if let symbolArgument, let symbol = market.symbol, symbol.uppercased() != symbolArgument.uppercased() {
            throw ValidationError("the symbol is given twice ('\(symbolArgument)' and --symbol '\(symbol)'); give it once")
        }
        if market.symbols != nil { throw ValidationError("regime analyses one symbol; drop --symbols") }
        if let data = market.data, MarketOptions.isDirectory(data) { throw ValidationError("--data: regime needs one CSV file, not a folder") }
        if let reason = RegimeRequest.Limits.states.violation(states) { throw ValidationError("--states \(reason)") }
        if let reason = RegimeRequest.Limits.changes.violation(changes) { throw ValidationError("--changes \(reason)") }
    }

    func run() throws {
        var options = market
        if let symbolArgument { options.symbol = symbolArgument }
        let (source, start, end) = try options.resolve()
        let request = RegimeRequest(source: source, start: start, end: end, method: method.value,
                                    fitter: BaumWelch(states: states, seed: seed))
        let analysis = try RegimeService().analyze(request)
        switch output {
        case .json:
            print(RegimeReport.json(analysis).serialized())
        case .table:
            print(RegimeRenderer(terminal: Terminal(noColorFlag: noColor), recentChanges: changes).render(analysis))
        }
    }
}

/// `--method`, parsed here so the analysis type stays free of the argument parser.
enum RegimeMethodOption: String, ExpressibleByArgument, CaseIterable {
    case threshold, hmm, both

    var value: RegimeMethod { RegimeMethod(rawValue: rawValue)! }
}

/// How `regime` prints.
enum RegimeOutput: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
