import Testing
import TraderCore
import TraderStrategies
@testable import TraderEngine

/// The shared account of several kernels (`MultiSymbolAccount`, `AccountBroker`).
@Suite struct MultiSymbolAccountTests {
    /// The account generalizes the kernel's accounting without changing it: a one-instrument
    /// account traded by the kernel gives the backtester's equity and trades to the bit, on GOOG's
    /// 2,148 real bars with commission and a stop-loss (so entries, exits and protective exits all
    /// go through the account's books).
    @Test func oneInstrumentAccountIsTheBacktest() throws {
        let bars = try StreamingBacktestTests.series("GOOG")
        let config = settings {
            $0.commission = try! CommissionModel(rate: 0.002)
            $0.stopLoss = 0.05
        }
        let reference = try Backtester.run(StrategySpec(name: "sma-crossover", overrides: ["fast": 10, "slow": 20]), on: bars, settings: config)
        let account = try MultiSymbolAccount(instruments: ["GOOG"], cash: config.initialCapital, risk: NoRiskCheck())
        var kernel = TradingKernel(strategy: try SMACrossover(fast: 10, slow: 20),
                                   broker: try AccountBroker(ledger: account.ledger(for: 0), settings: config), settings: config,
                                   events: NoEventSink())
        var equity: [Double] = []
        for i in 0..<bars.count { equity.append(kernel.onBar(bars[i], index: i)) }
        #expect(reference.trades.contains { $0.exitReason == .stopLoss })
        #expect(equity == reference.equity)
        #expect(kernel.broker.closedTrades == reference.trades)
        #expect(account.fills.count == reference.fills)
    }

    /// Two instruments share the cash: the second entry is sized on what the first left, equity
    /// is cash plus both positions marked, and the free cash is what a cash account would show.
    @Test func instrumentsShareTheCash() throws {
        let a = series([(100, 100, 100, 100), (100, 100, 100, 100), (110, 110, 110, 110), (120, 120, 120, 120)])
        let b = series([(50, 50, 50, 50), (50, 50, 50, 50), (50, 50, 50, 50), (40, 40, 40, 40)])
        let config = settings { $0.positionFraction = 0.5 }
        let account = try MultiSymbolAccount(instruments: ["A", "B"], cash: 10_000, risk: NoRiskCheck())
        var kernels = try [0, 1].map { s in
            TradingKernel(strategy: ScriptedStrategy(signals: [s: .buy]), broker: try AccountBroker(ledger: account.ledger(for: s), settings: config),
                          settings: config, events: EventRecorder())
        }
        var equity: [[Double]] = [[], []]
        for i in 0..<4 {
            for (s, data) in [a, b].enumerated() { equity[s].append(kernels[s].onBar(data[i], index: i)) }
        }
        // A: half of 10,000 at 100 on bar 1 → 50 units. B: half of the 5,000 left at 50 on bar 2 → 50 units.
        #expect(account.books[0].position == 50 && account.books[1].position == 50)
        #expect(account.freeCash == 10_000 - 5_000 - 2_500)
        // Bar 3: A at 120 (+1,000), B at 40 (−500).
        #expect(account.equity() == 10_500)
        #expect(account.exposure() == 50 * 120 + 50 * 40)
        #expect(account.openPositions == 2)
        // Each kernel's equity is the account's (B marks after A on each bar).
        #expect(equity[1][3] == 10_500)
        let snapshot = kernels[1].broker.account(markedAt: 40)
        #expect(snapshot.positions.map(\.instrument) == ["A", "B"] && snapshot.equity == 10_500)
        #expect(account.fills.map(\.instrument) == [0, 1] && account.fills[1].freeCashAfter == 2_500)
    }

    /// The account's own rules review every kernel's entries, before the kernel's: with at most
    /// one position open, the second instrument's entry is refused, with the rule named.
    @Test func accountRulesReviewEveryInstrument() throws {
        let flatBars = series(flat(4))
        let config = settings { $0.positionFraction = 0.3 }
        var rules = RiskRules()
        rules.maxOpenPositions = MaxOpenPositions(1)
        let account = try MultiSymbolAccount(instruments: ["A", "B"], cash: 10_000, risk: rules)
        var kernels = try [0, 1].map { s in
            TradingKernel(strategy: ScriptedStrategy(signals: [0: .buy]), broker: try AccountBroker(ledger: account.ledger(for: s), settings: config),
                          settings: config, events: EventRecorder())
        }
        for i in 0..<4 { for s in 0..<2 { _ = kernels[s].onBar(flatBars[i], index: i) } }
        #expect(account.books[0].position == 30 && account.books[1].position == 0)
        let refusals = kernels[1].events.events.compactMap { if case let .riskRefused(_, refusal) = $0 { refusal.rule } else { nil } }
        #expect(refusals == [.maxOpenPositions])
        #expect(kernels[1].broker.riskRefusals == 1)
    }

    /// Phases: at one open, an exit of one instrument fills before an entry of another, whatever
    /// order the instruments come in, so the entry can use what the exit freed.
    @Test func exitsFillBeforeEntriesAcrossInstruments() throws {
        let data = series(flat(4))
        let config = settings { $0.positionFraction = 1 }
        let account = try MultiSymbolAccount(instruments: ["A", "B"], cash: 10_000, risk: NoRiskCheck())
        // B holds everything from bar 1 and sells on bar 1's close; A buys on bar 1's close.
        let scripts = [ScriptedStrategy(signals: [1: .buy]), ScriptedStrategy(signals: [0: .buy, 1: .sell])]
        var kernels = try [0, 1].map { s in
            TradingKernel(strategy: scripts[s], broker: try AccountBroker(ledger: account.ledger(for: s), settings: config),
                          settings: config, events: NoEventSink())
        }
        for i in 0..<3 {
            for phase in [MatchPhase.exits, .entries, .protectiveExits] { for s in 0..<2 { kernels[s].match(data[i], index: i, phase: phase) } }
            for s in 0..<2 { _ = kernels[s].decide(data[i], index: i) }
        }
        #expect(account.books[1].position == 0 && account.books[0].position == 100)
        #expect(account.fills.map(\.instrument) == [1, 1, 0])
    }
}
