import TraderCore

/// At most `fraction` of equity in one position: a larger entry is cut to fit, an entry into a
/// position already that large is refused.
public struct MaxPositionFraction: RiskCheck, Sendable, Hashable {
    public let fraction: Double
    public init(_ fraction: Double) { self.fraction = fraction }

    /// What a position may still grow by when `held` of it is open, in the unit of `equity`
    /// (money, or 1 for fractions of equity, as a sizer's request is).
    @inlinable public func room(equity: Double, held: Double) -> Double { fraction * equity - held }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        let room = room(equity: account.equity, held: abs(account.position) * proposal.price)
        let units = proposal.units(worth: room)
        if units >= proposal.units { return .accept }
        let refusal = RiskRefusal(.maxPositionFraction, fraction)
        return units > 0 ? .resize(units: units, reason: "cut to \(refusal.limit)") : .refuse(refusal)
    }
}

/// At most `fraction` of equity in all positions together.
public struct MaxExposureFraction: RiskCheck, Sendable, Hashable {
    public let fraction: Double
    public init(_ fraction: Double) { self.fraction = fraction }

    /// What all positions together may still grow by when `exposure` is open, in the unit of
    /// `equity` (money, or 1 for fractions of equity).
    @inlinable public func room(equity: Double, exposure: Double) -> Double { fraction * equity - exposure }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        let room = room(equity: account.equity, exposure: account.exposure)
        let units = proposal.units(worth: room)
        if units >= proposal.units { return .accept }
        let refusal = RiskRefusal(.maxExposureFraction, fraction)
        return units > 0 ? .resize(units: units, reason: "cut to \(refusal.limit)") : .refuse(refusal)
    }
}

/// At most `count` instruments held at once: an entry into a new instrument beyond it is refused
/// (adding to one already held is not a new position).
public struct MaxOpenPositions: RiskCheck, Sendable, Hashable {
    public let count: Int
    public init(_ count: Int) { self.count = count }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        account.position == 0 && account.openPositions >= count
            ? .refuse(RiskRefusal(.maxOpenPositions, Double(account.openPositions), Double(count))) : .accept
    }
}

/// Keeps `fraction` of equity in cash: an entry may use only what is available beyond it
/// (commission included).
public struct CashReserve: RiskCheck, Sendable, Hashable {
    public let fraction: Double
    public init(_ fraction: Double) { self.fraction = fraction }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        let spendable = account.available - fraction * account.equity - proposal.commission
        let units = proposal.units(worth: spendable)
        if units >= proposal.units { return .accept }
        let refusal = RiskRefusal(.cashReserve, fraction)
        return units > 0 ? .resize(units: units, reason: "cut to keep \(refusal.limit)") : .refuse(refusal)
    }
}

/// A fraction printed as a percentage without noise: 0.2 → "20 %", 0.125 → "12.5 %".
struct Percent: CustomStringConvertible {
    let fraction: Double
    init(_ fraction: Double) { self.fraction = fraction }
    var description: String {
        let p = (fraction * 100 * 1e6).rounded() / 1e6
        return (p == p.rounded() && abs(p) < 1e15 ? String(Int64(p)) : String(p)) + " %"
    }
}
