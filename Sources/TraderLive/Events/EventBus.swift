import Synchronization

/// The in-process bus on which sessions publish `LiveEvent`s and the API, the WebSocket server
/// and the monitor subscribe.
///
/// Publishing never waits: the trading loop must not slow down for a slow reader. Each
/// subscriber has a buffer of `bufferSize` events; when it is full the oldest are dropped and
/// counted (`dropped`), and the reader can tell it missed some. A subscription ends when its
/// stream is no longer iterated (its task ends) or the bus finishes.
public final class EventBus: Sendable {
    private struct Subscriber {
        let continuation: AsyncStream<LiveEvent>.Continuation
    }
    private struct State {
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
        var finished = false
        var dropped = 0
        var published = 0
    }
    private let state = Mutex(State())
    /// Subscribers now, readable without the lock: a session skips building per-bar events
    /// nobody reads.
    private let subscriberGauge = Atomic<Int>(0)
    public let bufferSize: Int

    public init(bufferSize: Int = 4096) {
        precondition(bufferSize > 0, "a subscriber's buffer holds at least one event")
        self.bufferSize = bufferSize
    }

    /// A stream of the events published from now on.
    public func subscribe() -> AsyncStream<LiveEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: LiveEvent.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id: Int? = state.withLock { s in
            guard !s.finished else { return nil }
            let id = s.nextID
            s.nextID += 1
            s.subscribers[id] = Subscriber(continuation: continuation)
            subscriberGauge.store(s.subscribers.count, ordering: .relaxed)
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            self.state.withLock { s in
                s.subscribers.removeValue(forKey: id)
                self.subscriberGauge.store(s.subscribers.count, ordering: .relaxed)
            }
        }
        return stream
    }

    /// Delivers `event` to every subscriber without waiting.
    public func publish(_ event: LiveEvent) {
        state.withLock { s in
            s.published += 1
            for subscriber in s.subscribers.values {
                if case .dropped = subscriber.continuation.yield(event) { s.dropped += 1 }
            }
        }
    }

    /// Ends every subscription (their streams finish after the buffered events).
    public func finish() {
        let subscribers = state.withLock { s in
            s.finished = true
            subscriberGauge.store(0, ordering: .relaxed)
            defer { s.subscribers = [:] }
            return Array(s.subscribers.values)
        }
        for subscriber in subscribers { subscriber.continuation.finish() }
    }

    /// Current subscribers.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }
    /// Whether anyone subscribes (a relaxed read: a subscriber that arrives now sees events
    /// from the next one on).
    public var hasSubscribers: Bool { subscriberGauge.load(ordering: .relaxed) > 0 }
    /// Events published so far.
    public var published: Int { state.withLock { $0.published } }
    /// Deliveries dropped because a subscriber's buffer was full.
    public var dropped: Int { state.withLock { $0.dropped } }
}
