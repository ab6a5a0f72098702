public import NIOCore
import NIOPosix

/// One NIO event loop that a bot's venue connections and its session share: the market-data
/// WebSocket and the trading API's connection pool are opened on it, and the session's task
/// prefers it as its executor. A bar read off the socket is then decided, and the order it
/// decides written to the venue's connection, on one thread, without the wake-ups of parked
/// threads that each hop between NIO's threads and the cooperative pool costs (most of a
/// message's time on loopback, `latency-bench`).
///
/// Jobs run on the loop in the order they are enqueued; the loop must not be blocked, and a
/// session's work per bar is short (the kernel's step, the router's bookkeeping).
public final class BotEventLoop: TaskExecutor, Sendable {
    public let loop: any EventLoop

    /// A loop of NIO's shared group (the one the venue clients use by default).
    public convenience init() { self.init(loop: MultiThreadedEventLoopGroup.singleton.next()) }

    public init(loop: any EventLoop) {
        self.loop = loop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
