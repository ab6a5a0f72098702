import Foundation
import Testing
import TraderCore
import TraderStrategies
@testable import TraderEngine

/// A broker nobody in the engine knows: it forwards to a simulated broker and counts what the
/// kernel asked of it. Stands for the paper and venue brokers that plug into the same kernel.
struct JournalingBroker: Broker {
    var inner: SimulatedBroker
    var processCalls = 0
    var marks = 0
    var submitted: [Int] = []
    var replaced: [Int] = []

    var position: Double { inner.position }
    var needsMatching: Bool { inner.needsMatching }
    var workingOrders: [WorkingOrder] { inner.workingOrders }
    var fillCount: Int { inner.fillCount }
    var rejectedOrders: Int { inner.rejectedOrders }
    var closedTrades: [Trade] { inner.closedTrades }
    func account(markedAt price: Double) -> AccountSnapshot { inner.account(markedAt: price) }
    mutating func mark(close: Double, index: Int, context: inout StrategyContext) -> Double {
        marks += 1
        return inner.mark(close: close, index: index, context: &context)
    }
    mutating func submit(_ order: Order, reason: ExitReason, signalEntry: Bool) {
        submitted.append(order.id)
        inner.submit(order, reason: reason, signalEntry: signalEntry)
    }
    mutating func cancel(orderId: Int) -> Bool { inner.cancel(orderId: orderId) }
    mutating func replace(orderId: Int, with order: Order) -> Bool {
        replaced.append(orderId)
        return inner.replace(orderId: orderId, with: order)
    }
    mutating func process<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, window: PriceWindow, phase: MatchPhase,
                                                     risk: inout R, events: inout E) {
        processCalls += 1
        inner.process(index: index, time: time, window: window, phase: phase, risk: &risk, events: &events)
    }
    mutating func fillMarketOrders<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, price: Double, risk: inout R, events: inout E) {
        inner.fillMarketOrders(index: index, time: time, price: price, risk: &risk, events: &events)
    }
    mutating func closeAll<R: RiskCheck, E: EventSink>(index: Int, time: Timestamp, price: Double, risk: inout R, events: inout E) {
        inner.closeAll(index: index, time: time, price: price, risk: &risk, events: &events)
    }
    mutating func takeClosedTrades() -> [Trade] { inner.takeClosedTrades() }
}

/// A strategy that places a buy limit below the market on bar 1 and raises it on bar 2.
struct LimitReplacingStrategy: Strategy {
    var limitId = 0
    var warmupBars: Int { 1 }
    mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        if context.barIndex == 1 {
            limitId = context.submit(try! Order(side: .buy, quantity: .units(10), type: .limit(price: 90)))
        } else if context.barIndex == 2 {
            context.replace(orderId: limitId, with: try! Order(side: .buy, quantity: .units(10), type: .limit(price: 98)))
        }
        return .hold
    }
}

@Suite struct BrokerSeamTests {
    /// The kernel over another broker runs the same bar loop: on GOOG's 2,148 real bars an SMA
    /// crossover through the journaling broker gives the backtester's trades and equity exactly,
    /// and the kernel asked the broker to match only on bars where it had something to match.
    @Test func anyBrokerRunsTheSameKernel() throws {
        let bars = try StreamingBacktestTests.series("GOOG")
        let spec = try StrategySpec(name: "sma-crossover", overrides: ["fast": 10, "slow": 20])
        let config = settings { $0.commission = try! CommissionModel(rate: 0.002) }
        let reference = try Backtester.run(spec, on: bars, settings: config)

        let strategy = try SMACrossover(fast: 10, slow: 20)
        let broker = JournalingBroker(inner: try SimulatedBroker(settings: config))
        var kernel = TradingKernel(strategy: strategy, broker: broker, settings: config, events: EventRecorder())
        var equity: [Double] = []
        for i in 0..<bars.count { equity.append(kernel.onBar(bars[i], index: i)) }

        #expect(equity == reference.equity)
        #expect(kernel.broker.closedTrades == reference.trades)
        #expect(kernel.broker.marks == bars.count)
        // One process call per bar with a working order: each trade's entry and exit fill one.
        #expect(kernel.broker.processCalls == kernel.broker.fillCount)
        #expect(kernel.broker.submitted.count == kernel.events.events.filter { if case .orderSubmitted = $0 { true } else { false } }.count)
    }

    /// A replaced order keeps its id and its place and fills on its new terms: the limit at 90
    /// would never fill on bars trading 95…99; raised to 98 it fills at the next bar's open of 97.
    @Test func replacedOrderFillsOnItsNewTerms() throws {
        let rows: [(Double, Double, Double, Double)] = [(100, 100, 100, 100), (99, 99, 95, 97), (98, 99, 96, 98), (97, 98, 96, 97), (97, 98, 96, 97)]
        let config = settings()
        let broker = JournalingBroker(inner: try SimulatedBroker(settings: config))
        var kernel = TradingKernel(strategy: LimitReplacingStrategy(), broker: broker, settings: config, events: EventRecorder())
        let data = series(rows)
        for i in 0..<data.count { _ = kernel.onBar(data[i], index: i) }
        let id = kernel.strategy.limitId
        #expect(kernel.broker.replaced == [id])
        let fills = kernel.events.events.compactMap { if case let .filled(f) = $0 { f } else { nil } }
        #expect(fills.count == 1)
        #expect(fills.first?.orderId == id && fills.first?.price == 97 && fills.first?.barIndex == 3)
        let replacements = kernel.events.events.compactMap { if case let .orderReplaced(rid, order) = $0 { (rid, order.type) } else { nil } }
        #expect(replacements.count == 1 && replacements.first?.0 == id && replacements.first?.1 == .limit(price: 98))
    }

    /// The account as a broker reports it: cash, equity marked at a price, the position.
    @Test func accountSnapshotMarksThePosition() throws {
        let data = series([(100, 100, 100, 100), (100, 100, 100, 100), (110, 110, 110, 110)])
        let s = ScriptedStrategy(signals: [0: .buy])
        var kernel = try TradingKernel(strategy: s, settings: settings { $0.positionFraction = 0.5 }, events: NoEventSink())
        for i in 0..<data.count { _ = kernel.onBar(data[i], index: i) }
        let account = kernel.broker.account(markedAt: 110)
        #expect(account.positions == [PositionSnapshot(instrument: "", units: 50, averagePrice: 100, markPrice: 110)])
        #expect(account.cash == 10_000 && account.equity == 10_500)
    }
}
