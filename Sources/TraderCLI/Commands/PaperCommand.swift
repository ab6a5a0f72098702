import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderEngine
import TraderLive

/// `gpt-trader paper`: paper-trades a strategy on a feed through the backtest's kernel, and
/// prints the same report as `backtest` when the feed ends or the session is stopped.
struct PaperCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "Paper-trade a strategy on a replayed, synthetic or venue feed, filled by the paper broker or a venue's.",
        discussion: """
        Takes the data, strategy, execution and output options of `backtest`. The paper broker
        fills with the backtest's rules (fills, slippage, commission, stops), so a replay of
        stored bars reports exactly what `backtest` reports for them:

          gpt-trader paper --feed replay --speed max --output json     (= backtest --output json)
          gpt-trader paper --feed replay --speed 3600 --data prices.csv  (an hour of bars a second)
          gpt-trader paper --feed synthetic --synthetic 500 --timeframe 1m --speed 60
          APCA_API_KEY_ID=... APCA_API_SECRET_KEY=... gpt-trader paper --feed alpaca --symbol AAPL   (live minute bars)
          gpt-trader paper --feed coinbase --symbol BTC-USD        (bars built from Coinbase's trades)
          APCA_API_KEY_ID=... APCA_API_SECRET_KEY=... gpt-trader paper --feed alpaca --symbol AAPL --broker alpaca

        Ctrl-C (SIGINT) or SIGTERM stops taking bars; the session then reports on the bars it
        traded and exits 0. --feed alpaca streams Alpaca's real-time minute bars, --feed coinbase
        builds minute bars from Coinbase's public trades (both reconnect as needed).

        --broker alpaca sends the orders to Alpaca's paper trading endpoint and books the fills
        it reports; --broker coinbase to Coinbase Advanced Trade (COINBASE_API_KEY_NAME and
        COINBASE_API_PRIVATE_KEY, requests signed with ES256 JWTs). Orders then go out at the
        close of the bar that decided them; see docs/live.md.

        The session is a bot of the run database (unless --no-save): its orders, fills,
        positions and checkpoints are written as it trades, and from another terminal
        `gpt-trader bots list`, `bots status NAME` and `bots stop NAME [--flatten]` watch and stop
        it. After a crash or a stop, `--resume` (or `gpt-trader bots resume NAME`) rebuilds its
        state from the same bars and carries on, with no order or fill lost or doubled.
        """)

    @OptionGroup(title: "Strategy") var strategyOptions: StrategyOptions
    @OptionGroup(title: "Data") var market: MarketOptions
    @OptionGroup(title: "Execution") var execution: ExecutionOptions
    @OptionGroup(title: "Position sizing") var sizingOptions: SizingOptions
    @OptionGroup(title: "Run database") var saving: SaveOptions

    @Option(help: "Where bars come from: replay, synthetic, coinbase or alpaca.") var feed: String = "replay"
    @Option(parsing: .unconditional, help: ArgumentHelp("Replay speed: max, or N times real time.", valueName: "max|N")) var speed: String = "max"
    @Option(name: .customLong("feed-url"), help: ArgumentHelp("A venue feed's WebSocket address (default: the venue's).", valueName: "ws-url"))
    var feedURL: String?
    @Option(name: .customLong("history-url"),
            help: ArgumentHelp("The venue's historical-bars REST address, asked for the bars a feed missed (default: the venue's).", valueName: "url"))
    var historyURL: String?
    @Option(help: "Who fills the orders: paper (the simulated broker), alpaca (its paper endpoint; keys from APCA_API_KEY_ID and APCA_API_SECRET_KEY) or coinbase.")
    var broker: String = "paper"
    @Option(name: .customLong("broker-url"), help: ArgumentHelp("A venue broker's REST address (default: the venue's paper endpoint).", valueName: "url"))
    var brokerURL: String?
    @Option(help: ArgumentHelp("The bot's name (default paper-SYMBOL-STRATEGY).", valueName: "name")) var bot: String?
    @Option(help: "Output: table, json or quiet.") var output: OutputFormat = .table
    @Flag(help: "Print the trade list.") var trades = false
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false
    @Flag(help: "Continue the bot's last session from its checkpoint (the same options and data).") var resume = false

    func validate() throws {
        guard BrokerChoice(rawValue: broker) != nil else {
            throw ValidationError("--broker must be one of \(BrokerChoice.allCases.map(\.rawValue).joined(separator: ", ")), got '\(broker)'")
        }
        guard FeedChoice(rawValue: feed) != nil else {
            throw ValidationError("--feed must be one of \(FeedChoice.allCases.map(\.rawValue).joined(separator: ", ")), got '\(feed)'")
        }
        guard ReplaySpeed(speed) != nil else { throw ValidationError("--speed must be max or a positive decimal number, got '\(speed)'") }
        if market.symbols != nil { throw ValidationError("paper runs one symbol; drop --symbols") }
        if strategyOptions.strategy == "auto" { throw ValidationError("paper runs one strategy; --strategy auto is for backtest") }
        if let bot, let why = BotName.violation(bot) { throw ValidationError("--bot \(why)") }
        if resume && saving.noSave { throw ValidationError("--resume needs the run database; drop --no-save") }
    }

    func request() throws -> PaperRequest {
        let (source, start, end) = try market.resolve()
        let backtest = BacktestRequest(source: source, start: start, end: end, strategy: try strategyOptions.spec(),
                                       settings: try execution.settings(), sizing: try sizingOptions.configuration(size: execution.size))
        let name = bot ?? "paper-\(source.symbolName)-\(backtest.strategy.name)"
        return PaperRequest(backtest: backtest, feed: FeedChoice(rawValue: feed)!, speed: ReplaySpeed(speed)!, bot: name, feedURL: feedURL, historyURL: historyURL,
                            broker: BrokerChoice(rawValue: broker)!, brokerURL: brokerURL)
    }

    func run() async throws {
        let terminal = Terminal(noColorFlag: noColor)
        let request = try request()
        let history = try await saving.history()
        try await RunHistory.using(history) {
            let bus = EventBus()
            let printer = output == .table ? LiveEventPrinter(terminal: terminal, bus: bus) : nil
            let service = PaperService()
            let tracking = history.map {
                PaperService.Tracking(store: $0.store, arguments: ShellArguments.current().filter { $0 != "--resume" }, resume: resume)
            }
            let (outcome, _) = try await Interruption.cancellingOnInterrupt(alsoOnTerminate: true) {
                try await service.run(request, bus: bus, tracking: tracking)
            }
            bus.finish()
            await printer?.finished()
            let id = try await history?.save(outcome.result, request: request.backtest)
            let report = BacktestPrinter(terminal: terminal, output: output, includeTrades: trades)
            report.print(outcome.result, parameters: request.backtest.strategy.parameters, runID: id)
            if let id { report.announce(saved: id) }
        }
    }
}
