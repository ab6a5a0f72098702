public import TraderCore

/// Stop-loss, take-profit and trailing stop attached to the open position by the run's settings.
///
/// When a stop and the target could both be hit inside one bar, the stop is assumed to hit first:
/// a bar's path is unknown, and the pessimistic order keeps results from being flattered. Gaps
/// through a level fill at the open.
public struct ProtectiveExits: Sendable {
    @usableFromInline var sign: Double = 0
    @usableFromInline var stop: Double = .nan
    @usableFromInline var target: Double = .nan
    @usableFromInline var trailFraction: Double = .nan
    @usableFromInline var best: Double = .nan

    public init() {}

    /// Whether exits are armed; a stored flag rather than `sign != 0` because the kernel tests it
    /// on every bar.
    public var isActive = false

    public mutating func arm(entry: Double, sign: Double, settings: ExecutionSettings) {
        guard settings.stopLoss != nil || settings.takeProfit != nil || settings.trailingStop != nil else { return }
        self.sign = sign
        isActive = sign != 0
        stop = settings.stopLoss.map { entry * (1 - sign * $0) } ?? .nan
        target = settings.takeProfit.map { entry * (1 + sign * $0) } ?? .nan
        trailFraction = settings.trailingStop ?? .nan
        best = entry
    }

    @inlinable public mutating func clear() {
        sign = 0
        isActive = false
    }

    /// The raw exit price and reason if an exit triggers within `w`; updates the trailing anchor.
    public mutating func exit(in w: PriceWindow) -> (Double, ExitReason)? {
        let long = sign > 0
        // Effective stop: the tighter of the fixed stop and the trailing level.
        var level = stop
        var reason = ExitReason.stopLoss
        if !trailFraction.isNaN {
            let trail = best * (1 - sign * trailFraction)
            if level.isNaN || (long ? trail > level : trail < level) { level = trail; reason = .trailingStop }
        }
        if !level.isNaN {
            if long, w.low <= level { return (min(w.open, level), reason) }
            if !long, w.high >= level { return (max(w.open, level), reason) }
        }
        if !target.isNaN {
            if long, w.high >= target { return (max(w.open, target), .takeProfit) }
            if !long, w.low <= target { return (min(w.open, target), .takeProfit) }
        }
        if !trailFraction.isNaN { best = long ? max(best, w.high) : min(best, w.low) }
        return nil
    }
}
