import TraderCore
import TraderEngine
import TraderStrategies

/// A portfolio backtest as a composition of the engine's parts: one `TradingKernel` per symbol,
/// each with its own strategy and an `AccountBroker` into one shared `MultiSymbolAccount`, whose
/// own risk check is the capital tiers' rules (`CapitalTierRisk`). The kernels do everything a
/// single-symbol backtest does (signals, the strategy's own orders, matching, costs, stops); this
/// type only steps them on one aligned timeline, one time after another:
///
/// 1. the open, for symbols with a bar now, in phases across the symbols: every exit first (it
///    frees cash and a position slot), then every entry (in the order the symbols were given),
///    then the protective stops within the bars' ranges (a position entered at this open
///    included), each phase through the kernels' brokers (`MatchPhase`);
/// 2. the close: marks, equity, the tiers and the daily-loss rule (`MultiSymbolAccount.observe`);
/// 3. each symbol with a bar now: its kernel marks, asks its strategy and routes the orders, which
///    fill at the symbol's next open.
///
/// Kernels see their own symbol's bar indices, as in a single-symbol run; the result reports
/// every fill and trade on the timeline's.
struct PortfolioSimulation<S: Strategy> {
    typealias Kernel = TradingKernel<S, AccountBroker<CapitalTierRisk>, PortfolioEventSink>
    let timeline: PortfolioTimeline
    let profile: PortfolioProfile
    let settings: PortfolioSettings
    let strategyDescription: String
    let account: MultiSymbolAccount<CapitalTierRisk>
    var kernels: [Kernel]
    /// What each symbol's kernel reported and was not yet taken in.
    let logs: [PortfolioEventLog]
    var skipped: [SkippedEntry] = []
    var trades: [PortfolioTrade] = []

    init(prototype: S, strategy spec: StrategySpec, timeline: PortfolioTimeline, profile: PortfolioProfile,
         settings: PortfolioSettings) throws(DomainError) {
        self.timeline = timeline
        self.profile = profile
        self.settings = settings
        self.strategyDescription = spec.description
        let risk = CapitalTierRisk(profile: profile, strategy: spec.name, initialEquity: settings.initialCapital,
                                   start: Timestamp(nanos: timeline.timestamps[0]))
        account = try MultiSymbolAccount(instruments: timeline.symbols, cash: settings.initialCapital,
                                         exitFeeReserve: settings.commission.fixed, risk: risk)
        let execution = try settings.execution()
        var kernels: [Kernel] = []
        var logs: [PortfolioEventLog] = []
        for s in timeline.series.indices {
            let broker = try AccountBroker(ledger: account.ledger(for: s), settings: execution)
            logs.append(PortfolioEventLog())
            kernels.append(Kernel(strategy: prototype, broker: broker, settings: execution, events: PortfolioEventSink(log: logs[s])))
        }
        self.kernels = kernels
        self.logs = logs
    }

    mutating func run() -> PortfolioBacktestResult {
        let n = timeline.count
        let startTier = account.risk.tier
        var equity = [Double](), cash = [Double](), exposure = [Double](), open = [Int](), tiers = [CapitalTier]()
        equity.reserveCapacity(n); cash.reserveCapacity(n); exposure.reserveCapacity(n); open.reserveCapacity(n); tiers.reserveCapacity(n)
        var fillsSeen = 0
        var fills: [PortfolioFill] = []
        // The symbols with a bar now and its index. Bars are built where they are used, so that
        // the columns a strategy does not read are not read (each column is its own stream).
        var present: [(symbol: Int, index: Int)] = []
        for t in 0..<n {
            let time = Timestamp(nanos: timeline.timestamps[t])
            let tier = account.risk.tier
            tiers.append(tier)
            present.removeAll(keepingCapacity: true)
            var matching = false
            for s in timeline.series.indices {
                guard let i = timeline.bar(symbol: s, at: t) else { continue }
                present.append((s, i))
                matching = matching || kernels[s].needsMatching
            }

            // 1. The open, phase by phase across the symbols.
            if matching {
                for (s, i) in present { account.mark(s, at: timeline.series[s].open[i]) }
                for phase in [MatchPhase.exits, .entries, .protectiveExits] {
                    for (s, i) in present where kernels[s].needsMatching {
                        kernels[s].match(timeline.series[s][i], index: i, phase: phase)
                        if !logs[s].isEmpty { collect(s, i, t: t, time: time, tier: tier, entries: phase == .entries) }
                    }
                }
                while fillsSeen < account.fills.count {
                    fills.append(portfolioFill(account.fills[fillsSeen], tier: tier))
                    fillsSeen += 1
                }
            }

            // 2. The close.
            for (s, i) in present { account.mark(s, at: timeline.series[s].close[i]) }
            let e = account.equity()
            equity.append(e); cash.append(account.freeCash); exposure.append(account.exposure()); open.append(account.openPositions)
            account.observe(equity: e, at: time)

            // 3. Decisions.
            for (s, i) in present { _ = kernels[s].decide(timeline.series[s][i], index: i) }
        }
        return finish(equity: equity, cash: cash, exposure: exposure, open: open, tiers: tiers, startTier: startTier, fills: fills)
    }

    /// Takes in what symbol `s`'s kernel reported in a phase: closed trades, and in the entries
    /// phase the entries refused (by a rule, or for want of cash).
    mutating func collect(_ s: Int, _ i: Int, t: Int, time: Timestamp, tier: CapitalTier, entries: Bool) {
        let log = logs[s]
        for trade in log.closed { trades.append(PortfolioTrade(symbol: timeline.symbols[s], trade: onTimeline(trade))) }
        if entries {
            for var reason in log.refusals {
                if reason == .insufficientCash, exposureCapIsFull(tier: tier, price: timeline.series[s].open[i]) { reason = .exposureCap }
                skipped.append(SkippedEntry(symbol: timeline.symbols[s], barIndex: t, time: time, reason: reason, tier: tier))
            }
        }
        log.clear()
    }

    /// Whether the tier's exposure cap leaves less than one unit at `price`, and no more than its
    /// position cap: then an entry the cash could not pay for is reported as the cap's (with a
    /// 100 % cap, cash and room run out together, and the cap is the rule the user set).
    func exposureCapIsFull(tier: CapitalTier, price: Double) -> Bool {
        let rules = account.risk.rules[tier.rank]
        guard let cap = rules.maxExposureFraction, let position = rules.maxPositionFraction else { return false }
        let equity = account.equity()
        let room = cap.room(equity: equity, exposure: account.exposure())
        return room < price && room <= position.room(equity: equity, held: 0)
    }

    /// `trade` with its bar indices moved from its symbol's own to the timeline's (found by its
    /// times, which are its bars').
    func onTimeline(_ trade: Trade, exitOnTimeline: Bool = false) -> Trade {
        var moved = trade
        moved.entryBar = timeline.index(of: trade.entryTime)
        if !exitOnTimeline { moved.exitBar = timeline.index(of: trade.exitTime) }
        return moved
    }

    func portfolioFill(_ f: AccountFill, tier: CapitalTier) -> PortfolioFill {
        PortfolioFill(symbol: timeline.symbols[f.instrument], barIndex: timeline.index(of: f.fill.timestamp), time: f.fill.timestamp,
                      side: f.fill.side, units: f.fill.quantity, price: f.fill.price, commission: f.fill.commission,
                      reason: f.fill.reason, equityBefore: f.equityBefore, exposureAfter: f.exposureAfter,
                      cashAfter: f.freeCashAfter, openPositionsAfter: f.openPositionsAfter, tier: tier)
    }

    func finish(equity: [Double], cash: [Double], exposure: [Double], open: [Int], tiers: [CapitalTier], startTier: CapitalTier,
                fills: [PortfolioFill]) -> PortfolioBacktestResult {
        let lastBar = timeline.count - 1
        let lastTime = Timestamp(nanos: timeline.timestamps[lastBar])
        var openTrades: [PortfolioTrade] = []
        var contributions: [SymbolContribution] = []
        for s in timeline.series.indices {
            let symbol = timeline.symbols[s]
            let book = account.books[s]
            let marked = book.markedOpenTrades(at: account.marks[s], bar: lastBar, time: lastTime).map { onTimeline($0, exitOnTimeline: true) }
            openTrades += marked.map { PortfolioTrade(symbol: symbol, trade: $0) }
            let closed = trades.filter { $0.symbol == symbol }
            contributions.append(SymbolContribution(
                symbol: symbol, bars: timeline.series[s].count,
                realizedPnL: closed.reduce(0) { $0 + $1.trade.pnl }, unrealizedPnL: marked.reduce(0) { $0 + $1.pnl },
                commissions: book.totalCommission, closedTrades: closed.count, openUnits: book.position))
        }
        let basket = timeline.basketSeries()
        let metrics = MetricsCalculator.compute(equity: equity, trades: trades.map(\.trade), series: basket,
                                                firstTradingBar: timeline.firstCommonTime ?? 0)
        return PortfolioBacktestResult(
            symbols: timeline.symbols, strategy: strategyDescription, profile: profile, settings: settings,
            timestamps: timeline.timestamps, equity: equity, cash: cash, exposure: exposure, openPositions: open, tiers: tiers,
            startTier: startTier, tierChanges: account.risk.tracker.changes, fills: fills, trades: trades,
            openTrades: openTrades, contributions: contributions, skippedEntries: skipped, metrics: metrics)
    }
}

/// What a portfolio's kernel reports back between phases: trades closed, and entries refused
/// (by a risk rule, with the rule, or by the broker for want of cash). A class the run reads
/// directly, so checking it costs no copy.
final class PortfolioEventLog {
    var closed: [Trade] = []
    var refusals: [EntrySkipReason] = []

    var isEmpty: Bool { closed.isEmpty && refusals.isEmpty }

    func clear() {
        closed.removeAll(keepingCapacity: true)
        refusals.removeAll(keepingCapacity: true)
    }
}

/// The kernel's sink into a `PortfolioEventLog`; everything else a kernel emits is dropped.
struct PortfolioEventSink: EventSink {
    let log: PortfolioEventLog

    mutating func record(_ event: @autoclosure () -> TradingEvent) {
        switch event() {
        case let .tradeClosed(trade): log.closed.append(trade)
        case let .riskRefused(_, refusal): log.refusals.append(EntrySkipReason(refusedBy: refusal.rule))
        // Only entries reach the broker in the entries phase: a rejection there is one that
        // cash could not pay for.
        case .orderRejected: log.refusals.append(.insufficientCash)
        default: break
        }
    }
}
