import Foundation
import Testing
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies
@testable import TraderAnalysis

/// Sizers in real runs: the kernel asks them at every signal entry, with what was known then,
/// and every run path (in memory, chunked statistics, streaming, optimizer) gives the same result.
@Suite struct SizedBacktestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func goog() throws -> BarSeries {
        try CSVBarReader.read(path: root.appendingPathComponent("data/sample/GOOG.csv").path, symbol: "GOOG")
    }

    static func settings(_ configure: (inout ExecutionSettings) -> Void = { _ in }) throws -> ExecutionSettings {
        var s = ExecutionSettings()
        s.commission = try CommissionModel(rate: 0.002)
        configure(&s)
        return s
    }

    static func sizer(_ rule: SizingConfiguration.Rule, _ configure: (inout SizingConfiguration) -> Void = { _ in }) throws -> any PositionSizer {
        var c = SizingConfiguration(rule: rule)
        configure(&c)
        return try c.makeSizer()
    }

    /// The fraction of every signal entry, with the decision bar and the trades closed before it,
    /// read from the kernel's event stream.
    struct Entry {
        var bar: Int
        var fraction: Double
        var closedBefore: [Trade]
    }

    static func entries(_ events: [TradingEvent]) -> (entries: [Entry], buySignalsWhenFlat: Int) {
        var closed: [Trade] = []
        var out: [Entry] = []
        var signalBar = -1
        var position = 0.0
        var buysWhenFlat = 0
        for e in events {
            switch e {
            case let .tradeClosed(t): closed.append(t)
            case let .filled(f): position += f.signedQuantity
            case let .signal(index, signal):
                signalBar = index
                if signal == .buy && position == 0 { buysWhenFlat += 1 }
            case let .orderSubmitted(o):
                if case let .equityFraction(f) = o.quantity, !o.reduceOnly { out.append(Entry(bar: signalBar, fraction: f, closedBefore: closed)) }
            default: break
            }
        }
        return (out, buysWhenFlat)
    }

    @Test(arguments: [FillTiming.nextOpen, .close], [TradeDirection.longOnly, .longShort])
    func fixedAtTheDefaultFractionIsIdenticalToNoSizer(_ fill: FillTiming, _ direction: TradeDirection) throws {
        let bars = try Self.goog()
        let settings = try Self.settings { $0.fill = fill; $0.direction = direction }
        let spec = try StrategySpec(name: "sma-crossover", overrides: ["fast": 10, "slow": 20])
        let plain = try Backtester.run(spec, on: bars, settings: settings)
        let sized = try Backtester.run(spec, on: bars, settings: settings, sizer: try Self.sizer(.fixed))
        #expect(plain.trades.count > 40)
        #expect(sized.trades == plain.trades)
        #expect(sized.openTrades == plain.openTrades)
        #expect(sized.equity == plain.equity)
        #expect(sized.metrics == plain.metrics)
        #expect(plain.sizing == nil && sized.sizing?.rule == "fixed" && sized.skippedEntries == 0)
    }

    @Test func fixedHalfEntersWithHalfTheEquity() throws {
        let bars = try Self.goog()
        let settings = try Self.settings()
        let spec = try StrategySpec(name: "sma-crossover", overrides: ["fast": 10, "slow": 20])
        let full = try Backtester.run(spec, on: bars, settings: settings)
        let half = try Backtester.run(spec, on: bars, settings: settings, sizer: try Self.sizer(.fixed) { $0.baseFraction = 0.5 })
        // Same signals, so the same entry and exit bars.
        #expect(half.trades.map(\.entryBar) == full.trades.map(\.entryBar))
        // The first entry, from the same starting cash: half the units, whole units rounding aside.
        #expect(abs(half.trades[0].size - full.trades[0].size / 2) <= 1)
        // Every entry: half the equity at the decision (all cash, the position being flat) over
        // the price with commission, floored to whole units.
        for t in half.trades {
            let equity = half.equity[t.entryBar - 1]
            let units = 0.5 * equity / (t.entryPrice * 1.002)
            #expect(t.size <= units && t.size > units - 1, "trade entered at bar \(t.entryBar)")
        }
        // The same as the kernel's own `positionFraction`.
        var halfSettings = settings
        halfSettings.positionFraction = 0.5
        #expect(try Backtester.run(spec, on: bars, settings: halfSettings).trades == half.trades)
    }

    @Test func kellyUsesTheFallbackThenTheTradesSoFarAndNeverExceedsTheMaximum() throws {
        let bars = try Self.goog()
        var settings = try Self.settings()
        settings.wholeUnits = false
        let spec = try StrategySpec(name: "sma-crossover", overrides: ["fast": 10, "slow": 20])
        let sizer = try Self.sizer(.kelly) { $0.minimumTrades = 10; $0.baseFraction = 0.3; $0.maxPosition = 0.5 }
        var recorder = EventRecorder()
        let result = try Backtester.run(SMACrossover(fast: 10, slow: 20), name: "sma", on: bars, settings: settings, sizer: sizer,
                                        events: &recorder)
        #expect(try Backtester.run(spec, on: bars, settings: settings, sizer: sizer).trades == result.trades)
        let (entries, buys) = Self.entries(recorder.events)
        #expect(entries.count + result.skippedEntries == buys)
        var kellyEntries = 0, capped = 0, belowCap = 0
        for entry in entries {
            #expect(entry.fraction <= 0.5)
            let closed = entry.closedBefore
            guard closed.count >= 10 else {
                #expect(entry.fraction == 0.3, "bar \(entry.bar): \(closed.count) trades closed, fallback expected")
                continue
            }
            // Kelly by hand from the trades closed before the decision.
            let wins = closed.filter { $0.returnPct > 0 }.map(\.returnPct)
            let losses = closed.filter { $0.returnPct < 0 }.map { -$0.returnPct }
            let p = Double(wins.count) / Double(closed.count)
            let b = (wins.reduce(0, +) / Double(wins.count)) / (losses.reduce(0, +) / Double(losses.count))
            let kelly = p - (1 - p) / b
            #expect(kelly > 0)  // else there would be no entry
            #expect(abs(entry.fraction - min(kelly, 0.5)) < 1e-12, "bar \(entry.bar)")
            kellyEntries += 1
            if kelly >= 0.5 { capped += 1 } else { belowCap += 1 }
        }
        #expect(kellyEntries > 20)
        #expect(capped > 0 && belowCap > 0)  // the formula moves; the cap binds some of the time
        #expect(entries.contains { $0.fraction != 0.3 })
        // Entries the sizer declined (none here: GOOG's crossover has an edge) are counted.
        #expect(result.skippedEntries == 0)
    }

    @Test func kellyDeclinesEntriesOnANegativeEdge() throws {
        // Scalp on noisy synthetic minute bars loses on average: once Kelly applies, it stays out.
        let bars = try SyntheticBars.generate(symbol: "SYN", bars: 5_000, seed: 11, timeframe: .minute1)
        let settings = try Self.settings { $0.wholeUnits = false }
        let spec = try StrategySpec(name: "scalp")
        let sized = try Backtester.run(spec, on: bars, settings: settings, sizer: try Self.sizer(.kelly) { $0.minimumTrades = 10 })
        var stats = ClosedTradeStatistics()
        for t in sized.trades { stats.add(t) }
        #expect(KellySizer.kellyFraction(winRate: stats.winRate, payoffRatio: stats.payoffRatio) <= 0)
        #expect(sized.skippedEntries > 0)
        #expect(sized.trades.count >= 10)
    }

    @Test func volatilityTargetingSizesByTheATRUpToTheDecisionBar() throws {
        let bars = try Self.goog()
        let settings = try Self.settings { $0.wholeUnits = false }
        var recorder = EventRecorder()
        let sizer = try Self.sizer(.volatility) { $0.riskTarget = 0.02; $0.atrPeriod = 14 }
        _ = try Backtester.run(SMACrossover(fast: 10, slow: 20), name: "sma", on: bars, settings: settings, sizer: sizer,
                               events: &recorder)
        let entries = Self.entries(recorder.events).entries
        #expect(entries.count > 20)
        var belowTheCap = 0
        for entry in entries {
            var atr = try ATR(period: 14)
            for i in 0...entry.bar { atr.update(bars[i]) }
            let expected = min(1, 0.02 * bars.close[entry.bar] / atr.value)
            #expect(abs(entry.fraction - expected) < 1e-12, "bar \(entry.bar)")
            if expected < 1 { belowTheCap += 1 }
        }
        #expect(belowTheCap > 20)  // sized by the ATR, not just capped at all of equity
    }

    @Test func regimeSizingScalesTheBaseByTheRegimeOfTheDecisionBar() throws {
        let bars = try Self.goog()
        let settings = try Self.settings { $0.wholeUnits = false }
        var recorder = EventRecorder()
        _ = try Backtester.run(SMACrossover(fast: 10, slow: 20), name: "sma", on: bars, settings: settings,
                               sizer: try Self.sizer(.regime) { $0.baseFraction = 0.5 }, events: &recorder)
        let regimes = try ThresholdRegimeClassifier.regimes(closes: bars.close)
        let entries = Self.entries(recorder.events).entries
        var seen = Set<Regime>()
        for entry in entries {
            let regime = regimes[entry.bar]
            #expect(abs(entry.fraction - 0.5 * (regime?.sizeMultiplier ?? 1)) < 1e-12, "bar \(entry.bar)")
            if let regime { seen.insert(regime) }
        }
        #expect(seen.count >= 2)  // the multiplier really varies over GOOG's history
    }

    @Test func confidenceSizingFollowsTheEnsembleVote() throws {
        let bars = try Self.goog()
        let settings = try Self.settings { $0.wholeUnits = false }
        let spec = try StrategySpec(name: "ensemble")
        let ensemble = try #require(try spec.makeStrategy() as? Ensemble)
        var recorder = EventRecorder()
        _ = try Backtester.run(ensemble, name: "ensemble", on: bars, settings: settings,
                               sizer: try Self.sizer(.confidence) { $0.baseFraction = 0.8 }, events: &recorder)
        // Replay the ensemble to read its score at each decision bar.
        var replay = ensemble
        var context = StrategyContext()
        var scores: [Double] = []
        for i in 0..<bars.count {
            _ = replay.onBar(bars[i], context: &context)
            scores.append(replay.score)
        }
        let entries = Self.entries(recorder.events).entries
        #expect(entries.count > 5)
        for entry in entries { #expect(abs(entry.fraction - 0.8 * abs(scores[entry.bar])) < 1e-12, "bar \(entry.bar)") }
        #expect(entries.contains { $0.fraction < 0.8 - 1e-9 })  // split votes buy less
        // A strategy without a notion of confidence: confidence sizing is the base fraction.
        let sma = try StrategySpec(name: "sma-crossover")
        #expect(try Backtester.run(sma, on: bars, settings: settings, sizer: try Self.sizer(.confidence) { $0.baseFraction = 0.8 }).trades
                == Backtester.run(sma, on: bars, settings: settings, sizer: try Self.sizer(.fixed) { $0.baseFraction = 0.8 }).trades)
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

    /// Every statistic bit for bit (NaN equal to NaN).
    static func expectIdentical(_ a: PerformanceMetrics, _ b: PerformanceMetrics, _ context: String) {
        for (x, y) in zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children) {
            if let u = x.value as? Double, let v = y.value as? Double {
                #expect(u.bitPattern == v.bitPattern || (u.isNaN && v.isNaN), "\(context) \(x.label ?? "?"): \(u) vs \(v)")
            } else {
                #expect(String(describing: x.value) == String(describing: y.value), "\(context) \(x.label ?? "?")")
            }
        }
    }

    /// The sizers the run paths are checked with: one that learns from closed trades, two that
    /// observe bars. `riskTarget` suits the bars' volatility (an ATR is ~2 % of a daily close,
    /// ~0.05 % of a minute's).
    static func pathSizer(_ name: String, riskTarget: Double) throws -> any PositionSizer {
        switch name {
        case "kelly": try sizer(.kelly) { $0.minimumTrades = 5; $0.baseFraction = 0.5; $0.kellyFloor = 0.1; $0.maxPosition = 0.9 }
        case "volatility": try sizer(.volatility) { $0.riskTarget = riskTarget }
        default: try sizer(.regime) { $0.baseFraction = 0.7 }
        }
    }

    /// Streaming in chunks (closed trades drained after each, the Kelly statistics carried over)
    /// gives the run's trades and statistics.
    @Test(arguments: ["kelly", "volatility", "regime"])
    func streamingWithASizerEqualsTheRun(_ name: String) throws {
        let bars = try Self.goog()
        let settings = try Self.settings { $0.direction = .longShort; $0.closeAtEnd = true }
        let spec = try StrategySpec(name: "sma-crossover", overrides: ["fast": 10, "slow": 20])
        let sizer = try Self.pathSizer(name, riskTarget: 0.01)
        let whole = try Backtester.run(spec, on: bars, settings: settings, sizer: sizer)
        #expect(whole.trades.count > 40)
        for size in [7, 100, bars.count] {
            var position = 0
            let chunks: () -> BarSeries? = {
                guard position < bars.count else { return nil }
                defer { position += size }
                return bars.slice(position..<min(bars.count, position + size))
            }
            let streamed = try Backtester.runStreaming(spec, chunks: chunks, settings: settings, sizer: sizer)
            #expect(streamed.metrics.equityFinal == whole.metrics.equityFinal, "\(name) chunks of \(size)")
            #expect(streamed.metrics.tradeCount == whole.trades.count, "\(name) chunks of \(size)")
            #expect(streamed.skippedEntries == whole.skippedEntries && streamed.sizing == whole.sizing)
            Self.expectClose(streamed.metrics, whole.metrics, "\(name) chunks of \(size)")
        }
    }

    /// The optimizer's chunked statistics with a sizer are bit-identical to the run with it, over
    /// several 32K-bar chunks, and an optimizer entry equals a single sized backtest.
    @Test(arguments: ["kelly", "volatility", "regime"])
    func statisticsAndOptimizerWithASizerEqualTheRun(_ name: String) async throws {
        let bars = try SyntheticBars.generate(symbol: "SYN", bars: 70_000, seed: 5, timeframe: .minute1)
        #expect(bars.count > 2 * Backtester.statisticsChunk)
        let settings = try Self.settings { $0.direction = .longShort; $0.closeAtEnd = true }
        let sizer = try Self.pathSizer(name, riskTarget: 0.0005)
        let sets: [[String: Double]] = [["lookback": 60, "threshold": 0.002], ["lookback": 120, "threshold": 0.004]]
        let optimized = await Optimizer.run(strategy: "momentum", sets: sets, on: bars, settings: settings, sizer: sizer,
                                            objective: Objective(metric: .equity), top: 2, jobs: 2)
        #expect(optimized.evaluated == 2)
        let profile = SeriesProfile(bars)
        for entry in optimized.ranked {
            let spec = try StrategySpec(name: "momentum", overrides: entry.parameters)
            let whole = try Backtester.run(spec, on: bars, settings: settings, sizer: sizer)
            #expect(whole.trades.count > 10, "\(name)")
            Self.expectIdentical(try Backtester.statistics(spec, on: bars, settings: settings, sizer: sizer, profile: profile),
                                 whole.metrics, "\(name) statistics")
            Self.expectIdentical(entry.metrics, whole.metrics, "\(name) optimizer \(entry.parameters)")
            // And the sizer changed something: the unsized run differs.
            #expect(try Backtester.run(spec, on: bars, settings: settings).metrics.equityFinal != whole.metrics.equityFinal, "\(name)")
        }
    }
}
