import Foundation
import Testing
import TraderCore
import TraderEngine
import TraderStore
import TraderStrategies
import TraderWorkflows
@testable import TraderApp

/// bot_v2's paper-trading and risk-managed live-trading workflows, end to end.
@Suite struct LiveWorkflowTests {
    /// The session is the backtest of the same strategy under bot_v2's paper risk limits, and its
    /// stored books reconcile with it, on a second run of the same bot too (the first session's
    /// records are told apart).
    @Test func paperTradingReconcilesWithItsSession() async throws {
        try await BuiltinWorkflowTests.withHistory { history in
            var settings = try BuiltinWorkflowTests.settings(commission: 0.001)
            settings.risk = .paperTradingDefaults
            let backtest = try Backtester.run(try StrategySpec(name: "sma-crossover"), on: try BuiltinWorkflowTests.goog(), settings: settings)
            #expect(backtest.fills > 10)
            for _ in 0..<2 {
                let run = try await BuiltinWorkflowTests.run("paper-trading", history: history)
                #expect(run.status == .succeeded, "\(run.steps.map { "\($0.id) \($0.status) \($0.error ?? "")" })")
                #expect(try BuiltinWorkflowTests.number(run, "session", "final_equity") == backtest.metrics.equityFinal)
                #expect(try BuiltinWorkflowTests.number(run, "session", "fills") == Double(backtest.fills))
                #expect(run.step("reconcile")?.outputs["matched"] == .bool(true), "\(run.step("reconcile")?.outputs ?? [:])")
                #expect(try BuiltinWorkflowTests.number(run, "reconcile", "stored_fills") == Double(backtest.fills))
            }
            let bot = try #require(try await history.store.bot(id: "workflow-GOOG-sma-crossover"))
            #expect(bot.status == .stopped && bot.bars == 2148)
        }
    }

    @Test func liveTradingRunsDryOnThePaperBrokerAndRefusesAVenueWithoutItsKeys() async throws {
        try await BuiltinWorkflowTests.withHistory { history in
            let dry = try await BuiltinWorkflowTests.run("live-trading", history: history)
            #expect(dry.status == .succeeded)
            #expect(dry.step("reconcile")?.outputs["matched"] == .bool(true))
            let venue = try await BuiltinWorkflowTests.run("live-trading", ["broker": .string("alpaca")], history: history)
            #expect(venue.status == .failed)
            #expect(venue.step("broker")?.error?.contains("needs Alpaca's API keys in the environment") == true, "\(venue.step("broker")?.error ?? "")")
            #expect(venue.step("session")?.status == .skipped, "nothing trades after a failed broker check")
        }
    }
}
