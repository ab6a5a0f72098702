public import TraderCore

/// The runtime guards of a session: limits on what goes wrong while it trades, beside the risk
/// rules (which judge each order). Each is off unless set.
public struct GuardSettings: Sendable, Equatable {
    /// A burst of refusals: more than `count` orders rejected (by the broker or the risk rules)
    /// within the last `bars` bars.
    public var rejectionBurst: (count: Int, bars: Int)?
    /// An order still working (not filled, cancelled, rejected or expired) `bars` bars after it
    /// was sent.
    public var stuckOrderBars: Int?
    /// No bar from the feed for this long (real time): the data is stale.
    public var staleAfter: Duration?
    /// Store writes (journal entries, heartbeats) failing this many times in a row.
    public var writeErrors: Int?
    /// What a breach does.
    public var onBreach: GuardAction = .haltEntries

    public init(rejectionBurst: (count: Int, bars: Int)? = nil, stuckOrderBars: Int? = nil, staleAfter: Duration? = nil,
                writeErrors: Int? = nil, onBreach: GuardAction = .haltEntries) {
        self.rejectionBurst = rejectionBurst
        self.stuckOrderBars = stuckOrderBars
        self.staleAfter = staleAfter
        self.writeErrors = writeErrors
        self.onBreach = onBreach
    }

    /// Whether any guard is set.
    public var isActive: Bool { rejectionBurst != nil || stuckOrderBars != nil || staleAfter != nil || writeErrors != nil }

    public static func == (a: Self, b: Self) -> Bool {
        a.rejectionBurst?.count == b.rejectionBurst?.count && a.rejectionBurst?.bars == b.rejectionBurst?.bars
            && a.stuckOrderBars == b.stuckOrderBars && a.staleAfter == b.staleAfter && a.writeErrors == b.writeErrors && a.onBreach == b.onBreach
    }
}

/// What a session does when a guard trips.
public enum GuardAction: String, Sendable, CaseIterable {
    /// Refuse new entries from then on; exits and protective orders still work.
    case haltEntries = "halt-entries"
    /// Close every position at the last price, then refuse new entries.
    case flatten
    /// End the session (positions stay open), as `bots stop` does.
    case stop
}

/// A guard that tripped: which, and why, for the system event and the bot's record.
public struct GuardBreach: Sendable, Equatable, CustomStringConvertible {
    public var guardName: String
    public var reason: String
    public var description: String { "\(guardName): \(reason)" }
}

/// Watches a session's events bar by bar for the guards that are about them (refusal bursts,
/// stuck orders); the session itself counts write errors and watches the clock for stale data.
public struct GuardWatch: Sendable {
    public let settings: GuardSettings
    /// Bar numbers of the refusals in the current window, oldest first.
    private var refusals: [Int] = []
    /// Working orders and the bar each was sent at.
    private var working: [Int: Int] = [:]

    public init(settings: GuardSettings) {
        self.settings = settings
    }

    /// Takes the kernel's events of bar number `bar` (counted from 1) and returns the first
    /// breach they cause, if any.
    public mutating func observe(_ events: [TradingEvent], bar: Int) -> GuardBreach? {
        for event in events {
            switch event {
            case let .orderSubmitted(order):
                if settings.stuckOrderBars != nil { working[order.id] = bar }
            case let .filled(fill):
                working[fill.orderId] = nil
            case let .orderCancelled(id, _):
                working[id] = nil
            case let .orderRejected(id, reason):
                working[id] = nil
                // Orders a halt refuses are the guard's own doing, not a burst.
                if settings.rejectionBurst != nil, !reason.hasPrefix("entries halted") { refusals.append(bar) }
            case let .riskRefused(id, _):
                working[id] = nil
                if settings.rejectionBurst != nil { refusals.append(bar) }
            default:
                break
            }
        }
        if let (limit, window) = settings.rejectionBurst {
            let oldest = bar - window + 1
            if let keep = refusals.firstIndex(where: { $0 >= oldest }) { refusals.removeFirst(keep) } else { refusals.removeAll() }
            if refusals.count > limit {
                refusals.removeAll()
                return GuardBreach(guardName: "rejection-burst", reason: "more than \(limit) orders refused within \(window) bars")
            }
        }
        if let limit = settings.stuckOrderBars, let (id, sent) = working.min(by: { $0.value < $1.value }), bar - sent >= limit {
            working[id] = nil
            return GuardBreach(guardName: "stuck-order", reason: "order \(id) still working \(bar - sent) bars after it was sent")
        }
        return nil
    }
}
