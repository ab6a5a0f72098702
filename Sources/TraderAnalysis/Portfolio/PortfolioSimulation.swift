import TraderCore
import TraderEngine
import TraderStrategies

/// The bar loop of a portfolio backtest, generic over the strategy type so every symbol's
/// strategy is specialized as in the single-symbol kernel. See `PortfolioBacktester` for the
/// rules; this type only applies them, one time of the aligned timeline after another:
///
/// 1. at the open, for symbols with a bar now: exits decided earlier fill, then entries (in the
///    order the symbols were given) under the current tier's rules, then stop-losses trigger
///    within the bar's range (a position entered at this open included, as in the kernel);
/// 2. at the close: marks, equity, the tier tracker, the daily-loss check;
/// 3. each symbol with a bar now feeds it to its own strategy; a buy while flat queues an entry
///    and a sell while long queues an exit, for that symbol's next open.
struct PortfolioSimulation<S: Strategy> {
    let timeline: PortfolioTimeline
    let profile: PortfolioProfile
    let settings: PortfolioSettings
    let strategyName: String
    let strategyDescription: String
    var strategies: [S]
    var contexts: [StrategyContext]
    var account: PortfolioAccount
    var tracker: TierTracker
    var ledger = DayTradeLedger()
    var pendingEntry: [Bool]
    var pendingExit: [Bool]
    /// Last close per symbol, NaN before its first bar.
    var lastClose: [Double]
    var skipped: [SkippedEntry] = []
    // Calendar state.
    var week: Int64 = .min
    var entriesThisWeek = 0
    var day: Int64 = .min
    var dayStartEquity: Double
    var haltedDay: Int64 = .min
    var lastEquity: Double

    init(prototype: S, strategy spec: StrategySpec, timeline: PortfolioTimeline, profile: PortfolioProfile, settings: PortfolioSettings) throws(DomainError) {
        let n = timeline.series.count
        self.timeline = timeline
        self.profile = profile
        self.settings = settings
        self.strategyName = spec.name
        self.strategyDescription = spec.description
        self.strategies = Array(repeating: prototype, count: n)
        self.contexts = (0..<n).map { _ in StrategyContext() }
        self.account = try PortfolioAccount(symbols: timeline.symbols, capital: settings.initialCapital,
                                            commission: settings.commission, costs: settings.costs)
        self.tracker = TierTracker(initialEquity: settings.initialCapital, hysteresis: profile.hysteresis,
                                   start: Timestamp(nanos: timeline.timestamps[0]))
        self.pendingEntry = Array(repeating: false, count: n)
        self.pendingExit = Array(repeating: false, count: n)
        self.lastClose = Array(repeating: .nan, count: n)
        self.dayStartEquity = settings.initialCapital
        self.lastEquity = settings.initialCapital
    }

    mutating func run() -> PortfolioBacktestResult {
        let n = timeline.count
        let startTier = tracker.tier
        var equity = [Double](), cash = [Double](), exposure = [Double](), open = [Int](), tiers = [CapitalTier]()
        equity.reserveCapacity(n); cash.reserveCapacity(n); exposure.reserveCapacity(n); open.reserveCapacity(n); tiers.reserveCapacity(n)
        let symbols = timeline.series.indices
        for t in 0..<n {
            let time = Timestamp(nanos: timeline.timestamps[t])
            let rules = profile.rules(for: tracker.tier)
            tiers.append(tracker.tier)
            if time.epochDay != day { day = time.epochDay; dayStartEquity = lastEquity }

            // 1. The open: exits, entries, stops.
            if symbols.contains(where: { (pendingExit[$0] || pendingEntry[$0]) && timeline.bar(symbol: $0, at: t) != nil }) {
                fillAtOpen(t, time: time, rules: rules)
            }
            for s in symbols where account.units[s] > 0 && !account.stop[s].isNaN {
                guard let i = timeline.bar(symbol: s, at: t) else { continue }
                let bar = timeline.series[s]
                let level = account.stop[s]
                if bar.low[i] <= level {
                    let marks = currentMarks(t)
                    if let trade = account.sellAll(s, rawPrice: min(bar.open[i], level), reason: .stopLoss, bar: t, time: time,
                                                   equityBefore: account.cash + account.exposure(at: marks), marks: marks,
                                                   tier: tracker.tier) {
                        ledger.record(trade)
                    }
                    pendingExit[s] = false
                }
            }

            // 2. The close.
            for s in symbols { if let i = timeline.bar(symbol: s, at: t) { lastClose[s] = timeline.series[s].close[i] } }
            let x = account.exposure(at: lastClose)
            let e = account.cash + x
            equity.append(e); cash.append(account.cash); exposure.append(x); open.append(account.openCount)
            lastEquity = e
            tracker.update(equity: e, at: time)
            let next = profile.rules(for: tracker.tier)
            if let limit = next.risk.maxDailyLossFraction, e < dayStartEquity * (1 - limit) { haltedDay = day }

            // 3. Decisions.
            for s in symbols {
                guard let i = timeline.bar(symbol: s, at: t) else { continue }
                contexts[s].prepare(barIndex: i, portfolio: account.books[s], equity: e)
                let signal = strategies[s].onBar(timeline.series[s][i], context: &contexts[s])
                // Orders a strategy submits itself are not routed here (none of the built-ins
                // does); the portfolio trades on signals.
                if contexts[s].hasRequests { contexts[s].clearRequests() }
                switch signal {
                case .buy where account.units[s] == 0 && !pendingEntry[s]:
                    if !next.allows(strategyName) { skip(s, t, time, .strategyNotAllowed) }
                    else if haltedDay == day { skip(s, t, time, .dailyLossLimit) }
                    else { pendingEntry[s] = true }
                case .sell where account.units[s] > 0:
                    pendingExit[s] = true
                default:
                    break
                }
            }
        }
        return finish(equity: equity, cash: cash, exposure: exposure, open: open, tiers: tiers, startTier: startTier)
    }

    /// Each symbol's current price: this bar's open where it has a bar now, else its last close.
    func currentMarks(_ t: Int) -> [Double] {
        var marks = lastClose
        for s in marks.indices { if let i = timeline.bar(symbol: s, at: t) { marks[s] = timeline.series[s].open[i] } }
        return marks
    }

    mutating func skip(_ s: Int, _ t: Int, _ time: Timestamp, _ reason: EntrySkipReason) {
        skipped.append(SkippedEntry(symbol: timeline.symbols[s], barIndex: t, time: time, reason: reason, tier: tracker.tier))
    }

    /// Exits first (they free cash and position slots), then entries.
    mutating func fillAtOpen(_ t: Int, time: Timestamp, rules: TierRules) {
        var marks = currentMarks(t)
        for s in timeline.series.indices where pendingExit[s] {
            guard let i = timeline.bar(symbol: s, at: t) else { continue }
            pendingExit[s] = false
            if let trade = account.sellAll(s, rawPrice: timeline.series[s].open[i], reason: .signal, bar: t, time: time,
                                           equityBefore: account.cash + account.exposure(at: marks), marks: marks,
                                           tier: tracker.tier) {
                ledger.record(trade)
            }
        }
        for s in timeline.series.indices where pendingEntry[s] {
            guard let i = timeline.bar(symbol: s, at: t) else { continue }
            pendingEntry[s] = false
            if let reason = enter(s, open: timeline.series[s].open[i], t: t, time: time, rules: rules, marks: &marks) {
                skip(s, t, time, reason)
            }
        }
    }

    /// Opens a position in symbol `s` at `open` if the tier's rules allow; the reason otherwise.
    mutating func enter(_ s: Int, open: Double, t: Int, time: Timestamp, rules: TierRules, marks: inout [Double]) -> EntrySkipReason? {
        guard rules.allows(strategyName) else { return .strategyNotAllowed }
        guard account.openCount < rules.maxPositions else { return .maxPositions }
        let thisWeek = Self.week(of: time)
        if thisWeek != week { week = thisWeek; entriesThisWeek = 0 }
        if let limit = rules.maxTradesPerWeek, entriesThisWeek >= limit { return .weeklyTradeLimit }
        // The rule looks at equity at the previous close, as FINRA looks at the prior day's.
        if !PatternDayTradeRule.allowsEntry(accountType: profile.accountType, equity: lastEquity,
                                            dayTradesInWindow: ledger.count(windowEndingAt: time),
                                            openedTodayStillOpen: account.openedOn(day: time.epochDay)) {
            return .patternDayTrader
        }
        let exposure = account.exposure(at: marks)
        let equity = account.cash + exposure
        let room = rules.risk.maxExposureFraction * equity - exposure
        guard room > 0 else { return .exposureCap }
        let price = settings.costs.entryPrice(open, sign: 1)
        let cap = min(rules.risk.maxPositionFraction * equity, room)
        let units = account.affordableUnits(price: price, maxNotional: cap, wholeUnits: settings.wholeUnits)
        guard units > 0 else { return room < price && room <= rules.risk.maxPositionFraction * equity ? .exposureCap : .insufficientCash }
        account.buy(s, quantity: units, rawPrice: open, bar: t, time: time, stopFraction: rules.risk.stopLossFraction,
                    equityBefore: equity, marks: marks, tier: tracker.tier)
        entriesThisWeek += 1
        return nil
    }

    /// Calendar week, Monday to Sunday (UTC), as a running number.
    static func week(of time: Timestamp) -> Int64 {
        let d = time.epochDay + 3  // 1970-01-01 was a Thursday: day + 3 counts from Monday 1969-12-29
        return d >= 0 ? d / 7 : (d - 6) / 7
    }

    func finish(equity: [Double], cash: [Double], exposure: [Double], open: [Int], tiers: [CapitalTier], startTier: CapitalTier) -> PortfolioBacktestResult {
        let lastBar = timeline.count - 1
        let lastTime = Timestamp(nanos: timeline.timestamps[lastBar])
        var openTrades: [PortfolioTrade] = []
        var contributions: [SymbolContribution] = []
        for s in timeline.series.indices {
            let symbol = timeline.symbols[s]
            let book = account.books[s]
            let marked = account.units[s] > 0 ? book.markedOpenTrades(at: lastClose[s], bar: lastBar, time: lastTime) : []
            openTrades += marked.map { PortfolioTrade(symbol: symbol, trade: $0) }
            let closed = account.closed.filter { $0.symbol == symbol }
            contributions.append(SymbolContribution(
                symbol: symbol, bars: timeline.series[s].count,
                realizedPnL: closed.reduce(0) { $0 + $1.trade.pnl }, unrealizedPnL: marked.reduce(0) { $0 + $1.pnl },
                commissions: account.commissionsPaid[s], closedTrades: closed.count, openUnits: account.units[s]))
        }
        let basket = timeline.basketSeries()
        let metrics = MetricsCalculator.compute(equity: equity, trades: account.closed.map(\.trade), series: basket,
                                                firstTradingBar: timeline.firstCommonTime ?? 0)
        return PortfolioBacktestResult(
            symbols: timeline.symbols, strategy: strategyDescription, profile: profile, settings: settings,
            timestamps: timeline.timestamps, equity: equity, cash: cash, exposure: exposure, openPositions: open, tiers: tiers,
            startTier: startTier, tierChanges: tracker.changes, fills: account.fills, trades: account.closed,
            openTrades: openTrades, contributions: contributions, skippedEntries: skipped, metrics: metrics)
    }
}
