/// Conventions shared by all indicators.
///
/// Every indicator is a small struct updated with one new observation per bar in O(1) time and
/// without allocation. `value` is NaN until `isReady` (the warm-up, as pandas would show it), so a
/// NaN can never be mistaken for a signal. Multi-output indicators expose named properties.
public protocol Indicator: Sendable {
    /// True once enough observations have been seen for the output to be defined.
    var isReady: Bool { get }
    /// Number of observations needed before `isReady`.
    var warmup: Int { get }
}

/// An indicator of a single input series (usually the close).
public protocol ScalarIndicator: Indicator {
    /// Feeds the next observation and returns the updated value (NaN during warm-up).
    @discardableResult mutating func update(_ x: Double) -> Double
    /// The latest value, NaN during warm-up.
    var value: Double { get }
}

/// An indicator that needs the whole bar (high, low, close, volume).
public protocol BarIndicator: Indicator {
    /// Feeds the next bar.
    mutating func update(_ bar: Bar)
}

/// Validates an indicator period against `Bounds.window()` (1 to `Bounds.maxWindow` bars),
/// naming the parameter in the error. Every indicator allocates its window from this value, so
/// this check is what keeps a hostile period from allocating gigabytes.
public func requirePositivePeriod(_ period: Int, _ name: String = "period") throws(DomainError) {
    try Bounds.window().check(period, field: name)
}
