import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command the shell is running, and what Ctrl-C does to it.
///
/// The shell owns SIGINT for its whole session (an interrupt handler of `TerminationSignals`), so
/// a Ctrl-C never ends the shell by accident. While a command runs, the first Ctrl-C cancels its
/// task: a command that checks for cancellation (an optimization) stops and reports what it has,
/// and the shell returns to the prompt. A command that does not check cannot be stopped from
/// inside the process, so a second Ctrl-C does what it does in the CLI: it ends the process. At
/// the prompt the terminal is in raw mode and Ctrl-C is a key, not a signal; with input from a
/// pipe there is no prompt to return to, and Ctrl-C ends the shell.
final class ForegroundCommand: Sendable {
    private struct State {
        var task: Task<Int32, Never>?
        var interrupts = 0
    }

    private let state = Mutex(State())
    private let interactive: Bool
    /// The handler's token (set once in `init`, read by `close`).
    private let token = Mutex(0)

    init(interactive: Bool) {
        self.interactive = interactive
        let id = TerminationSignals.addInterruptHandler { [weak self] in self?.interrupted() }
        token.withLock { $0 = id }
    }

    /// Stops taking SIGINT: it ends the process again.
    func close() {
        TerminationSignals.removeInterruptHandler(token.withLock { $0 })
    }

    /// Runs `body` as the foreground command and returns its exit code.
    func run(_ body: @escaping @Sendable () async -> Int32) async -> Int32 {
        let task = Task { await body() }
        state.withLock { $0.task = task; $0.interrupts = 0 }
        let status = await task.value
        state.withLock { $0.task = nil; $0.interrupts = 0 }
        return status
    }

    private func interrupted() {
        let (task, count) = state.withLock { s -> (Task<Int32, Never>?, Int) in
            if s.task != nil { s.interrupts += 1 }
            return (s.task, s.interrupts)
        }
        if let task, count == 1 {
            task.cancel()
            return
        }
        guard task != nil || !interactive else { return }
        if task != nil { printError("interrupted: the command does not stop on Ctrl-C; leaving the shell") }
        TerminationSignals.terminate(SIGINT)
    }
}
