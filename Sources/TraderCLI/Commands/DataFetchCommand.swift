import ArgumentParser
import Foundation
import TraderApp
import TraderCore
import TraderData

/// `gpt-trader data fetch SYMBOL... --source alpaca|coinbase`: downloads historical bars into the store.
struct DataFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download symbols' historical bars from Alpaca or Coinbase into the bar store.",
        discussion: """
        Pages through the venue's historical-bars REST API (Alpaca: /v2/stocks/SYMBOL/bars, or
        /v1beta3/crypto/us/bars for pairs written BTC/USD; Coinbase: the public candles of
        products written BTC-USD), several symbols at once within the venue's rate limit
        (Alpaca 200 requests a minute, Coinbase 10 a second; 429s are retried after the
        venue's Retry-After), and stores the bars as `data import` does (BTC/USD as BTC-USD).

        Only what the store lacks is asked for: a second run with the same range asks for
        nothing, a later --end only for the new bars. Every page is kept as it arrives, so an
        interrupted download (Ctrl-C, a crash, a venue that stops answering) resumes after the
        last page when the command is run again. The report counts the bars added, duplicates
        the venue sent and gaps (spans of more than one period without a bar: nights, weekends
        and holidays for stocks; missing data for 24/7 markets).

        Alpaca needs APCA_API_KEY_ID and APCA_API_SECRET_KEY; Coinbase's candles are public.

        Examples:
          gpt-trader data fetch AAPL MSFT --source alpaca --timeframe 1d --start 2020-01-01
          gpt-trader data fetch BTC-USD ETH-USD --source coinbase --timeframe 1h --start 2024-01-01 --end 2024-06-30
        """)

    @Argument(help: ArgumentHelp("Symbols as the venue names them (AAPL, BTC/USD at Alpaca; BTC-USD at Coinbase).", valueName: "symbol"))
    var symbols: [String]
    @Option(help: ArgumentHelp("Venue to download from: alpaca or coinbase.", valueName: "venue")) var source: String
    @Option(help: "Bar spacing (1m, 5m, 15m, 1h, 1d, ...; each venue has its own set).") var timeframe: String = "1d"
    @Option(help: ArgumentHelp("First bar wanted (ISO date or datetime; default: 30 days before --end).", valueName: "date"))
    var start: String?
    @Option(help: ArgumentHelp("Last bar wanted (ISO date or datetime; a date includes its day; default: the last completed period).", valueName: "date"))
    var end: String?
    @Option(help: ArgumentHelp("The venue's REST address (default: its own).", valueName: "url")) var url: String?
    @Option(help: "Symbols downloaded at once.") var jobs: Int = 4
    @Option(parsing: .unconditional, help: ArgumentHelp("Requests a second (default: the venue's documented limit).", valueName: "n"))
    var rate: Real?
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Output: table, json or quiet.") var output: OutputFormat = .table

    func validate() throws {
        guard HistorySource(rawValue: source) != nil else {
            throw ValidationError("--source must be one of \(HistorySource.allCases.map(\.rawValue).joined(separator: ", ")), got '\(source)'")
        }
    }

    func request(now: Timestamp) throws -> BarFetchRequest {
        let tf: Timeframe
        do { tf = try Timeframe(parsing: timeframe) } catch { throw ValidationError("--timeframe: \(error.reason)") }
        let step = tf.seconds * Timestamp.nanosPerSecond
        // By default up to the start of the last period that has ended.
        let last = Timestamp(nanos: now.nanos / step * step - step)
        let endTime = try MarketOptions.parseDate(end, "end", endOfDay: true) ?? last
        let startTime = try MarketOptions.parseDate(start, "start") ?? Timestamp(nanos: endTime.nanos - 30 * Timestamp.nanosPerDay)
        return BarFetchRequest(symbols: symbols, source: HistorySource(rawValue: source)!, timeframe: tf, start: startTime,
                               end: min(endTime, last), url: url, jobs: jobs, rate: rate?.value)
    }

    func run() async throws {
        let now = Timestamp(nanos: Int64(Date().timeIntervalSince1970 * 1e9))
        let request = try request(now: now)
        let service = BarFetchService(store: storeOptions.service.store)
        let terminal = Terminal()
        let progress = ProgressBar(label: "fetch \(request.source.rawValue)", unit: "periods", enabled: terminal.stderrIsTTY && output != .json)
        let started = ContinuousClock.now
        let (report, interrupted) = try await Interruption.cancellingOnInterrupt {
            do {
                return try await service.fetch(request, progress: { progress.update($0, $1) }) as BarFetchReport?
            } catch is CancellationError {
                return nil
            }
        }
        progress.finish()
        guard let report, !interrupted else {
            throw AppError.interrupted("data fetch interrupted: the pages received are kept; run the same command again to resume")
        }
        DataFetchPrinter(terminal: terminal, output: output).print(report, seconds: (ContinuousClock.now - started).seconds)
        if !report.failed.isEmpty { throw ExitCode(1) }
    }
}

extension Duration {
    /// The duration in seconds, as a decimal.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
