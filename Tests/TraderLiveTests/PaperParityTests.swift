import Foundation
import Testing
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies
@testable import TraderLive

/// A paper session replayed over stored bars must report exactly what the backtest reports for
/// those bars: the same kernel runs both, fed a bar at a time here and by the bar loop there.
@Suite struct PaperParityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sample(_ symbol: String) throws -> BarSeries {
        try CSVBarReader.read(path: root.appendingPathComponent("data/sample/\(symbol).csv").path, symbol: symbol)
    }

    /// Execution variants that exercise every path of the end of a run and of the broker.
    static func variants() throws -> [(String, ExecutionSettings)] {
        var plain = ExecutionSettings()
        plain.initialCapital = 10_000
        var costly = plain
        costly.commission = try CommissionModel(rate: 0.002)
        costly.stopLoss = 0.03
        costly.direction = .longShort
        var atClose = plain
        atClose.fill = .close
        atClose.endOfRunExit = .atLastClose
        var atOpen = plain
        atOpen.endOfRunExit = .atLastOpen
        var guarded = costly
        guarded.risk = .paperTradingDefaults  // bot_v2's paper limits, through the kernel's risk seam
        guarded.wholeUnits = false
        return [("plain", plain), ("commission+stop+long-short", costly), ("fill-at-close+exit-at-last-close", atClose),
                ("exit-at-last-open", atOpen),
                ("paper risk limits", guarded)]
    }

    @Test(arguments: ["GOOG", "EURUSD"])
    func replayEqualsTheBacktestForEveryStrategy(symbol: String) async throws {
        let bars = try Self.sample(symbol)
        var compared = 0
        for name in StrategyCatalog.names {
            let spec = try StrategySpec(name: name)
            for (label, settings) in try Self.variants() {
                let backtest = try Backtester.run(spec, on: bars, settings: settings)
                let session = PaperSession(bot: "parity", strategy: spec, settings: settings)
                let outcome = try await session.run(ReplayFeed(series: bars, speed: .max))
                let paper = outcome.result
                let context = "\(name) on \(symbol), \(label)"
                #expect(outcome.ending == .feedEnded, "\(context)")
                #expect(paper.trades == backtest.trades, "\(context): trades")
                #expect(paper.openTrades == backtest.openTrades, "\(context): open trades")
                #expect(paper.equity == backtest.equity, "\(context): equity curve")
                #expect("\(paper.metrics)" == "\(backtest.metrics)", "\(context): statistics")
                #expect(paper.fills == backtest.fills && paper.rejectedOrders == backtest.rejectedOrders, "\(context)")
                #expect(paper.timeframe == backtest.timeframe, "\(context)")
                compared += 1
            }
        }
        #expect(compared == StrategyCatalog.names.count * 5)
    }

    /// A run that loses everything stops trading at that bar in both: a short through a falling
    /// market, then the price jumps fivefold.
    @Test func outOfMoneyStopsBothAtTheSameBar() async throws {
        var closes = (0..<120).map { 100 * pow(0.99, Double($0)) }
        for k in 100..<120 { closes[k] = closes[99] * 5 }
        let day = Timestamp.nanosPerDay
        let bars = try BarSeries(symbol: "RUIN", timestamps: closes.indices.map { Int64($0) * day + 10 * day },
                                 open: closes, high: closes.map { $0 * 1.001 }, low: closes.map { $0 * 0.999 }, close: closes,
                                 volume: closes.map { _ in 1000 })
        var settings = ExecutionSettings()
        settings.direction = .longShort
        let spec = try StrategySpec(name: "momentum")
        let backtest = try Backtester.run(spec, on: bars, settings: settings)
        #expect(backtest.ranOutOfMoney, "the setup must actually run out of money")
        let outcome = try await PaperSession(bot: "ruin", strategy: spec, settings: settings).run(ReplayFeed(series: bars))
        #expect(outcome.result.ranOutOfMoney)
        #expect(outcome.result.equity == backtest.equity)
        #expect(outcome.result.trades == backtest.trades)
    }
}
