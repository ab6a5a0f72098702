import Foundation
import Testing
import TraderCore
import TraderData
import TraderStrategies
@testable import TraderEngine

/// Parity with backtesting.py 0.6.6 on the real bars the project ships: GOOG daily (one bar per
/// day, 252-day years) and EURUSD hourly (several bars per day, so daily returns come from the
/// last bar of each day, and weekend bars).
///
/// The expectations in Tests/Fixtures/backtesting_py_reference*.json were produced by running
/// backtesting.py itself: `/tmp/gpt-trader-peers/bin/python scripts/peers/reference_stats.py`
/// (GOOG) and the same with `--data data/sample/EURUSD.csv --out
/// Tests/Fixtures/backtesting_py_reference_eurusd.json` (SMA crossover 10/20 with
/// `backtesting.lib.crossover`, cash 10,000, commission 0.002, default `buy()`/`sell()` size,
/// exclusive orders). Nothing in the files comes from our own code.
@Suite struct ReferenceParityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A shipped CSV and the backtesting.py statistics produced on it.
    struct Dataset: Sendable, CustomTestStringConvertible {
        let symbol: String
        let fixture: String
        var testDescription: String { symbol }

        static let goog = Dataset(symbol: "GOOG", fixture: "backtesting_py_reference.json")
        static let eurusd = Dataset(symbol: "EURUSD", fixture: "backtesting_py_reference_eurusd.json")
        static let all = [goog, eurusd]

        var reference: [String: Any] {
            get throws {
                let data = try Data(contentsOf: root.appendingPathComponent("Tests/Fixtures/\(fixture)"))
                return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            }
        }

        func bars() throws -> BarSeries {
            try CSVBarReader.read(path: root.appendingPathComponent("data/sample/\(symbol).csv").path, symbol: symbol)
        }
    }

    func run(_ data: Dataset, direction: TradeDirection, fill: FillTiming = .nextOpen) throws -> BacktestResult {
        var settings = ExecutionSettings()
        settings.initialCapital = 10_000
        settings.commission = try CommissionModel(rate: 0.002)
        settings.direction = direction
        settings.fill = fill
        let spec = try StrategySpec(name: "sma-crossover", overrides: ["fast": 10, "slow": 20])
        return try Backtester.run(spec, on: try data.bars(), settings: settings)
    }

    /// Our value for each backtesting.py statistic key.
    func ours(_ m: PerformanceMetrics) -> [String: Double] {
        func days(_ d: Duration64?) -> Double { d.map { $0.days } ?? .nan }
        return [
            "Exposure Time [%]": m.exposureTimePct, "Equity Final [$]": m.equityFinal, "Equity Peak [$]": m.equityPeak,
            "Commissions [$]": m.commissions, "Return [%]": m.returnPct, "Buy & Hold Return [%]": m.buyAndHoldReturnPct,
            "Return (Ann.) [%]": m.annualizedReturnPct, "Volatility (Ann.) [%]": m.annualizedVolatilityPct,
            "CAGR [%]": m.cagrPct, "Sharpe Ratio": m.sharpeRatio, "Sortino Ratio": m.sortinoRatio,
            "Calmar Ratio": m.calmarRatio, "Alpha [%]": m.alphaPct, "Beta": m.beta,
            "Max. Drawdown [%]": m.maxDrawdownPct, "Avg. Drawdown [%]": m.avgDrawdownPct,
            "Max. Drawdown Duration": days(m.maxDrawdownDuration), "Avg. Drawdown Duration": days(m.avgDrawdownDuration),
            "# Trades": Double(m.tradeCount), "Win Rate [%]": m.winRatePct, "Best Trade [%]": m.bestTradePct,
            "Worst Trade [%]": m.worstTradePct, "Avg. Trade [%]": m.avgTradePct,
            "Max. Trade Duration": days(m.maxTradeDuration), "Avg. Trade Duration": days(m.avgTradeDuration),
            "Profit Factor": m.profitFactor, "Expectancy [%]": m.expectancyPct, "SQN": m.sqn,
            "Kelly Criterion": m.kellyCriterion, "Duration": m.duration.days,
        ]
    }

    func expectParity(_ result: BacktestResult, _ data: Dataset, variant: String) throws {
        let variants = try #require(try data.reference["variants"] as? [String: Any])
        let v = try #require(variants[variant] as? [String: Any])
        let stats = try #require(v["stats"] as? [String: Any])
        let mine = ours(result.metrics)
        var compared = 0
        for (key, expected) in stats {
            let want: Double
            if let d = expected as? Double { want = d }
            else if let o = expected as? [String: Any], let d = o["days"] as? Double { want = d }
            else if expected is NSNull { want = .nan }
            else { continue }  // Start, End: checked below
            // backtesting.py reports Duration and the trade durations as whole Timedeltas: compare days.
            let got = try #require(mine[key], "no value for \(key)")
            compared += 1
            if want.isNaN { #expect(got.isNaN, "\(variant) \(key): expected NaN, got \(got)"); continue }
            let tolerance = 1e-6 * max(abs(want), 1e-12)
            #expect(abs(got - want) <= tolerance, "\(variant) \(key): expected \(want), got \(got)")
        }
        #expect(compared >= 29)
        #expect(result.metrics.start.iso8601() == stats["Start"] as? String)
        #expect(result.metrics.end.iso8601() == stats["End"] as? String)

        let trades = try #require(v["trades"] as? [[String: Any]])
        #expect(result.trades.count == trades.count)
        for (t, ref) in zip(result.trades, trades) {
            #expect(t.size == ref["Size"] as! Double)
            #expect(t.entryBar == ref["EntryBar"] as! Int)
            #expect(t.exitBar == ref["ExitBar"] as! Int)
            #expect(abs(t.entryPrice - (ref["EntryPrice"] as! Double)) <= 1e-9 * t.entryPrice)
            #expect(abs(t.exitPrice - (ref["ExitPrice"] as! Double)) <= 1e-9 * t.exitPrice)
            #expect(abs(t.pnl - (ref["PnL"] as! Double)) <= 1e-6 * max(1, abs(t.pnl)))
            #expect(abs(t.returnPct - (ref["ReturnPct"] as! Double)) <= 1e-9)
        }
    }

    @Test(arguments: Dataset.all) func longOnlyMatchesBacktestingPy(_ data: Dataset) throws {
        try expectParity(try run(data, direction: .longOnly), data, variant: "long_only")
    }

    @Test(arguments: Dataset.all) func longShortMatchesBacktestingPy(_ data: Dataset) throws {
        try expectParity(try run(data, direction: .longShort), data, variant: "long_short")
    }

    @Test(arguments: Dataset.all) func tradeOnCloseMatchesBacktestingPy(_ data: Dataset) throws {
        try expectParity(try run(data, direction: .longOnly, fill: .close), data, variant: "long_only_trade_on_close")
    }

    @Test(arguments: Dataset.all) func equityCurveMatchesSampledRows(_ data: Dataset) throws {
        let result = try run(data, direction: .longOnly)
        let variants = try #require(try data.reference["variants"] as? [String: Any])
        let v = try #require(variants["long_only"] as? [String: Any])
        let rows = try #require(v["equity_curve"] as? [String: Any])
        var checked = 0
        for case let list as [[String: Any]] in rows.values {
            for row in list {
                guard let i = row["i"] as? Int ?? row["index"] as? Int, let e = row["Equity"] as? Double else { continue }
                #expect(abs(result.equity[i] - e) <= 1e-9 * e, "equity[\(i)]")
                checked += 1
            }
        }
        #expect(checked > 10)
    }
}
