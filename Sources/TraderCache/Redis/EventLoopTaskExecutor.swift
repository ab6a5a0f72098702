public import NIOCore

/// A `TaskExecutor` that runs jobs on one event loop. A task that prefers it
/// (`withTaskExecutorPreference(connection.taskExecutor) { … }`) runs its code between awaits on
/// the connection's own loop: the write of its next command needs no hop to the loop, and the
/// reply resumes it there without waking another thread. On Swift's global executor each round
/// trip pays those two thread switches, which bound a caller with one command in flight (see
/// BENCHMARKS.md). The work a task does on it delays the loop's I/O, so keep it short.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
