public import TraderCore

/// A change of regime: at bar `bar` (dated `timestamp`) the regime became `to`. `from` is nil
/// for the first regime after warm-up, when there was none before.
public struct RegimeChange: Sendable, Hashable {
    /// Index of the bar where the new regime was first seen.
    public var bar: Int
    /// That bar's timestamp.
    public var timestamp: Timestamp
    /// The regime before, nil when this is the first one.
    public var from: Regime?
    /// The regime from this bar on.
    public var to: Regime

    public init(bar: Int, timestamp: Timestamp, from: Regime?, to: Regime) {
        self.bar = bar
        self.timestamp = timestamp
        self.from = from
        self.to = to
    }
}

/// Turns a sequence of per-bar regimes into changes: the one rule ("report when the regime
/// differs from the last one seen") shared by the live monitor and the history report.
///
/// Bars without a regime (warm-up) are skipped: they neither end the current regime nor count
/// as a change.
public struct RegimeChangeTracker: Sendable, Hashable {
    /// The last regime seen, nil before the first.
    public private(set) var current: Regime?
    /// Index the next observed bar gets.
    public private(set) var nextBar: Int

    /// Starts at bar `nextBar` with `current` as the regime already in force (nil: none yet).
    public init(current: Regime? = nil, nextBar: Int = 0) {
        self.current = current
        self.nextBar = nextBar
    }

    /// Observes the next bar's regime; returns the change when it differs from the last one.
    public mutating func observe(_ regime: Regime?, at timestamp: Timestamp) -> RegimeChange? {
        defer { nextBar += 1 }
        guard let regime, regime != current else { return nil }
        let change = RegimeChange(bar: nextBar, timestamp: timestamp, from: current, to: regime)
        current = regime
        return change
    }
}

/// Watches a market bar by bar and reports when its regime changes: the threshold classifier
/// and a change tracker in one value, for live monitoring and alerts. Each bar is O(1) and
/// allocation-free.
///
/// ```swift
/// var monitor = try RegimeChangeMonitor()
/// for bar in feed { if let change = monitor.update(bar) { alert(change) } }
/// ```
public struct RegimeChangeMonitor: Sendable {
    /// The classifier; `classifier.latest` explains the current regime.
    public private(set) var classifier: ThresholdRegimeClassifier
    /// The change rule and the regime in force.
    public private(set) var tracker = RegimeChangeTracker()

    /// A monitor with `thresholds`; throws naming the first invalid field.
    public init(thresholds: RegimeThresholds = RegimeThresholds()) throws(DomainError) {
        classifier = try ThresholdRegimeClassifier(thresholds: thresholds)
    }

    /// The regime in force, nil during warm-up.
    public var current: Regime? { tracker.current }
    /// The inputs behind the current regime.
    public var latest: RegimeReading { classifier.latest }

    /// Feeds the next bar; returns the change if its regime differs from the one before.
    public mutating func update(_ bar: Bar) -> RegimeChange? {
        update(close: bar.close, at: bar.timestamp)
    }

    /// Feeds the next close and its time; returns the change if the regime differs.
    public mutating func update(close: Double, at timestamp: Timestamp) -> RegimeChange? {
        tracker.observe(classifier.update(close: close).regime, at: timestamp)
    }
}
