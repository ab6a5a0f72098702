@testable import TraderCLI
import Foundation
import Testing

/// The history file: kept across sessions, bounded, without repeats or space-led lines.
@Suite struct ShellHistoryTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shell-history-\(UUID().uuidString)/history").path
    }

    func fileLines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func linesSurviveANewSession() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var first = ShellHistory(path: path)
        #expect(first.entries.isEmpty)
        first.add("strategies")
        first.add("backtest --strategy momentum")
        #expect(first.writeError == nil)
        let second = ShellHistory(path: path)
        #expect(second.entries == ["strategies", "backtest --strategy momentum"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)  // lines may carry database URLs with passwords
    }

    @Test func emptyRepeatedAndSpaceLedLinesAreNotKept() {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var h = ShellHistory(path: path)
        for line in ["runs list", "runs list", "", "   ", " backtest --database-url postgres://me:secret@db/x", "status", "runs list"] {
            h.add(line)
        }
        #expect(h.entries == ["runs list", "status", "runs list"])
        #expect(fileLines(path) == ["runs list", "status", "runs list"])
    }

    @Test func theFileIsBoundedToTheNewestLines() {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var h = ShellHistory(path: path, limit: 10)
        for i in 1...35 { h.add("line \(i)") }
        #expect(h.entries == (26...35).map { "line \($0)" })
        #expect(fileLines(path).count < 20)                     // cut back when it reaches twice the limit
        #expect(fileLines(path).suffix(10) == (26...35).map { "line \($0)" }[...])
        let reopened = ShellHistory(path: path, limit: 10)
        #expect(reopened.entries == (26...35).map { "line \($0)" })
        #expect(fileLines(path).count == 10)                    // and when a session starts with more
    }

    @Test func twoSessionsBothKeepTheirLines() {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var a = ShellHistory(path: path)
        var b = ShellHistory(path: path)
        a.add("from a")
        b.add("from b")
        #expect(ShellHistory(path: path).entries == ["from a", "from b"])
    }

    @Test func anUnwritableFileIsReportedNotFatal() {
        var h = ShellHistory(path: "/proc/no-such-dir/history")
        h.add("status")
        #expect(h.entries == ["status"])
        #expect(h.writeError != nil)
    }
}
