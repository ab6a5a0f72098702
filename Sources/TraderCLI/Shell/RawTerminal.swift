#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the terminal on standard input into raw mode while a line is edited, and always puts it
/// back: after the line, on `exit`, and on the signals that end a process (a terminal left in raw
/// mode shows no echo and ignores Enter, and the user has to type `reset` blind).
///
/// Raw here means: bytes arrive one at a time, unechoed, with Ctrl-C, Ctrl-Z and Ctrl-\ as plain
/// bytes (the editor decides what they do); output processing stays on, so `\n` still starts a
/// new row. Commands run with the terminal back in its normal mode, where Ctrl-C is SIGINT.
enum RawTerminal {
    /// The settings to restore; written before raw mode starts, read by the signal handler.
    nonisolated(unsafe) private static var saved = termios()
    /// 1 while raw mode is on. A signal handler may read only plain memory, not a lock.
    nonisolated(unsafe) private static var active: sig_atomic_t = 0
    nonisolated(unsafe) private static var handlersInstalled = false

    /// Switches standard input to raw mode; false when it is not a terminal.
    static func enable() -> Bool {
        installHandlersOnce()
        var original = termios()
        guard tcgetattr(0, &original) == 0 else { return false }
        var raw = original
        raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
        raw.c_cflag |= tcflag_t(CS8)
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        saved = original
        active = 1
        // TCSADRAIN, not TCSAFLUSH: keys typed while the last command ran are kept.
        guard tcsetattr(0, TCSADRAIN, &raw) == 0 else {
            active = 0
            return false
        }
        return true
    }

    /// Puts the saved settings back (nothing when raw mode is off). Async-signal-safe.
    static func restore() {
        guard active == 1 else { return }
        active = 0
        _ = tcsetattr(0, TCSADRAIN, &saved)
    }

    /// Columns of the terminal on standard output (80 when it cannot tell).
    static var columns: Int {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// On exit and on SIGTERM, SIGHUP and SIGQUIT the terminal is restored first; the signal
    /// then does what it would have done (SIGTERM and SIGHUP: `TerminationSignals`, which
    /// restores the terminal before it exits).
    private static func installHandlersOnce() {
        guard !handlersInstalled else { return }
        handlersInstalled = true
        atexit { RawTerminal.restore() }
        TerminationSignals.install()
        for sig in [SIGQUIT] {
            signal(sig) { received in
                RawTerminal.restore()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
