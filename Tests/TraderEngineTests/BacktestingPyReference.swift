import Foundation
import Testing
import TraderCore
import TraderData
@testable import TraderEngine

/// The backtesting.py reference fixtures (`Tests/Fixtures/backtesting_py_*.json`, written by
/// backtesting.py itself through `scripts/peers/`) and the comparison of one of our runs with one
/// of their variants: every statistic to 1e-6 relative, every closed trade's size, bars, times,
/// prices and commission exactly (PnL and return to rounding), and the sampled equity rows.
/// Nothing in the fixtures comes from our own code.
///
/// The fixtures are read with `JSONValue` (correctly rounded numbers): Foundation's
/// `JSONSerialization` on Linux misreads some of backtesting.py's repr floats by an ulp
/// (`37.464960000000005` as `37.46496000000001`), which exact comparisons cannot afford.
enum BacktestingPyReference {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The fixture `file` under Tests/Fixtures, parsed.
    static func fixture(_ file: String) throws -> JSONValue {
        let data = try Data(contentsOf: root.appendingPathComponent("Tests/Fixtures/\(file)"))
        return try JSONValue(parsing: String(decoding: data, as: UTF8.self))
    }

    /// The variant `name` of the fixture `file`.
    static func variant(_ name: String, in file: String) throws -> JSONValue {
        try #require(try fixture(file)["variants"]?[name], "\(file) has no variant \(name)")
    }

    /// The names of the variants of the fixture `file`.
    static func variantNames(in file: String) throws -> [String] {
        guard case .object(let pairs)? = try fixture(file)["variants"] else { return [] }
        return pairs.map(\.0)
    }

    /// A whole number of the fixture (bars, sizes, counts).
    static func int(_ value: JSONValue?) -> Int? {
        if case .integer(let i)? = value { return i }
        return nil
    }

    /// The shipped bars of `symbol` (data/sample).
    static func bars(_ symbol: String) throws -> BarSeries {
        try CSVBarReader.read(path: root.appendingPathComponent("data/sample/\(symbol).csv").path, symbol: symbol)
    }

    /// Our value for each backtesting.py statistic key (durations in days).
    static func statistics(_ m: PerformanceMetrics) -> [String: Double] {
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

    /// Compares `result` with the reference variant `v` (named `label` in messages).
    static func expectParity(_ result: BacktestResult, _ v: JSONValue, label: String) throws {
        try expectStatistics(result.metrics, v, label: label)
        try expectTrades(result.trades, v, label: label)
        try expectEquityRows(result.equity, v, label: label)
    }

    /// A statistic of the fixture as a number: NaN for null, days for a Timedelta, nil for the
    /// times (Start, End).
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .null: .nan
        case .string("inf"): .infinity
        case .string("-inf"): -.infinity
        case .object: value["days"]?.doubleValue
        default: value.doubleValue
        }
    }

    /// Every statistic of the variant to 1e-6 relative (NaN where backtesting.py has NaN; absent
    /// keys, such as `Commissions [$]` without trades, are skipped), and the start and end times.
    static func expectStatistics(_ metrics: PerformanceMetrics, _ v: JSONValue, label: String) throws {
        guard case .object(let stats)? = v["stats"] else { Issue.record("\(label): no stats"); return }
        let mine = statistics(metrics)
        var compared = 0
        for (key, expected) in stats {
            // backtesting.py reports Duration and the trade durations as whole Timedeltas: compare days.
            guard let want = number(expected) else { continue }  // Start, End: checked below
            let got = try #require(mine[key], "no value for \(key)")
            compared += 1
            if want.isNaN { #expect(got.isNaN, "\(label) \(key): expected NaN, got \(got)"); continue }
            if want.isInfinite { #expect(got == want, "\(label) \(key): expected \(want), got \(got)"); continue }
            let tolerance = 1e-6 * max(abs(want), 1e-12)
            #expect(abs(got - want) <= tolerance, "\(label) \(key): expected \(want), got \(got)")
        }
        #expect(compared >= 28, "\(label): only \(compared) statistics compared")
        #expect(metrics.start.iso8601() == v["stats"]?["Start"]?.stringValue, "\(label) Start")
        #expect(metrics.end.iso8601() == v["stats"]?["End"]?.stringValue, "\(label) End")
    }

    /// Every closed trade in order: size, entry and exit bar, entry and exit time, entry and exit
    /// price and commission exactly; PnL to 1e-6 relative and the return to 1e-9.
    static func expectTrades(_ trades: [Trade], _ v: JSONValue, label: String) throws {
        let reference = try #require(v["trades"]?.arrayValue)
        #expect(trades.count == reference.count, "\(label): \(trades.count) trades, backtesting.py has \(reference.count)")
        for (k, (t, ref)) in zip(trades, reference).enumerated() {
            let at = "\(label) trade \(k)"
            #expect(t.size == ref["Size"]?.doubleValue, "\(at) size \(t.size) vs \(ref["Size"]?.plainText ?? "-")")
            #expect(t.entryBar == int(ref["EntryBar"]), "\(at) entry bar \(t.entryBar) vs \(ref["EntryBar"]?.plainText ?? "-")")
            #expect(t.exitBar == int(ref["ExitBar"]), "\(at) exit bar \(t.exitBar) vs \(ref["ExitBar"]?.plainText ?? "-")")
            #expect(t.entryTime.iso8601() == ref["EntryTime"]?.stringValue, "\(at) entry time")
            #expect(t.exitTime.iso8601() == ref["ExitTime"]?.stringValue, "\(at) exit time")
            #expect(t.entryPrice == ref["EntryPrice"]?.doubleValue, "\(at) entry price \(t.entryPrice) vs \(ref["EntryPrice"]?.plainText ?? "-")")
            #expect(t.exitPrice == ref["ExitPrice"]?.doubleValue, "\(at) exit price \(t.exitPrice) vs \(ref["ExitPrice"]?.plainText ?? "-")")
            #expect(t.commission == ref["Commission"]?.doubleValue, "\(at) commission \(t.commission) vs \(ref["Commission"]?.plainText ?? "-")")
            let pnl = try #require(ref["PnL"]?.doubleValue)
            #expect(abs(t.pnl - pnl) <= 1e-6 * max(1, abs(pnl)), "\(at) PnL \(t.pnl) vs \(pnl)")
            let ret = try #require(ref["ReturnPct"]?.doubleValue)
            #expect(abs(t.returnPct - ret) <= 1e-9, "\(at) return \(t.returnPct) vs \(ret)")
        }
    }

    /// The equity rows the fixture samples (first and last five, and some between) to 1e-9
    /// relative; the last row is where the end-of-run exit shows.
    static func expectEquityRows(_ equity: [Double], _ v: JSONValue, label: String) throws {
        let curve = try #require(v["equity_curve"])
        #expect(int(curve["n_rows"]) == equity.count, "\(label): equity rows")
        var checked = 0
        for part in ["first5", "sampled", "last5"] {
            for row in curve[part]?.arrayValue ?? [] {
                guard let i = int(row["i"]), let e = row["Equity"]?.doubleValue else { continue }
                #expect(abs(equity[i] - e) <= 1e-9 * abs(e), "\(label) equity[\(i)]: \(equity[i]) vs \(e)")
                checked += 1
            }
        }
        #expect(checked > 10, "\(label): only \(checked) equity rows")
    }
}
