import Foundation
import TraderData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines typed in the shell, kept across sessions in `$GPT_TRADER_HOME/history`, one per
/// line, oldest first.
///
/// Rules of bash's `HISTCONTROL=ignoreboth`: an empty line, a line that repeats the one before
/// it, and a line starting with a space (a way to keep a password-bearing URL out) are not kept.
/// Each kept line is appended at once, so a crash loses nothing and two shells open at the same
/// time both keep their lines; the file is cut back to the newest `limit` lines when it reaches
/// twice that. It is created readable by its owner only, since lines may carry database URLs.
struct ShellHistory {
    /// The file, or nil to keep the history in memory only.
    let path: String?
    let limit: Int
    /// Oldest first, at most `limit`.
    private(set) var entries: [String] = []
    /// Lines in the file (read at start plus appended since), to know when to cut it back.
    private var linesInFile = 0
    /// The first failure to write, reported once by the session.
    private(set) var writeError: String?

    init(path: String?, limit: Int = 1000) {
        self.path = path
        self.limit = max(limit, 1)
        guard let path, let data = FileManager.default.contents(atPath: path) else { return }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        linesInFile = lines.count
        entries = Array(lines.suffix(self.limit))
        if linesInFile > self.limit { compact() }
    }

    /// Whether `line` is kept after `previous`.
    static func keeps(_ line: String, after previous: String?) -> Bool {
        !line.trimmingCharacters(in: .whitespaces).isEmpty && !line.hasPrefix(" ") && line != previous
            && !line.contains("\n")
    }

    /// Keeps `line` (if the rules allow) in memory and in the file.
    mutating func add(_ line: String) {
        guard Self.keeps(line, after: entries.last) else { return }
        entries.append(line)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        guard let path else { return }
        do {
            try append(line + "\n", to: path)
            linesInFile += 1
            if linesInFile >= 2 * limit { compact() }
        } catch {
            if writeError == nil { writeError = "cannot write the history to \(path): \(error)" }
        }
    }

    private func append(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        // One write: lines appended by two shells at once do not interleave.
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Rewrites the file with the newest `limit` lines it holds (another shell's included),
    /// through a new file renamed over the old one, so a reader never sees half of it.
    private mutating func compact() {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).suffix(limit)
        let text = lines.map { $0 + "\n" }.joined()
        // AtomicWrite: a temporary beside the file, renamed over it, removed if the shell is
        // ended by a signal meanwhile.
        guard (try? AtomicWrite.write(text, to: path, mode: 0o600)) != nil else { return }
        linesInFile = lines.count
    }
}
