public import TraderCore

/// One instrument's slot in a `MultiSymbolAccount`: the `BrokerLedger` of an `AccountBroker`.
///
/// Sizing and risk see the whole account: an entry may spend the account's free cash less the
/// exit-fee reserve, and the account's rules review it before the kernel's own.
public struct AccountLedger<Risk: RiskCheck>: BrokerLedger {
    public let account: MultiSymbolAccount<Risk>
    /// The instrument's index in `account`.
    public let slot: Int

    @usableFromInline
    init(account: MultiSymbolAccount<Risk>, slot: Int) {
        self.account = account
        self.slot = slot
    }

    public var book: Portfolio { account._books[slot] }
    @inlinable public var position: Double { account.position(slot) }
    @inlinable public mutating func apply(_ fill: Fill) { account.apply(fill, to: slot) }
    @inlinable public mutating func takeClosedTrades() -> [Trade] { account.takeClosedTrades(slot) }
    @inlinable public func equity(at price: Double) -> Double { account.equity(slot, at: price) }

    public func marginAvailable(at price: Double) -> Double {
        let held = account.openPositions + (position == 0 ? 1 : 0)
        return max(0, account.equity(slot, at: price) - account.exposure(slot, at: price) - account.exitFeeReserve * Double(held))
    }

    public func riskAccount(at price: Double, time: Timestamp) -> RiskAccount {
        RiskAccount(equity: account.equity(slot, at: price), available: marginAvailable(at: price),
                    exposure: account.exposure(slot, at: price), openPositions: account.openPositions, position: position,
                    openedTodayStillOpen: account.openedOn(day: time.epochDay))
    }

    /// Marks the instrument at `close`; the strategy sees its own position and the account's
    /// cash and equity.
    @inlinable
    public mutating func mark(close: Double, index: Int, context: inout StrategyContext) -> Double {
        account.mark(slot, at: close)
        let equity = account.equity()
        context.prepare(barIndex: index, position: account.position(slot), positionCost: account.positionCost(slot), cash: account.cash,
                        equity: equity)
        return equity
    }

    public func account(markedAt price: Double) -> AccountSnapshot {
        var positions: [PositionSnapshot] = []
        for k in account.books.indices where account.books[k].position != 0 {
            let b = account.books[k]
            positions.append(PositionSnapshot(instrument: account.instruments[k], units: b.position, averagePrice: b.averageEntryPrice,
                                              markPrice: k == slot ? price : account.marks[k]))
        }
        return AccountSnapshot(cash: account.cash, equity: account.equity(slot, at: price), positions: positions)
    }

    @inlinable public var reviewsEntries: Bool { account.reviewsEntries }

    public mutating func review<R: RiskCheck>(_ proposal: OrderProposal, at price: Double, risk: inout R) -> RiskDecision {
        var p = proposal
        p.instrument = slot
        let state = riskAccount(at: price, time: proposal.time)
        var review = RiskReview(p)
        if account.reviewsEntries { review.ask(&account.risk, state) }
        if risk.isActive { review.ask(&risk, state) }
        return review.decision
    }

    public mutating func record<R: RiskCheck>(_ fill: Fill, closing trades: ArraySlice<Trade>, at price: Double, risk: inout R) {
        let state = riskAccount(at: price, time: fill.timestamp)
        if account.reviewsEntries { account.risk.record(fill, closing: trades, account: state) }
        if risk.isActive { risk.record(fill, closing: trades, account: state) }
    }

    /// The broker's exits, with the stop-loss the account's rules set (a capital tier's).
    public func protectiveSettings(_ settings: ExecutionSettings) -> ExecutionSettings {
        let stop = account.risk.stopLoss(configured: settings.stopLoss)
        guard stop != settings.stopLoss else { return settings }
        var s = settings
        s.stopLoss = stop
        return s
    }
}
