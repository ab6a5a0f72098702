import Foundation
import Testing
import TraderCore
import TraderData
import TraderStrategies
@testable import TraderEngine

/// A streaming backtest over chunks gives the statistics of the in-memory backtest of the whole
/// series: the same kernel, the same trades, and metrics equal up to the order of floating-point
/// additions (checked to 1e-9 relative).
@Suite struct StreamingBacktestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func series(_ name: String) throws -> BarSeries {
        switch name {
        case "minute": return try SyntheticBars.generate(symbol: "SYN", bars: 30_000, seed: 9, timeframe: .minute1)
        case "weekly": return try SyntheticBars.generate(symbol: "WK", bars: 400, seed: 3, timeframe: Timeframe(parsing: "1w"))
        default: return try CSVBarReader.read(path: root.appendingPathComponent("data/sample/\(name).csv").path, symbol: name)
        }
    }

    /// Chunks of `size` bars of `series`.
    static func chunks(of series: BarSeries, size: Int) -> () -> BarSeries? {
        var position = 0
        return {
            guard position < series.count else { return nil }
            defer { position += size }
            return series.slice(position..<min(series.count, position + size))
        }
    }

    static func expectClose(_ a: PerformanceMetrics, _ b: PerformanceMetrics, _ context: String) {
        for (x, y) in zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children) {
            let label = x.label ?? "?"
            if let u = x.value as? Double, let v = y.value as? Double {
                if u.isNaN || v.isNaN { #expect(u.isNaN && v.isNaN, "\(context) \(label): \(u) vs \(v)"); continue }
                #expect(abs(u - v) <= 1e-9 * max(abs(u), abs(v), 1e-9), "\(context) \(label): \(u) vs \(v)")
            } else {
                #expect(String(describing: x.value) == String(describing: y.value), "\(context) \(label)")
            }
        }
    }

    @Test(arguments: ["GOOG", "EURUSD", "minute", "weekly"])
    func chunkedEqualsWhole(_ name: String) throws {
        let bars = try Self.series(name)
        for direction in [TradeDirection.longOnly, .longShort] {
            var settings = ExecutionSettings()
            settings.commission = try CommissionModel(rate: 0.002)
            settings.direction = direction
            settings.closeAtEnd = direction == .longShort
            let spec = try StrategySpec(name: "sma-crossover", overrides: ["fast": 10, "slow": 20])
            let whole = try Backtester.run(spec, on: bars, settings: settings)
            #expect(whole.trades.count > 3)
            for size in [1, 7, 64, 1000, bars.count] {
                let streamed = try Backtester.runStreaming(spec, chunks: Self.chunks(of: bars, size: size), settings: settings)
                let context = "\(name) \(direction) chunks of \(size)"
                #expect(streamed.barCount == bars.count)
                #expect(streamed.chunkCount == (bars.count + size - 1) / size)
                #expect(streamed.metrics.equityFinal == whole.metrics.equityFinal, "\(context)")
                #expect(streamed.metrics.tradeCount == whole.trades.count, "\(context)")
                #expect(streamed.openTrades.count == whole.openTrades.count, "\(context)")
                Self.expectClose(streamed.metrics, whole.metrics, context)
            }
        }
    }

    @Test func chunksOutOfOrderAreRejected() throws {
        let bars = try Self.series("GOOG")
        var parts = [bars.slice(100..<200), bars.slice(0..<100)]
        let spec = try StrategySpec(name: "sma-crossover")
        #expect(throws: DomainError.self) {
            _ = try Backtester.runStreaming(spec, chunks: { parts.isEmpty ? nil : parts.removeFirst() }, settings: ExecutionSettings())
        }
        #expect(throws: DomainError.self) {
            _ = try Backtester.runStreaming(spec, chunks: { nil }, settings: ExecutionSettings())
        }
    }

    /// The optimizer's chunked statistics (`Backtester.statistics`, chunks of 32,768 bars over a
    /// shared profile) are bit-identical to the in-memory run, over several chunks.
    @Test(arguments: [("sma-crossover", [:]), ("momentum", ["lookback": 60, "threshold": 0.002]), ("breakout", [:])])
    func statisticsEqualRunBitForBit(_ strategy: String, _ parameters: [String: Double]) throws {
        let bars = try SyntheticBars.generate(symbol: "SYN", bars: 100_000, seed: 5, timeframe: .minute1)
        #expect(bars.count > 3 * Backtester.statisticsChunk)
        let profile = SeriesProfile(bars)
        for direction in [TradeDirection.longOnly, .longShort] {
            var settings = ExecutionSettings()
            settings.commission = try CommissionModel(rate: 0.001)
            settings.direction = direction
            settings.closeAtEnd = direction == .longShort
            let spec = try StrategySpec(name: strategy, overrides: parameters)
            let whole = try Backtester.run(spec, on: bars, settings: settings)
            #expect(whole.trades.count > 10)  // (and so no NaN statistic, which == would never match)
            let chunked = try Backtester.statistics(spec, on: bars, settings: settings, profile: profile)
            #expect(chunked == whole.metrics, "\(strategy) \(direction)")
        }
    }
}
