import ArgumentParser
import TraderApp
import TraderCore
import TraderData

/// `gpt-trader data`: the binary bar store that backtests read before CSV files.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Manage the binary bar store (import CSV, fetch from a venue, generate, list, inspect, remove).",
        discussion: """
        The store holds one compact columnar file per symbol and timeframe (SYMBOL_TF.gtbars,
        docs/bar-store.md). `backtest --symbol X` and `optimize --symbol X` read X from the store
        when it is there, memory-mapped, touching only the --start/--end range; CSV otherwise.
        The store is --store DIR, else $GPT_TRADER_STORE_DIR, else store/ under the first data
        directory ($GPT_TRADER_DATA_DIR, else ./data).

        Examples:
          gpt-trader data import prices.csv --symbol ACME
          gpt-trader data fetch BTC-USD --source coinbase --timeframe 1h --start 2024-01-01
          gpt-trader data generate --symbol SYNTH --bars 100000000 --timeframe 1m
          gpt-trader data list
          gpt-trader data info ACME
        """,
        subcommands: [DataImportCommand.self, DataFetchCommand.self, DataListCommand.self, DataInfoCommand.self,
                      DataGenerateCommand.self, DataRemoveCommand.self, DataArchiveCommand.self, DataArchivedCommand.self,
                      DataRestoreCommand.self])
}

/// `--store DIR`, shared by the `data` subcommands.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Bar store directory (default: $GPT_TRADER_STORE_DIR, else ./data/store).", valueName: "dir"))
    var store: String?

    var service: BarStoreService { BarStoreService(directory: store) }
}

/// `gpt-trader data import FILE.csv --symbol X`.
struct DataImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Validate a CSV file and store it as a binary bar file.",
        discussion: "Every row is checked as for --data; a bad row stops the import with FILE:LINE: reason and nothing is written.")

    @Argument(help: ArgumentHelp("CSV file with OHLCV bars.", valueName: "file.csv")) var file: String
    @Option(help: "Symbol to store it as (default: the file name, uppercased).") var symbol: String?
    @Option(help: "Timeframe to record (1m, 1h, 1d, ...; default: inferred from the bar spacing).") var timeframe: String?
    @Flag(name: .customLong("clip-prices"), help: "Rows with open or close outside [low, high]: move them to the bound (and say how many) instead of refusing the row.")
    var clipPrices = false
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Output: table, json or quiet.") var output: OutputFormat = .table

    func run() throws {
        let tf = try timeframe.map { try parseTimeframe($0) }
        let service = storeOptions.service
        reportStale(service.removeStaleTemporaries(), output: output)
        let (entry, clipping) = try service.importCSV(path: file, symbol: symbol, timeframe: tf, clippingPrices: clipPrices)
        if clipping.rows > 0 { note(clipping.summary(for: file), output: output) }
        printEntry(entry, verb: "imported", output: output)
    }
}

/// `gpt-trader data generate --symbol X --bars N`.
struct DataGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write seeded synthetic bars into the store, streaming (any size, constant memory).",
        discussion: """
        The bars are those of `backtest --synthetic N --synthetic-seed S --timeframe TF` for the
        same symbol: generated in 64K-bar chunks and written as they come, so 100 million bars
        (4.8 GB) need a few MB of memory.
        """)

    @Option(help: "Symbol to store the bars as (also selects the random stream).") var symbol: String
    @Option(parsing: .unconditional, help: "Number of bars.", transform: NumberArgument.whole) var bars: Int
    @Option(name: .customLong("seed"), parsing: .unconditional, help: "Seed (same seed and symbol, same bars).") var seedValue: Seed = Seed(42)
    var seed: UInt64 { seedValue.value }
    @Option(help: "Bar spacing (1m, 5m, 1h, 1d, ...).") var timeframe: String = "1m"
    @Option(help: ArgumentHelp("Time of the first bar (ISO date or datetime; default 2000-01-03).", valueName: "date"))
    var start: String?
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Output: table, json or quiet.") var output: OutputFormat = .table

    func validate() throws {
        guard bars > 0 else { throw ValidationError("--bars must be a positive number of bars, got \(bars)") }
    }

    func run() throws {
        let tf = try parseTimeframe(timeframe)
        var first = SyntheticBars.defaultStart
        if let start {
            guard let t = DateInput.parse(start) else {
                throw ValidationError("--start: '\(start)' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")
            }
            first = t
        }
        let terminal = Terminal()
        let progress = ProgressBar(label: "generate \(symbol)", enabled: terminal.stderrIsTTY && output != .json && bars >= 5_000_000)
        reportStale(storeOptions.service.removeStaleTemporaries(), output: output)
        let entry = try storeOptions.service.generate(symbol: symbol, bars: bars, seed: seed, timeframe: tf, start: first,
                                                      progress: { progress.update($0, $1) })
        progress.finish()
        printEntry(entry, verb: "generated", output: output)
    }
}

/// `gpt-trader data list`.
struct DataListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the stored symbols and timeframes with their bars and dates.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func run() throws {
        let service = storeOptions.service
        reportStale(service.removeStaleTemporaries(), output: output)
        let entries = try service.list()
        switch output {
        case .json:
            print(JSONValue.array(entries.map(entryJSON)).serialized())
        case .table, .quiet:
            guard !entries.isEmpty else {
                print("no bars stored in \(service.store.directory)")
                return
            }
            let terminal = Terminal(noColorFlag: noColor)
            var table = TextTable(headers: ["Symbol", "Timeframe", "Bars", "First", "Last", "Size"],
                                  alignments: [.left, .left, .right, .left, .left, .right])
            for e in entries {
                table.rows.append([e.symbol, e.timeframe.description, grouped(e.count), e.first.description,
                                   e.last.description, byteSize(e.byteCount)])
            }
            print(table.render(headerStyle: { terminal.paint($0, .bold) }))
            print(terminal.paint("\(entries.count) file\(entries.count == 1 ? "" : "s") in \(service.store.directory)", .dim))
        }
    }
}

/// `gpt-trader data info SYMBOL`.
struct DataInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a stored symbol's files and verify their checksums.",
        discussion: "Reads every byte to check the column checksums; a corrupt file is an error (exit 2). --no-verify reads only the headers.")

    @Argument(help: "Stored symbol.") var symbol: String
    @Option(help: "Only this timeframe (default: all stored).") var timeframe: String?
    @Flag(name: .customLong("no-verify"), help: "Skip the column checksums.") var noVerify = false
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Output: table or json.") var output: OutputFormat = .table

    func run() throws {
        let tf = try timeframe.map { try parseTimeframe($0) }
        let entries = try storeOptions.service.info(symbol: symbol, timeframe: tf, verify: !noVerify)
        switch output {
        case .json:
            print(JSONValue.array(entries.map { e in
                guard case var .object(fields) = entryJSON(e) else { return entryJSON(e) }
                fields.append(("format_version", .integer(Int(e.version))))
                fields.append(("checksums", .string(noVerify ? "not checked" : "ok")))
                return .object(fields)
            }).serialized())
        case .table, .quiet:
            for (i, e) in entries.enumerated() {
                if i > 0 { print("") }
                var table = TextTable(headers: ["", ""], alignments: [.left, .left])
                table.rows = [
                    ["Symbol", e.symbol], ["Timeframe", e.timeframe.description], ["Bars", grouped(e.count)],
                    ["First", e.first.description], ["Last", e.last.description],
                    ["Size", "\(byteSize(e.byteCount)) (\(grouped(e.byteCount)) bytes)"], ["File", e.path],
                    ["Format", "gtbars version \(e.version)"], ["Checksums", noVerify ? "not checked" : "ok"],
                ]
                print(table.render())
            }
        }
    }
}

/// `gpt-trader data remove SYMBOL`.
struct DataRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Delete a symbol's stored files.")

    @Argument(help: "Stored symbol.") var symbol: String
    @Option(help: "Only this timeframe (default: all stored).") var timeframe: String?
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let tf = try timeframe.map { try parseTimeframe($0) }
        for path in try storeOptions.service.remove(symbol: symbol, timeframe: tf) { print("removed \(path)") }
    }
}

// MARK: - Shared formatting

/// A line about something done on the side: on standard output with the table, on standard
/// error otherwise (so JSON output stays one document; quiet is not silent about it either).
private func note(_ text: String, output: OutputFormat) {
    if output == .table { print(text) } else { printError("note: \(text)") }
}

/// Says what `removeStaleTemporaries` deleted: "removed 1 stale temporary file (2.1 GiB) left by
/// process 1234".
func reportStale(_ removed: [TemporaryFiles.Stale], output: OutputFormat) {
    guard !removed.isEmpty else { return }
    let pids = Array(Set(removed.map(\.pid))).sorted()
    let files = removed.count == 1 ? "1 stale temporary file" : "\(removed.count) stale temporary files"
    let by = pids.count == 1 ? "process \(pids[0])" : "processes \(pids.map(String.init).joined(separator: ", "))"
    note("removed \(files) (\(byteSize(removed.reduce(0) { $0 + $1.bytes }))) left by \(by)", output: output)
}

/// A `--timeframe` value, or a usage error naming the option.
private func parseTimeframe(_ text: String) throws -> Timeframe {
    do { return try Timeframe(parsing: text) } catch { throw ValidationError("--timeframe: \(error.reason)") }
}

/// One line saying what was written (table), the entry as JSON, or nothing (quiet).
private func printEntry(_ e: BarStoreEntry, verb: String, output: OutputFormat) {
    switch output {
    case .quiet: break
    case .json: print(entryJSON(e).serialized())
    case .table:
        print("\(verb) \(grouped(e.count)) bars of \(e.symbol) (\(e.timeframe)) \(e.first) … \(e.last) into \(e.path) (\(byteSize(e.byteCount)))")
    }
}

private func entryJSON(_ e: BarStoreEntry) -> JSONValue {
    .object([("symbol", .string(e.symbol)), ("timeframe", .string(e.timeframe.description)), ("bars", .integer(e.count)),
             ("first", .string(e.first.description)), ("last", .string(e.last.description)), ("bytes", .integer(e.byteCount)),
             ("path", .string(e.path))])
}

/// `gpt-trader data archive SYMBOL...`: copies bars into the run database's archive.
struct DataArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Keep symbols' bars in the run database (shared by everyone who uses it; see `data restore`).")

    @Argument(help: "Symbols (from the bar store or the data directories).") var symbols: [String]
    @Option(help: ArgumentHelp("First bar to keep (ISO date or datetime).", valueName: "date")) var start: String?
    @Option(help: ArgumentHelp("Last bar to keep (ISO date or datetime).", valueName: "date")) var end: String?
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func validate() throws {
        guard !symbols.isEmpty else { throw ValidationError("give at least one symbol to archive") }
    }

    func run() async throws {
        let from = try MarketOptions.parseDate(start, "start")
        let to = try MarketOptions.parseDate(end, "end", endOfDay: true)
        let history = try await RunHistory.open(try database.location())
        try await RunHistory.using(history) {
            let service = BarArchiveService(history: history)
            for symbol in symbols {
                let bars = try await service.archive(symbol: symbol, start: from, end: to)
                print("archived \(grouped(bars.count)) bars of \(bars.symbol) (\(bars.timeframe)) in \(history.location)")
            }
        }
    }
}

/// `gpt-trader data archived`: what the run database's bar archive holds.
struct DataArchivedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "archived", abstract: "List the bars kept in the run database.")

    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func run() async throws {
        let history = try await RunHistory.open(try database.location())
        let series = try await RunHistory.using(history) { try await BarArchiveService(history: history).list() }
        func day(_ n: Int64) -> String { Timestamp(nanos: n).iso8601(dateOnlyAtMidnight: true) }
        switch output {
        case .json:
            print(JSONValue.array(series.map { s in
                .object([("symbol", .string(s.symbol)), ("timeframe", .string(s.timeframe)), ("bars", .integer(s.count)),
                         ("first", .string(day(s.first))), ("last", .string(day(s.last)))])
            }).serialized())
        case .table, .quiet:
            guard !series.isEmpty else { print("no archived bars in \(history.location)"); return }
            var t = TextTable(headers: ["Symbol", "Timeframe", "Bars", "First", "Last"], alignments: [.left, .left, .right, .left, .left])
            for s in series { t.rows.append([s.symbol, s.timeframe, grouped(s.count), day(s.first), day(s.last)]) }
            print(t.render())
        }
    }
}

/// `gpt-trader data restore SYMBOL`: archived bars back into the local bar store.
struct DataRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Write archived bars into the local bar store.")

    @Argument(help: "Archived symbol.") var symbol: String
    @Option(help: "Only this timeframe (default: every archived one).") var timeframe: String?
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup(title: "Run database") var database: DatabaseOptions

    func run() async throws {
        let tf: Timeframe?
        do { tf = try timeframe.map { try Timeframe(parsing: $0) } } catch { throw ValidationError("--timeframe: \(error)") }
        let history = try await RunHistory.open(try database.location())
        reportStale(storeOptions.service.removeStaleTemporaries(), output: .table)
        let written = try await RunHistory.using(history) {
            try await BarArchiveService(history: history).restore(symbol: symbol, timeframe: tf, into: storeOptions.store)
        }
        for entry in written { print("restored \(grouped(entry.count)) bars of \(symbol) (\(entry.timeframe)) to \(entry.path)") }
    }
}
