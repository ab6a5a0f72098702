import Dispatch
import Synchronization
import TraderData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one owner of SIGINT, SIGTERM and SIGHUP: a signal that ends the process first deletes the
/// temporary files being written (`TemporaryFiles`) and puts the terminal back, then exits with
/// 128 + the signal (130, 143, 129), so `data generate` stopped by Ctrl-C, `kill` or a closed
/// terminal leaves no multi-gigabyte `NAME.tmp-PID-RANDOM` behind.
///
/// Each signal is watched by a dispatch source on a queue of its own (the signal's default
/// action is set to "ignore", which is how a dispatch source gets to see it); the handler runs
/// on an ordinary thread, so it may take locks and call anything, and the main thread may be
/// busy writing meanwhile. `TemporaryFiles.removeAllAndExit` holds its lock until the exit, so
/// the writer cannot create or rename a file after the clean-up.
///
/// SIGINT first goes to the innermost interrupt handler, when one is installed: a long operation
/// turns the first Ctrl-C into cancellation of its task (`Interruption`), the shell into
/// cancellation of the running command (`ForegroundCommand`). A handler that decides the
/// process must end (a second Ctrl-C) calls `terminate(SIGINT)`. A handler may take SIGTERM too
/// (a paper or live session stops gracefully on it).
///
/// SIGKILL cannot be caught; what it leaves is removed by the next writer (`TemporaryFiles`).
enum TerminationSignals {
    private struct State {
        var sources: [any DispatchSourceSignal] = []
        var handlers: [(id: Int, signals: Set<Int32>, handler: @Sendable () -> Void)] = []
        var nextID = 0
    }

    private static let state = Mutex(State())
    private static let queue = DispatchQueue(label: "gpt-trader.signals")

    /// Starts watching the signals (once per process; later calls do nothing).
    static func install() {
        state.withLock { s in
            guard s.sources.isEmpty else { return }
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
                source.setEventHandler { received(sig) }
                source.resume()
                s.sources.append(source)
            }
        }
    }

    /// Sends SIGINT (and the other `signals`: SIGTERM for a bot's graceful shutdown) to
    /// `handler` instead of ending the process, until `removeInterruptHandler` with the returned
    /// token; the latest handler taking the signal wins. Installs the watch if needed.
    static func addInterruptHandler(signals: Set<Int32> = [SIGINT], _ handler: @escaping @Sendable () -> Void) -> Int {
        install()
        return state.withLock { s in
            s.nextID += 1
            s.handlers.append((s.nextID, signals, handler))
            return s.nextID
        }
    }

    /// Stops sending SIGINT to the handler of `token`.
    static func removeInterruptHandler(_ token: Int) {
        state.withLock { s in s.handlers.removeAll { $0.id == token } }
    }

    /// Deletes this process's temporary files, restores the terminal and exits with
    /// 128 + `sig`.
    static func terminate(_ sig: Int32) -> Never {
        TemporaryFiles.removeAllAndExit(status: 128 + sig) { RawTerminal.restore() }
    }

    private static func received(_ sig: Int32) {
        if let handler = state.withLock({ $0.handlers.last { $0.signals.contains(sig) }?.handler }) {
            handler()
            return
        }
        terminate(sig)
    }
}
