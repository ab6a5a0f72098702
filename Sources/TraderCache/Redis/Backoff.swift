/// Exponential backoff with a cap and jitter, for reconnection attempts.
///
/// The cap is what bounds recovery time: once Redis is back, the next attempt comes at most
/// `maximum` later (the fault test asks for the L2 tier again within a second of a restart, so
/// the default cap is 200 ms). Jitter (up to a quarter of the delay) keeps many processes that
/// lost the same server from reconnecting in lockstep.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double

    public init(initial: Duration = .milliseconds(10), maximum: Duration = .milliseconds(200), multiplier: Double = 2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The delay before attempt `attempt` (0 for the first retry), without jitter.
    public func delay(attempt: Int) -> Duration {
        var d = initial
        for _ in 0..<min(attempt, 64) {
            d = d * multiplier
            if d >= maximum { return maximum }
        }
        return min(d, maximum)
    }

    /// `delay(attempt:)` plus up to 25 % jitter from `unit` in [0, 1).
    public func delay(attempt: Int, jitter unit: Double) -> Duration {
        let d = delay(attempt: attempt)
        return d + d * (0.25 * min(max(unit, 0), 1))
    }
}
