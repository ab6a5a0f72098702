import Foundation

/// When a venue request is tried again: on 429 (rate limited), on 5xx and on failures to connect
/// or to hear back, up to `attempts` tries in all, waiting `initial` then twice as long each time
/// up to `maximum`, or what the venue's `Retry-After` asks (capped at `maximum`).
///
/// Only requests safe to send twice are retried: reads, cancels, and order submissions, which
/// carry a client order id the venue refuses to accept twice (the router then looks the order up
/// by that id instead of placing a second one).
public struct RetryPolicy: Sendable, Equatable {
    public var attempts: Int
    public var initial: Duration
    public var maximum: Duration

    public init(attempts: Int = 4, initial: Duration = .milliseconds(200), maximum: Duration = .seconds(10)) {
        precondition(attempts >= 1, "a request is tried at least once")
        self.attempts = attempts
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait after failed attempt `n` (1-based): the venue's `Retry-After` when it sent one,
    /// else exponential backoff; never more than `maximum`.
    public func delay(afterAttempt n: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), maximum) }
        var d = initial
        for _ in 1..<max(1, n) where d < maximum { d = d * 2 }
        return min(d, maximum)
    }

    /// Whether a response with `status` is worth another try.
    public static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }

    /// A `Retry-After` header's wait: whole seconds (the HTTP-date form is not used by the venues).
    public static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Double(header.trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds >= 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}
