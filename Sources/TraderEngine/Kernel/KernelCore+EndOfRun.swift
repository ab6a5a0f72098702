public import TraderCore

extension KernelCore {
    /// Applies `exit` after the last bar of a run has been through `onBar` (its strategy decision
    /// included) and returns that bar's equity marked again at its close, or nil when nothing
    /// changed. Runs once per run, outside the bar loop.
    @inline(never) @usableFromInline
    mutating func exitAtEnd(_ exit: EndOfRunExit, _ bar: Bar, index: Int) -> Double? {
        switch exit {
        case .none:
            return nil
        case .atLastClose:
            guard _broker.position != 0 else { return nil }
            closeAll(bar, index: index)
        case .atLastOpen:
            finalizeAtOpen(bar, index: index)
        }
        return _broker.account(markedAt: bar.close).equity
    }

    /// backtesting.py's `finalize_trades=True` (`Backtest.run`: `trade.close()` for every open
    /// trade, then one more `_Broker.next()` over the last bar): the position is closed at the
    /// last bar's open, then the orders still waiting — those the strategy placed on the last bar
    /// — are matched against that bar in the same pass, as there (a position they open stays
    /// open). Exits waiting to reduce the position have nothing left to reduce and are cancelled,
    /// as backtesting.py drops a close order whose trade is gone.
    ///
    /// Made of the broker's public operations only (`closeAll` drops the waiting orders, so the
    /// others are handed back before the pass), so it works with any broker that has them.
    @usableFromInline
    mutating func finalizeAtOpen(_ bar: Bar, index: Int) {
        let waiting = _broker.workingOrders
        _broker.closeAll(index: index, time: bar.timestamp, price: bar.open, risk: &risk, events: &events)
        for w in waiting {
            if w.order.reduceOnly {
                events.record(.orderCancelled(id: w.order.id, reason: "position closed at the end of the run"))
            } else {
                _broker.submit(w.order, reason: w.reason, signalEntry: w.isSignalEntry)
            }
        }
        _broker.process(index: index, time: bar.timestamp, window: PriceWindow(open: bar.open, high: bar.high, low: bar.low),
                        phase: .all, risk: &risk, events: &events)
    }
}
