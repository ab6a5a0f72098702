import Foundation
import TestSupport
import Testing
import TraderData
#if canImport(Glibc)
import Glibc
#endif

/// A damaged `.gtbars` file never yields numbers: every command that reads bars from the store
/// refuses it with one line naming the file and the column (exit 2), a good file's verdict is
/// remembered beside it, and a file changed since is verified again.
extension CLIProcessTests {
    /// GOOG imported into a fresh store: the store, the file and its column offsets.
    func storeWithGOOG() throws -> (store: String, path: String, offsets: [Int]) {
        let store = try storeDirectory()
        let r = try run(["data", "import", "data/sample/GOOG.csv", "--store", store, "--output", "quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        return (store, store + "/GOOG_1d.gtbars", BarStoreFormat.columnOffsets(count: 2_148))
    }

    /// Flips one bit of the byte at `offset` of the file at `path`, in place.
    func flipBit(_ path: String, at offset: Int) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: [byte ^ 0x04])
    }

    /// Checks the one-line refusal of a damaged store file.
    func expectCorrupt(_ r: Output, _ path: String, column: String, _ what: String) {
        #expect(r.status == 2, "\(what): exit \(r.status): \(r.stderr)")
        #expect(r.stderr.hasPrefix("error: \(path): corrupt bar store file: \(column) column checksum mismatch (stored "), "\(what): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(what): \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Backtrace"), "\(what)")
        #expect(r.stdout.isEmpty, "\(what) printed results from a damaged file: \(r.stdout.prefix(200))")
    }

    @Test func aDamagedCloseColumnIsRefusedByEveryReader() throws {
        let (store, path, offsets) = try storeWithGOOG()
        try flipBit(path, at: offsets[BarStoreColumn.close.rawValue] + 8 * 1_074 + 2)  // the middle of the close column
        let env = ["GPT_TRADER_STORE_DIR": store]
        let commands: [[String]] = [
            ["backtest", "--symbol", "GOOG", "--no-save"],
            ["backtest", "--symbol", "GOOG", "--stream"],  // streams the whole file: hashed on the way
            ["backtest", "--symbol", "GOOG", "--stream", "--start", "2010-01-01"],  // part of it: verified first
            ["optimize", "--symbol", "GOOG", "--param", "fast=5:10:5", "--param", "slow=20:30:10", "--no-save"],
            ["analyze", "GOOG"],
            ["regime", "GOOG"],
            ["portfolio", "--symbols", "GOOG"],
        ]
        for args in commands {
            expectCorrupt(try run(args, environment: env), path, column: "close", args.joined(separator: " "))
        }
        // `data list` reads headers only; `data info` hashes and says the same.
        #expect(try run(["data", "list", "--store", store]).status == 0)
        expectCorrupt(try run(["data", "info", "GOOG", "--store", store]), path, column: "close", "data info")
    }

    @Test func aDamagedTimestampColumnIsRefused() throws {
        let (store, path, offsets) = try storeWithGOOG()
        try flipBit(path, at: offsets[BarStoreColumn.timestamp.rawValue] + 8 * 1_000 + 5)
        let env = ["GPT_TRADER_STORE_DIR": store]
        expectCorrupt(try run(["backtest", "--symbol", "GOOG", "--no-save"], environment: env), path, column: "timestamp", "backtest")
        expectCorrupt(try run(["backtest", "--symbol", "GOOG", "--stream"], environment: env), path, column: "timestamp", "backtest --stream")
    }

    /// The verdict on a good file is kept in `.gtbars-verified` (once the file has settled), a
    /// load trusts a verdict that matches the file's identity, and any write to the file changes
    /// that identity, so the file is hashed again and a new fault is found.
    @Test func aGoodVerdictIsRememberedAndAChangedFileIsVerifiedAgain() throws {
        let (store, path, offsets) = try storeWithGOOG()
        let verdicts = store + "/.gtbars-verified"
        let env = ["GPT_TRADER_STORE_DIR": store]
        try waitUntilSettled(path, probeIn: store)
        let first = try run(["backtest", "--symbol", "GOOG", "--no-save", "--output", "quiet"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        let text = try String(contentsOfFile: verdicts, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("GOOG_1d.gtbars ") })
        #expect(String(line) == verdictLine(path))
        #expect(text.hasPrefix("gtbars-verified 1\n") && text.split(separator: "\n").last?.hasPrefix("end ") == true)

        // Damage the file: its ctime moves, the old verdict no longer matches, the load hashes.
        try flipBit(path, at: offsets[BarStoreColumn.close.rawValue] + 8 * 2_000)
        expectCorrupt(try run(["backtest", "--symbol", "GOOG", "--no-save"], environment: env), path, column: "close", "after a change")

        // The verdict is what a load trusts: one recorded for the damaged file as it is now
        // (forged here) lets it load, which shows the hash was skipped...
        try writeVerdicts(store, [verdictLine(path)])
        #expect(try run(["backtest", "--symbol", "GOOG", "--no-save", "--output", "quiet"], environment: env).status == 0)
        // ...and a verdict file that does not check out is not trusted at all.
        var forged = try String(contentsOfFile: verdicts, encoding: .utf8)
        forged = forged.replacingOccurrences(of: "end ", with: "end 0")
        try forged.write(toFile: verdicts, atomically: true, encoding: .utf8)
        expectCorrupt(try run(["backtest", "--symbol", "GOOG", "--no-save"], environment: env), path, column: "close", "forged verdict file")
        try "not a verdict file\n".write(toFile: verdicts, atomically: true, encoding: .utf8)
        expectCorrupt(try run(["backtest", "--symbol", "GOOG", "--no-save"], environment: env), path, column: "close", "garbage verdict file")
    }

    /// A read-only store is read as usual; verdicts then last as long as the process.
    @Test func aReadOnlyStoreStillVerifies() throws {
        let (store, path, offsets) = try storeWithGOOG()
        try waitUntilSettled(path, probeIn: store)
        guard try setReadOnly(store, true) else { return }  // cannot be made read-only here
        defer { _ = try? setReadOnly(store, false) }
        let env = ["GPT_TRADER_STORE_DIR": store]
        let ok = try run(["backtest", "--symbol", "GOOG", "--no-save", "--output", "quiet"], environment: env)
        #expect(ok.status == 0 && ok.stderr.isEmpty, "\(ok.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store + "/.gtbars-verified"))
        try flipBit(path, at: offsets[BarStoreColumn.open.rawValue] + 8 * 7)  // the file itself stays writable
        expectCorrupt(try run(["backtest", "--symbol", "GOOG", "--no-save"], environment: env), path, column: "open", "read-only store")
    }

    // MARK: - Helpers

    /// The verdict line for the file at `path` as it is now (the format of `.gtbars-verified`).
    func verdictLine(_ path: String) -> String {
        var info = stat()
        _ = stat(path, &info)
        let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let ctime = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        let header = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        let checksum = header.count >= 256 ? header[248..<256].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) } : 0
        let hex = String(checksum, radix: 16)
        let name = URL(fileURLWithPath: path).lastPathComponent
        return "\(name) \(info.st_dev) \(info.st_ino) \(info.st_size) \(mtime) \(ctime) \(String(repeating: "0", count: 16 - hex.count) + hex)"
    }

    /// Makes `directory` read-only (no new names in it) or writable again: by its mode, or for
    /// root, whom modes do not stop, by the immutable attribute. False when neither works.
    func setReadOnly(_ directory: String, _ readOnly: Bool) throws -> Bool {
        if getuid() != 0 { return chmod(directory, readOnly ? 0o555 : 0o755) == 0 }
        let r = try Subprocess.run("/usr/bin/env", ["chattr", readOnly ? "+i" : "-i", directory])
        return r.status == 0
    }

    /// Writes a verdict file holding `lines`, with its checksum line.
    func writeVerdicts(_ store: String, _ lines: [String]) throws {
        let body = Array(("gtbars-verified 1\n" + lines.map { $0 + "\n" }.joined()).utf8)
        let hex = String(XXHash64.hash(body), radix: 16)
        let text = String(decoding: body, as: UTF8.self) + "end \(String(repeating: "0", count: 16 - hex.count) + hex)\n"
        try text.write(toFile: store + "/.gtbars-verified", atomically: true, encoding: .utf8)
    }

    /// Waits until the file system's clock is in a later second than `path`'s last change (a
    /// probe file's ctime shows it), so a verdict on `path` may be remembered: the event is
    /// polled for, up to ten seconds.
    func waitUntilSettled(_ path: String, probeIn directory: String) throws {
        func changedSecond(_ p: String) -> Int {
            var info = stat()
            return stat(p, &info) == 0 ? Int(info.st_ctim.tv_sec) : .max
        }
        let changed = changedSecond(path), probe = directory + "/.settle-probe"
        defer { unlink(probe) }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            try Data([1]).write(to: URL(fileURLWithPath: probe))
            if changedSecond(probe) > changed { return }
            usleep(20_000)  // between polls, not for synchronization
        }
        Issue.record("the file system clock did not pass \(path)'s ctime within 10 s")
    }
}
