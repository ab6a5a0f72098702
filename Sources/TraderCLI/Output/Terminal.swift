#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import TraderCore
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

/// Writes an error or warning to standard error as one line: credentials masked
/// (`Redaction.scrub`), control bytes escaped and the length capped (`DisplayText.line`), so no
/// input, however hostile, can print a secret, a 10 MB line or a terminal escape sequence.
func printError(_ text: String) {
    writeStandardError(DisplayText.line(Redaction.scrub(text)) + "\n")
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
