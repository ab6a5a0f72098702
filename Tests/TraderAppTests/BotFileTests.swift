import Foundation
import Testing
import TraderCore
import TraderEngine
import TraderLive
import TraderYAML
@testable import TraderApp

/// Bot files: what they configure, and one error naming file, line and key for each mistake.
@Suite struct BotFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theShippedSampleDefinesTwoPaperBots() throws {
        let bots = try BotFile.load(path: Self.root.appendingPathComponent("bots/sample.yaml").path)
        #expect(bots.map(\.request.bot) == ["goog-trend", "eurusd-reversion"])
        let goog = bots[0].request
        #expect(goog.backtest.strategy.name == "sma-crossover" && goog.backtest.strategy["fast"] == 10 && goog.backtest.strategy["slow"] == 30)
        #expect(goog.feed == .replay && goog.speed == .times(864_000))
        #expect(goog.backtest.settings.commission.rate == 0.001)
        // No risk section: bot_v2's paper limits.
        #expect(goog.backtest.settings.risk.summary == RiskRules.paperTradingDefaults.summary)
        let eurusd = bots[1].request
        #expect(eurusd.backtest.settings.direction == .longShort && eurusd.backtest.settings.stopLoss == 0.02)
        #expect(eurusd.backtest.settings.risk.maxPositionFraction?.fraction == 0.5 && eurusd.backtest.settings.risk.drawdownHalt?.fraction == 0.2)
        #expect(eurusd.backtest.settings.risk.maxOpenPositions == nil, "a risk section replaces the defaults")
        #expect(bots.allSatisfy { $0.broker == "paper" })
    }

    @Test(arguments: [
        ("bots:\n  - name: a\n    strateg: momentum\n", "b.yaml:3:5: unknown key 'strateg'"),
        ("bots:\n  - name: a\n    strategy: momentum\n    parameters: { lookback: fast }\n", "b.yaml:4:29: parameters.lookback must be a number, got 'fast'"),
        ("bots:\n  - name: a\n    strategy: nonesuch\n", "b.yaml:3:15: unknown strategy"),
        ("bots:\n  - name: a b\n", "b.yaml:2:11: name: may hold only letters"),
        ("bots:\n  - name: a\n  - name: a\n", "b.yaml:3:5: bot name 'a' is used twice (first at line 2)"),
        ("bots:\n  - name: a\n    feed: bloomberg\n", "b.yaml:3:11: feed: must be one of replay, synthetic, coinbase, alpaca, got 'bloomberg'"),
        ("bots:\n  - name: a\n    risk: { daily_loss_limit: 7 }\n", "b.yaml:3:11: risk.daily_loss_limit"),
        ("bots:\n  - name: a\n    risk: { max_leverage: 2 }\n", "b.yaml:3:13: unknown key 'risk.max_leverage'"),
        ("bots:\n  - name: a\n    capital: -5\n", "b.yaml:3:14: capital: must be"),
        ("bots:\n  - name: a\n    symbol: GOOG\n    data: x.csv\n", "give only one of symbol, data and synthetic"),
        ("bots: []\n", "b.yaml:1:1: no bots"),
        ("robots: []\n", "b.yaml:1:1: unknown key 'robots'"),
    ])
    func mistakesNameTheFileLineAndKey(text: String, expected: String) {
        do {
            _ = try BotFile.parse(text, file: "b.yaml")
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func guardsAreReadWithTheirUnits() throws {
        let text = "bots:\n  - name: g\n    guards: { rejection_burst: 10/50, stuck_order_bars: 20, stale_after: 30s, write_errors: 5, on_breach: flatten }\n"
        let g = try BotFile.parse(text, file: "g.yaml")[0].request.guards
        #expect(g == GuardSettings(rejectionBurst: (count: 10, bars: 50), stuckOrderBars: 20, staleAfter: .seconds(30), writeErrors: 5, onBreach: .flatten))
        #expect(try BotFile.parse("bots:\n  - name: g\n", file: "g.yaml")[0].request.guards.isActive == false)
        for (bad, expected) in [("rejection_burst: 10", "guards.rejection_burst must be COUNT/BARS"), ("on_breach: panic", "guards.on_breach must be one of halt-entries, flatten, stop"),
                                ("stale_after: soon", "guards.stale_after must be"), ("stuck_order_bars: 0", "guards.stuck_order_bars must be at least 1"),
                                ("kill_switch: 1", "unknown key 'guards.kill_switch'")] {
            #expect(throws: YAMLError.self) { _ = try BotFile.parse("bots:\n  - name: g\n    guards: { \(bad) }\n", file: "g.yaml") }
            do { _ = try BotFile.parse("bots:\n  - name: g\n    guards: { \(bad) }\n", file: "g.yaml") } catch {
                #expect(error.description.hasPrefix("g.yaml:3:") && error.description.contains(expected), "\(error.description)")
            }
        }
    }

    @Test func riskNoneTurnsTheDefaultsOff() throws {
        let bots = try BotFile.parse("bots:\n  - name: free\n    risk: none\n    synthetic: { bars: 500, seed: 3, timeframe: 1h }\n", file: "f.yaml")
        #expect(bots[0].request.backtest.settings.risk.summary == RiskRules().summary)
        #expect(bots[0].request.backtest.source == .synthetic(symbol: "SYNTH", bars: 500, seed: 3, timeframe: try Timeframe(parsing: "1h")))
    }
}
