import Synchronization

/// Measures a bot's own part of the socket-to-order latency, for `latency-bench`: the time from
/// a market-data frame read off the venue's WebSocket (`VenueStreamFeed`) to the order request
/// handed to the venue's HTTP client (`VenueHTTPClient`), both on one monotonic clock. Off
/// unless a benchmark turns it on: then each request reports the time since the last frame read,
/// which is the frame that decided it when frames come one at a time.
public enum LatencyProbe {
    private static let on = Atomic<Bool>(false)
    private static let lastFrame = Atomic<Int64>(0)
    /// The report, in a struct: a bare closure in a `Mutex` grows a thunk chain at every read
    /// (swiftlang/swift#91348).
    private struct Report: Sendable { let body: @Sendable (Int64) -> Void }
    private static let report = Mutex<Report?>(nil)

    /// Starts reporting, to `body`, the nanoseconds from the last frame read to each request.
    public static func start(_ body: @escaping @Sendable (Int64) -> Void) {
        report.withLock { $0 = Report(body: body) }
        on.store(true, ordering: .releasing)
    }

    public static func stop() {
        on.store(false, ordering: .releasing)
        report.withLock { $0 = nil }
    }

    @inline(__always) static func frameRead() {
        guard on.load(ordering: .relaxed) else { return }
        lastFrame.store(monotonicNanos(), ordering: .relaxed)
    }

    @inline(__always) static func requestSent() {
        guard on.load(ordering: .relaxed) else { return }
        let elapsed = monotonicNanos() - lastFrame.load(ordering: .relaxed)
        report.withLock { $0 }?.body(elapsed)
    }

}
