import NIOCore
import Synchronization

/// The way batches reach the channel: those issued while the event loop is busy are gathered and
/// go out together, written and flushed once (one `writev`), for one wake-up of the loop instead
/// of one `writeAndFlush` hop and one `write` system call per batch. With many batches in flight
/// on a connection, that was most of the client's cost per request (kernel time).
final class RedisOutbox: Sendable {
    private struct Pending {
        var batches: [RedisBatch] = []
        /// A flush is queued on the event loop (and will take whatever is pending by then).
        var scheduled = false
    }

    private let handler: NIOLoopBound<RedisCommandHandler>
    private let pending = Mutex(Pending())

    init(handler: NIOLoopBound<RedisCommandHandler>) { self.handler = handler }

    /// Queues `batch` for the channel; on a closed connection it fails at once.
    func send(_ batch: RedisBatch) {
        let schedule = pending.withLock { pending in
            pending.batches.append(batch)
            defer { pending.scheduled = true }
            return !pending.scheduled
        }
        if schedule { handler.eventLoop.execute { self.flush() } }
    }

    private func flush() {
        let batches = pending.withLock { pending in
            defer { pending = Pending() }
            return pending.batches
        }
        handler.value.send(batches)
    }
}
