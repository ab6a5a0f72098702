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
    @Option(help: "Hidden states of the HMM (2 to 8).") var states: Int = 3
    @Option(help: "Seed of the HMM's initializations.") var seed: UInt64 = 42
    @Option(help: "Recent changes to list in the table.") var changes: Int = 10
    @Option(help: "Output: table or json.") var output: RegimeOutput = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func validate() throws {
        if let symbolArgument, let symbol = market.symbol, symbol.uppercased() != symbolArgument.uppercased() {
            throw ValidationError("the symbol is given twice ('\(symbolArgument)' and --symbol '\(symbol)'); give it once")
        }
        if market.symbols != nil { throw ValidationError("regime analyses one symbol; drop --symbols") }
        if let data = market.data, MarketOptions.isDirectory(data) { throw ValidationError("--data: regime needs one CSV file, not a folder") }
        guard (2...8).contains(states) else { throw ValidationError("--states must be between 2 and 8, got \(states)") }
        guard changes >= 0 else { throw ValidationError("--changes must be >= 0, got \(changes)") }
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
