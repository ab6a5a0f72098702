import Foundation
import TraderCore
import TraderEngine

/// What a saved backtest keeps beside its metrics, curve and trades, as the run's
/// `configuration` JSON: everything `runs show` needs to print the same report as the backtest
/// (settings, sizing, parameters, open positions, counters) and what describes the run
/// (data source and range, engine version).
///
/// Versioned (`format`): a reader refuses a format it does not know instead of guessing.
struct StoredRunConfiguration: Codable, Equatable {
    static let currentFormat = 1

    /// A trade in JSON: open positions marked at the end of the run (closed trades have a table).
    struct TradeJSON: Codable, Equatable {
        var size: Double
        var entryBar: Int
        var exitBar: Int
        var entryTime: Int64
        var exitTime: Int64
        var entryPrice: Double
        var exitPrice: Double
        var commission: Double
        var exitReason: String
    }

    var format: Int
    var engineVersion: Int
    /// How the bars were named: `GOOG`, `file:prices.csv`, `synthetic:SYN(1000 bars, seed 42, 1d)`.
    var source: String
    var start: Int64?
    var end: Int64?
    /// The strategy as the report names it, e.g. `sma-crossover(fast=10, slow=30)` (the run row
    /// keeps only the name, for filtering).
    var strategy: String
    var parameters: [String: Double]
    var settings: ExecutionSettings
    var sizing: SizingSummary?
    var openTrades: [TradeJSON]
    var fills: Int
    var rejectedOrders: Int
    var skippedEntries: Int
    var ranOutOfMoney: Bool

    init(result r: BacktestResult, request: BacktestRequest?) {
        format = Self.currentFormat
        engineVersion = Backtester.engineVersion
        source = request.map { Self.describe($0.source) } ?? r.symbol
        start = request?.start?.nanos
        end = request?.end?.nanos
        strategy = r.strategy
        parameters = request?.strategy.parameters ?? [:]
        settings = r.settings
        sizing = r.sizing
        openTrades = r.openTrades.map {
            TradeJSON(size: $0.size, entryBar: $0.entryBar, exitBar: $0.exitBar, entryTime: $0.entryTime.nanos, exitTime: $0.exitTime.nanos,
                      entryPrice: $0.entryPrice, exitPrice: $0.exitPrice, commission: $0.commission, exitReason: $0.exitReason.rawValue)
        }
        fills = r.fills
        rejectedOrders = r.rejectedOrders
        skippedEntries = r.skippedEntries
        ranOutOfMoney = r.ranOutOfMoney
    }

    static func describe(_ source: DataSource) -> String {
        switch source {
        case .symbol(let s): s
        case .file(let path, _): "file:\(path)"
        case .synthetic(let symbol, let bars, let seed, let timeframe): "synthetic:\(symbol)(\(bars) bars, seed \(seed), \(timeframe))"
        }
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Only numbers a JSON document can hold are written; the settings have no NaN or ∞.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    static func parse(_ text: String, run id: String) throws(AppError) -> StoredRunConfiguration {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let value: StoredRunConfiguration
        do {
            value = try decoder.decode(StoredRunConfiguration.self, from: Data(text.utf8))
        } catch {
            throw .runtime("run \(id): its stored configuration is unreadable (\(error)); it was not written by this version of gpt-trader")
        }
        guard value.format <= currentFormat else {
            throw .runtime("run \(id) was saved in configuration format \(value.format); this gpt-trader reads up to \(currentFormat): upgrade it")
        }
        return value
    }
}
