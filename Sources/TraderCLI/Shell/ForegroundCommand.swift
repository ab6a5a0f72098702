import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command the shell is running, and what Ctrl-C does to it.
///
/// The shell owns SIGINT for its whole session (ignored, and watched by a dispatch source), so a
/// Ctrl-C never ends the shell by accident. While a command runs, the first Ctrl-C cancels its
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
    /// Set once here and only cancelled after (Dispatch sources are thread-safe, but not marked
    /// `Sendable`).
    nonisolated(unsafe) private let source: any DispatchSourceSignal

    init(interactive: Bool) {
        self.interactive = interactive
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "gpt-trader.shell.interrupt"))
        source.setEventHandler { [weak self] in self?.interrupted() }
        source.resume()
    }

    /// Stops watching SIGINT and gives it its default action back.
    func close() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
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
        RawTerminal.restore()
        signal(SIGINT, SIG_DFL)
        raise(SIGINT)
    }
}
