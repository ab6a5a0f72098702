public import TraderCore

/// What an order comes to when it executes at a raw price: the units and the fill price (costs
/// applied), or why it cannot trade. The rule of the simulated broker, shared with the venue
/// brokers, which size an order the same way before sending it.
public enum OrderSizing: Equatable, Sendable {
    case trade(units: Double, price: Double, reducing: Bool)
    case reject(String)
}

extension ExecutionSettings {
    /// Sizes `order` against a position of `position` units at `rawPrice`; `available` is what a
    /// new entry may spend (asked only for entries). backtesting.py's rules: an entire-position
    /// or reduce-only order needs something to reduce; an entry must be affordable, commission
    /// included; a fraction of equity buys what the budget pays for, commission folded into the
    /// unit price, floored to whole units unless fractional units are allowed.
    @inlinable
    public func size(_ order: Order, position: Double, rawPrice: Double, available: () -> Double) -> OrderSizing {
        let sign = order.side.sign
        let reducing = position != 0 && (position > 0) != (sign > 0)
        switch order.quantity {
        case .entirePosition:
            guard reducing else { return .reject("no position to close") }
            return .trade(units: abs(position), price: costs.exitPrice(rawPrice, sign: sign), reducing: true)
        case let .units(u):
            if order.reduceOnly {
                guard reducing else { return .reject("reduce-only order with nothing to reduce") }
                return .trade(units: min(u, abs(position)), price: costs.exitPrice(rawPrice, sign: sign), reducing: true)
            }
            let price = reducing ? costs.exitPrice(rawPrice, sign: sign) : costs.entryPrice(rawPrice, sign: sign)
            if !reducing && u * price + commission.commission(units: u, price: price) > available() {
                return .reject("insufficient equity")
            }
            return .trade(units: u, price: price, reducing: reducing)
        case let .equityFraction(f):
            let price = costs.entryPrice(rawPrice, sign: sign)
            let unitCost = price + commission.commission(units: f, price: rawPrice) / f
            let budget = available() * f
            let units = wholeUnits ? pythonFloorDivide(budget, unitCost) : budget / unitCost
            guard units > 0 else { return .reject("insufficient equity for one unit") }
            return .trade(units: units, price: price, reducing: reducing)
        }
    }
}
