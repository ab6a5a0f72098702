import Synchronization

/// A venue's request rate limit as a token bucket: `burst` requests at once, then one every
/// `1 / perSecond` seconds. Pure arithmetic on the times it is given, so its rule is tested
/// without a clock; `RequestRateLimiter` applies it to real requests.
public struct TokenBucket: Sendable, Equatable {
    public let perSecond: Double
    public let burst: Double
    private var tokens: Double
    private var stamp: Duration

    /// A full bucket at time `now` (any monotonic origin).
    public init(perSecond: Double, burst: Int, now: Duration = .zero) {
        precondition(perSecond > 0 && burst >= 1, "a rate limit lets some requests through")
        self.perSecond = perSecond
        self.burst = Double(burst)
        tokens = Double(burst)
        stamp = now
    }

    /// Takes a token for a request at `now`: how long the request must wait first (zero when a
    /// token was there). A request that must wait has its token reserved, so requests queue in
    /// arrival order without a second look.
    public mutating func take(at now: Duration) -> Duration {
        let elapsed = Double((now - stamp).components.attoseconds) / 1e18 + Double((now - stamp).components.seconds)
        if elapsed > 0 {
            tokens = min(burst, tokens + elapsed * perSecond)
            stamp = now
        }
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .nanoseconds(Int64((-tokens / perSecond * 1e9).rounded(.up)))
    }
}

/// Holds a venue client's requests to the venue's documented rate (Alpaca's market data: 200 a
/// minute; Coinbase's public endpoints: 10 a second), shared by every task using the client, so
/// several symbols download at once without tripping the limit. A 429 that comes anyway is
/// retried by the client's `RetryPolicy`, honouring `Retry-After`.
public final class RequestRateLimiter: Sendable {
    private let bucket: Mutex<TokenBucket>
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant

    public init(perSecond: Double, burst: Int) {
        origin = clock.now
        bucket = Mutex(TokenBucket(perSecond: perSecond, burst: burst))
    }

    /// The limit's rate in requests per second.
    public var perSecond: Double { bucket.withLock { $0.perSecond } }

    /// Waits until the limit lets one more request through.
    public func acquire() async throws {
        let now = clock.now - origin
        let wait = bucket.withLock { $0.take(at: now) }
        if wait > .zero { try await Task.sleep(for: wait) }
    }
}
