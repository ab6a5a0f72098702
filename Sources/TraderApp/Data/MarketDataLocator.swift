import Foundation
import Logging
public import TraderCore
public import TraderData

/// Finds and loads bars for a symbol or a file: the one place that decides where market data
/// comes from, so the CLI, the API and workflows resolve `--symbol GOOG` the same way.
///
/// A symbol is looked up first in the binary bar store (`storeDirectory`: `GPT_TRADER_STORE_DIR`,
/// else `store/` under the first data directory, so `./data/store` by default), where only the
/// requested date range is read from the memory-mapped file; then as `SYMBOL.csv` in, in order:
/// the directories in `GPT_TRADER_DATA_DIR` (colon-separated), `./data`, `./data/sample`, and the
/// `data/sample` folder of the checkout the executable was built in (so `swift run gpt-trader
/// backtest` works from any directory).
///
/// A CSV row whose open or close lies outside [low, high] is refused, unless the task runs with
/// `clipsPrices` set (`--clip-prices`): then such prices are moved to the nearer bound and a
/// warning says how many rows were changed.
public struct MarketDataLocator: Sendable {
    /// Whether CSV files loaded in this task clip open and close into [low, high] instead of
    /// refusing the row (`--clip-prices`, for vendors whose rounding puts them a tick outside).
    /// A task-local value, so one command's flag never reaches the next one in the shell.
    @TaskLocal public static var clipsPrices = false

    public let searchPaths: [String]
    /// The bar store directory searched before the CSV files.
    public let storeDirectory: String

    /// Search paths from the process environment and working directory.
    public init() {
        self.init(environment: ProcessInfo.processInfo.environment, currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// Search paths from `environment`; `storeDirectory` overrides `GPT_TRADER_STORE_DIR`.
    public init(environment: [String: String], currentDirectory: String, storeDirectory: String? = nil) {
        var paths: [String] = []
        if let dirs = environment["GPT_TRADER_DATA_DIR"] { paths += dirs.split(separator: ":").map(String.init) }
        paths.append(currentDirectory + "/data")
        paths.append(currentDirectory + "/data/sample")
        // .build/<config>/gpt-trader → checkout root.
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("data/sample").path
            if FileManager.default.fileExists(atPath: candidate + "/GOOG.csv") { paths.append(candidate); break }
            dir = dir.deletingLastPathComponent()
        }
        var seen = Set<String>()
        searchPaths = paths.filter { seen.insert($0).inserted }
        let configured = storeDirectory ?? environment["GPT_TRADER_STORE_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        self.storeDirectory = configured ?? searchPaths[0] + "/store"
    }

    /// The bar store searched before the CSV files.
    public var store: BarStore { BarStore(directory: storeDirectory) }

    /// The CSV file for `symbol`, or nil.
    public func file(for symbol: String) -> String? {
        for dir in searchPaths {
            for name in [symbol, symbol.uppercased(), symbol.lowercased()] {
                let path = "\(dir)/\(name).csv"
                if FileManager.default.fileExists(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Symbols in the bar store or with a CSV file in the search paths.
    public func availableSymbols() -> [String] {
        var out = Set(store.symbols())
        for dir in searchPaths {
            for f in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where f.hasSuffix(".csv") {
                out.insert(String(f.dropLast(4)))
            }
        }
        return out.sorted()
    }

    /// Loads bars from `source`, restricted to `start ... end` when given. A symbol in the bar
    /// store is read from there, touching only the bars in range.
    public func load(_ source: DataSource, start: Timestamp? = nil, end: Timestamp? = nil) throws(AppError) -> BarSeries {
        if let start, let end, end < start { throw .usage("--end (\(end)) is before --start (\(start))") }
        let series: BarSeries
        do {
            switch source {
            case let .file(path, symbol):
                series = try Self.readCSV(path, symbol: symbol)
            case let .symbol(symbol):
                if let stored = try store.open(symbol: symbol) {
                    return try Self.inRange(stored.load(from: start, through: end), start: start, end: end,
                                            symbol: stored.symbol, covers: (stored.first, stored.last))
                }
                guard let path = file(for: symbol) else {
                    let known = availableSymbols()
                    throw AppError.usage("no data for symbol '\(symbol)'" + (known.isEmpty ? "" : "; available: \(known.joined(separator: ", "))")
                        + " (or pass --data FILE.csv, or --synthetic BARS)")
                }
                series = try Self.readCSV(path, symbol: symbol.uppercased())
            case let .synthetic(symbol, bars, seed, timeframe):
                if let reason = SyntheticBars.inMemoryBounds.violation(bars) {
                    throw AppError.usage("--synthetic \(reason) in memory (streamed runs take more: `backtest --synthetic N --stream`, or `data generate`)")
                }
                series = try SyntheticBars.generate(symbol: symbol, bars: bars, seed: seed, timeframe: timeframe)
            }
        } catch let e as AppError {
            throw e
        } catch let e as DataError {
            throw .usage(e.description)
        } catch {
            throw .usage("\(error)")
        }
        guard let first = series.first, let last = series.last else { throw .usage("no bars for \(series.symbol)") }
        let sliced = (start == nil && end == nil) ? series : series.slice(from: start, through: end)
        return try Self.inRange(sliced, start: start, end: end, symbol: series.symbol, covers: (first.timestamp, last.timestamp))
    }

    /// Reads a CSV file, clipping prices when `clipsPrices` is set and saying so.
    static func readCSV(_ path: String, symbol: String?) throws(DataError) -> BarSeries {
        guard clipsPrices else { return try CSVBarReader.read(path: path, symbol: symbol) }
        let (bars, clipping) = try CSVBarReader.read(path: path, symbol: symbol, clippingPrices: true)
        if clipping.rows > 0 { Logger(label: "gpt-trader.data").warning("\(clipping.summary(for: path))") }
        return bars
    }

    /// `bars`, or the usage error saying the range holds none and what the data covers.
    private static func inRange(
        _ bars: BarSeries, start: Timestamp?, end: Timestamp?, symbol: String, covers: (Timestamp, Timestamp)
    ) throws(AppError) -> BarSeries {
        guard bars.isEmpty else { return bars }
        throw .usage("no bars for \(symbol) between \(start?.description ?? "the start") and \(end?.description ?? "the end"); the data covers \(covers.0) … \(covers.1)")
    }
}

/// Where bars come from.
public enum DataSource: Sendable, Hashable {
    /// A symbol looked up in the bar store, then the data directories.
    case symbol(String)
    /// A CSV file, with the symbol to call it.
    case file(path: String, symbol: String?)
    /// A seeded synthetic series.
    case synthetic(symbol: String, bars: Int, seed: UInt64, timeframe: Timeframe)
}

extension DataSource {
    /// The symbol the bars will carry: the given one, or a file's name without its extension.
    public var symbolName: String {
        switch self {
        case let .symbol(s): s
        case let .file(path, symbol): symbol ?? String(path.split(separator: "/").last?.split(separator: ".").first ?? "DATA")
        case let .synthetic(symbol, _, _, _): symbol
        }
    }
}
