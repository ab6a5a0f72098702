#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about where output goes, decided once: whether stdout/stderr are terminals and whether
/// color is wanted (never when `NO_COLOR` is set or output is piped, per no-color.org).
struct Terminal: Sendable {
    let stdoutIsTTY: Bool
    let stderrIsTTY: Bool
    let color: Bool

    init(noColorFlag: Bool = false) {
        stdoutIsTTY = isatty(1) == 1
        stderrIsTTY = isatty(2) == 1
        let noColorEnv = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        color = stdoutIsTTY && !noColorEnv && !noColorFlag
    }

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", cyan = "36"
    }

    /// Columns of the terminal on standard error (80 when it is not one).
    static var stderrColumns: Int {
        var size = winsize()
        return ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// `paint` for text bound for standard error, which may be a terminal when stdout is not.
    func paintStderr(_ text: String, _ style: Style) -> String {
        stderrIsTTY && color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}

/// Writes text to standard error without buffering surprises.
func printError(_ text: String) {
    writeStandardError(text + "\n")
}

/// Writes raw text to file descriptor 2.
func writeStandardError(_ text: String) {
    var copy = text
    copy.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if n <= 0 { break }
            offset += n
        }
    }
}
