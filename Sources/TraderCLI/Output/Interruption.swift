import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns Ctrl-C into cancellation while a long operation runs.
///
/// A search of thousands of parameter sets should not die with nothing printed when the user
/// stops it: the first SIGINT cancels the operation's task (the optimizer checks for
/// cancellation between runs and returns the best sets so far), and the command prints those and
/// exits with 130. A second Ctrl-C ends the process at once if something does not stop (through
/// `TerminationSignals`, which owns the signal and removes temporary files first).
///
/// In the interactive shell the shell owns SIGINT for the whole session (a Ctrl-C must not end
/// it) and turns it into cancellation of the running command's task; an operation here then
/// takes that cancellation as the interruption and leaves the signal alone.
enum Interruption {
    /// Set while the interactive shell runs.
    static let shellOwnsSignal = Atomic<Bool>(false)

    /// Runs `operation`, cancelling it on SIGINT (and on SIGTERM with `alsoOnTerminate`: the
    /// graceful stop of a trading session); returns its value and whether it was interrupted.
    static func cancellingOnInterrupt<T: Sendable>(
        alsoOnTerminate: Bool = false,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> (value: T, interrupted: Bool) {
        let interrupted = Flag()
        let task = Task { try await operation() }
        if shellOwnsSignal.load(ordering: .relaxed) {
            let value = try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                interrupted.set()
                task.cancel()
            }
            return (value, interrupted.isSet)
        }
        // The first Ctrl-C cancels; a second one ends the process at once (removing any
        // temporary file being written: TerminationSignals).
        let token = TerminationSignals.addInterruptHandler(signals: alsoOnTerminate ? [SIGINT, SIGTERM] : [SIGINT]) {
            guard interrupted.setFirst() else { TerminationSignals.terminate(SIGINT) }
            task.cancel()
        }
        defer { TerminationSignals.removeInterruptHandler(token) }
        let value = try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
        return (value, interrupted.isSet)
    }

    private final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        func set() { value.store(true, ordering: .relaxed) }
        /// Sets the flag; true when it was not set before.
        func setFirst() -> Bool { !value.exchange(true, ordering: .relaxed) }
        var isSet: Bool { value.load(ordering: .relaxed) }
    }
}
