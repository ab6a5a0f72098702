import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What reading one line gave.
enum LineInput: Equatable, Sendable {
    case line(String)
    /// Ctrl-C at the prompt: the line was dropped.
    case cancelled
    /// Ctrl-D on an empty line, or the end of standard input.
    case endOfInput
}

/// Where the shell's lines come from: the line editor on a terminal, or plain lines when
/// standard input is a pipe or a file (`echo strategies | gpt-trader shell`), with no prompt and
/// no escape codes.
///
/// `read` blocks, so the session calls it on a thread of its own, never on one of the few
/// threads Swift's concurrency runtime shares among tasks. One thread reads at a time (the
/// session waits for each line), which is why the terminal reader's buffer needs no lock.
protocol LineReader: Sendable {
    func read(prompt: String, history: [String], complete: @escaping @Sendable (String) -> Completion) -> LineInput
}

/// Lines of standard input as they are, for pipes and files; with `prompting`, for a terminal
/// that cannot be drawn on (`TERM=dumb`), the prompt is written first.
struct PlainLineReader: LineReader {
    var prompting = false

    func read(prompt: String, history: [String], complete: @escaping @Sendable (String) -> Completion) -> LineInput {
        if prompting {
            TerminalLineReader.write(prompt)
        }
        guard var line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        if line.hasSuffix("\r") { line.removeLast() }
        return .line(line)
    }
}

/// The line editor on the terminal: raw mode while a line is edited, the line drawn after each
/// key, and the terminal's normal mode back before the line is returned.
final class TerminalLineReader: LineReader, @unchecked Sendable {
    /// Bytes read past the end of the last line (keys typed ahead, several pasted lines).
    private var pending: [UInt8] = []
    private var pendingIndex = 0

    func read(prompt: String, history: [String], complete: @escaping @Sendable (String) -> Completion) -> LineInput {
        guard RawTerminal.enable() else { return PlainLineReader().read(prompt: prompt, history: history, complete: complete) }
        defer { RawTerminal.restore() }
        var editor = LineEditor(history: history, complete: complete)
        let draw = { (editor: LineEditor, cursor: Int?) in
            Self.write(LineRenderer.render(prompt: prompt, buffer: editor.buffer, cursor: cursor ?? editor.cursor,
                                           columns: RawTerminal.columns))
        }
        draw(editor, nil)
        while true {
            guard let byte = nextByte() else {
                Self.write("\r\n")
                return .endOfInput
            }
            for action in editor.feed(byte) {
                switch action {
                case .redraw:
                    draw(editor, nil)
                case .bell:
                    Self.write("\u{07}")
                case .submit(let line):
                    draw(editor, editor.buffer.count)
                    Self.write("\r\n")
                    return .line(line)
                case .cancel:
                    draw(editor, editor.buffer.count)
                    Self.write("^C\r\n")
                    return .cancelled
                case .endOfInput:
                    Self.write("\r\n")
                    return .endOfInput
                case .clearScreen:
                    Self.write("\u{1B}[H\u{1B}[2J")
                    draw(editor, nil)
                case .list(let candidates):
                    draw(editor, editor.buffer.count)
                    Self.write("\r\n" + LineRenderer.list(candidates, columns: RawTerminal.columns).replacingOccurrences(of: "\n", with: "\r\n"))
                    draw(editor, nil)
                }
            }
        }
    }

    private func nextByte() -> UInt8? {
        if pendingIndex < pending.count {
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }
        var chunk = [UInt8](repeating: 0, count: 256)
        while true {
            let n = systemRead(0, &chunk, chunk.count)
            if n > 0 {
                pending = Array(chunk[..<n])
                pendingIndex = 1
                return pending[0]
            }
            if n < 0, errno == EINTR { continue }
            return nil
        }
    }

    /// Writes to standard output unbuffered (the editor's output must not wait behind `print`'s).
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { systemWrite(1, $0.baseAddress!, $0.count) }
            if n > 0 { offset += n } else if n < 0, errno == EINTR { continue } else { break }
        }
    }
}

// Free functions, so the names reach the C library rather than the reader's own `read`/`write`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
