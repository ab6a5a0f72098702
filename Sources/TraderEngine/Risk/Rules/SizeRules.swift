public import TraderCore

/// At most `fraction` of equity in one position: a larger entry is cut to fit, an entry into a
/// position already that large is refused.
public struct MaxPositionFraction: RiskCheck, Sendable, Hashable {
    public let fraction: Double
    public init(_ fraction: Double) { self.fraction = fraction }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        let held = abs(account.position) * proposal.price
        let room = fraction * account.equity - held
        let units = proposal.units(worth: room)
        if units >= proposal.units { return .accept }
        let limit = "\(Percent(fraction)) of equity per position"
        return units > 0 ? .resize(units: units, reason: "cut to \(limit)") : .refuse(rule: .maxPositionFraction, reason: "position at \(limit)")
    }
}

/// At most `fraction` of equity in all positions together.
public struct MaxExposureFraction: RiskCheck, Sendable, Hashable {
    public let fraction: Double
    public init(_ fraction: Double) { self.fraction = fraction }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        let room = fraction * account.equity - account.exposure
        let units = proposal.units(worth: room)
        if units >= proposal.units { return .accept }
        let limit = "total exposure at most \(Percent(fraction)) of equity"
        return units > 0 ? .resize(units: units, reason: "cut to \(limit)") : .refuse(rule: .maxExposureFraction, reason: limit)
    }
}

/// At most `count` instruments held at once: an entry into a new instrument beyond it is refused
/// (adding to one already held is not a new position).
public struct MaxOpenPositions: RiskCheck, Sendable, Hashable {
    public let count: Int
    public init(_ count: Int) { self.count = count }

    public func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision {
        account.position == 0 && account.openPositions >= count
            ? .refuse(rule: .maxOpenPositions, reason: "\(account.openPositions) positions open, at most \(count)") : .accept
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
        let limit = "\(Percent(fraction)) of equity kept in cash"
        return units > 0 ? .resize(units: units, reason: "cut to keep \(limit)") : .refuse(rule: .cashReserve, reason: limit)
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
