public import TraderCore

/// A pre-trade rule: sees every order that would open or add to a position, with its units and
/// price known, and may let it through, shrink it or refuse it.
///
/// The seam where every risk limit lives, one implementation each (`RiskRules` lists them), used
/// by backtests, the portfolio backtest, the `risk.check` workflow action and the paper and live
/// bots. Brokers call it at the moment an order's quantity becomes concrete: the simulated broker
/// when it matches the order against a bar (sizing, as backtesting.py's, is done at the fill
/// price), a venue broker before it sends the order. Orders that only reduce a position never
/// reach a check: a rule must never trap the account in a position.
///
/// A check may keep state (the day's first equity, the peak, the day trades made): the kernel
/// shows it the equity at every close (`observe`, only when `observesCloses`) and every fill
/// (`record`).
public protocol RiskCheck {
    /// Whether the check has any rule at all: brokers skip building proposals when it has not.
    var isActive: Bool { get }

    /// Whether `observe` must see every close (rules with a notion of days or peaks). Read once
    /// by the kernel: a check that does not observe costs nothing per bar.
    var observesCloses: Bool { get }

    /// Decides on `proposal` given the account's state now.
    mutating func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision

    /// Equity at the close of a bar at `time`.
    mutating func observe(equity: Double, at time: Timestamp)

    /// A fill booked, with the trades it closed (possibly none).
    mutating func record(_ fill: Fill, closing trades: ArraySlice<Trade>, account: RiskAccount)

    /// The stop-loss to arm on an entry filled now (a fraction of its price, nil for none):
    /// `configured`, the broker's setting, unless the rules set their own (a capital tier's).
    func stopLoss(configured: Double?) -> Double?
}

extension RiskCheck {
    @inlinable public var isActive: Bool { true }
    @inlinable public var observesCloses: Bool { false }
    @inlinable public mutating func observe(equity: Double, at time: Timestamp) {}
    @inlinable public mutating func record(_ fill: Fill, closing trades: ArraySlice<Trade>, account: RiskAccount) {}
    @inlinable public func stopLoss(configured: Double?) -> Double? { configured }
}

/// An order about to open or add to a position, as a risk rule sees it.
public struct OrderProposal: Sendable, Equatable {
    /// The order's id (the kernel's, the strategy's, or the venue's client id).
    public var orderId: Int
    /// The account's index of the instrument (0 for a single-instrument account).
    public var instrument: Int
    public var side: OrderSide
    /// Units to trade, positive.
    public var units: Double
    /// Expected price per unit, after spread and slippage.
    public var price: Double
    /// Commission the trade would pay.
    public var commission: Double
    public var time: Timestamp
    /// Whether units are whole (a resize rounds down to a whole unit).
    public var wholeUnits: Bool

    public init(orderId: Int, instrument: Int = 0, side: OrderSide, units: Double, price: Double, commission: Double,
                time: Timestamp, wholeUnits: Bool) {
        self.orderId = orderId
        self.instrument = instrument
        self.side = side
        self.units = units
        self.price = price
        self.commission = commission
        self.time = time
        self.wholeUnits = wholeUnits
    }

    /// Units worth at most `notional` at the proposal's price (rounded down to whole units when
    /// they are whole), never more than proposed.
    @inlinable public func units(worth notional: Double) -> Double {
        guard notional > 0, price > 0 else { return 0 }
        let u = min(units, notional / price)
        return wholeUnits ? u.rounded(.down) : u
    }
}

/// The account as risk rules see it at a proposal or a fill: positions marked at the latest known
/// prices (the proposal's own instrument at its price).
public struct RiskAccount: Sendable, Equatable {
    /// Cash plus open positions marked to market.
    public var equity: Double
    /// Equity not tied up in open positions: what new positions may use (leverage 1).
    public var available: Double
    /// Σ |units| × price over the open positions.
    public var exposure: Double
    /// Instruments with an open position.
    public var openPositions: Int
    /// Signed units held of the proposal's instrument.
    public var position: Double
    /// Calendar day (UTC) on which positions still open were opened: how many of them were opened
    /// today (each could still become a day trade).
    public var openedTodayStillOpen: Int

    public init(equity: Double, available: Double, exposure: Double, openPositions: Int, position: Double,
                openedTodayStillOpen: Int = 0) {
        self.equity = equity
        self.available = available
        self.exposure = exposure
        self.openPositions = openPositions
        self.position = position
        self.openedTodayStillOpen = openedTodayStillOpen
    }
}

/// What a rule decided on a proposal.
public enum RiskDecision: Sendable, Equatable {
    /// Let it through as proposed.
    case accept
    /// Trade fewer units (positive, fewer than proposed), for `reason`.
    case resize(units: Double, reason: String)
    /// Do not trade: a rule refused (`RiskRefusal.reason` says why).
    case refuse(RiskRefusal)
}

/// Several rules' decisions on one proposal, each on what the previous ones left: the first
/// refusal ends it, a resize names every rule that cut. How `RiskRules` composes its rules and an
/// account composes its own rules with a kernel's.
public struct RiskReview: Sendable {
    /// The proposal as the rules so far left it.
    public private(set) var proposal: OrderProposal
    private var cuts: [String] = []
    /// The refusal, once a rule refused.
    public private(set) var refusal: RiskDecision?

    public init(_ proposal: OrderProposal) { self.proposal = proposal }

    /// Whether a rule refused: later rules are not asked.
    public var isRefused: Bool { refusal != nil }

    /// Takes in one rule's decision on `proposal`.
    public mutating func apply(_ decision: RiskDecision) {
        switch decision {
        case .accept: break
        case .refuse: refusal = decision
        case let .resize(units, reason):
            proposal.units = units
            cuts.append(reason)
        }
    }

    /// Asks `check` unless a rule already refused.
    public mutating func ask<R: RiskCheck>(_ check: inout R, _ account: RiskAccount) {
        if refusal == nil { apply(check.review(proposal, account: account)) }
    }

    /// The decision of all the rules together.
    public var decision: RiskDecision {
        if let refusal { return refusal }
        return cuts.isEmpty ? .accept : .resize(units: proposal.units, reason: cuts.joined(separator: "; "))
    }
}

/// No rules: every proposal passes. The default of backtests, compiled away entirely.
public struct NoRiskCheck: RiskCheck, Sendable {
    @inlinable public init() {}
    @inlinable public var isActive: Bool { false }
    @inlinable public mutating func review(_ proposal: OrderProposal, account: RiskAccount) -> RiskDecision { .accept }
}
