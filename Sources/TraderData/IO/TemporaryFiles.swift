#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The temporary files this process is writing (`NAME.tmp-PID-RANDOM`, see `AtomicFile`), so
/// that a signal ending the process can delete them first, and so that temporaries left behind
/// by a process that was killed can be told from live ones and removed.
///
/// Why a registry: `AtomicFile` deletes its temporary file on every failure, but a signal's
/// default action ends the process without unwinding anything, and `data generate` stopped by
/// Ctrl-C left gigabytes under a name nothing lists. The CLI handles SIGINT, SIGTERM and SIGHUP
/// and calls `removeAllAndExit`. Creating, renaming and deleting a registered file all happen
/// under the registry's lock, and `removeAllAndExit` keeps the lock until the process is gone,
/// so no file can appear, or be renamed into place, between the clean-up and the exit.
///
/// SIGKILL cannot be caught: `removeStale(in:)` finds what a dead process left (its PID is no
/// longer running, or the process now running under that PID does not hold the file open) and
/// deletes it. Writers call it for their destination's name; the bar store commands for the
/// whole store directory, and say what they removed.
public enum TemporaryFiles {
    private static let live = Mutex<Set<String>>([])

    /// The marker between a destination's name and the writer's PID.
    static let marker = ".tmp-"

    /// A temporary name beside `path`: `PATH.tmp-PID-RANDOM`.
    static func name(for path: String) -> String {
        "\(path)\(marker)\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }

    /// Creates `path` with `create` (which returns a descriptor or -1 with `errno` set) and
    /// registers it, both under the lock, so a signal never finds a file that exists unregistered.
    static func create(_ path: String, _ create: () -> Int32) -> Int32 {
        live.withLock { names in
            let fd = create()
            if fd >= 0 { names.insert(path) }
            return fd
        }
    }

    /// Renames the registered `path` to `destination` and forgets it; returns 0 or the `errno`
    /// of a failure (the file is then still registered).
    static func move(_ path: String, to destination: String) -> Int32 {
        live.withLock { names in
            guard rename(path, destination) == 0 else { return errno }
            names.remove(path)
            return 0
        }
    }

    /// Deletes the registered `path` and forgets it.
    static func remove(_ path: String) {
        live.withLock { names in
            unlink(path)
            names.remove(path)
        }
    }

    /// Whether `path` is one of this process's live temporaries.
    static func isLive(_ path: String) -> Bool { live.withLock { $0.contains(path) } }

    /// Deletes every registered temporary file, runs `beforeExit`, and ends the process with
    /// `status` (`_exit`: no atexit handlers, no stdio flush, as a signal's default action). The
    /// lock is held to the end, so a writer on another thread waits instead of creating or
    /// renaming a file. `beforeExit` must not register files.
    public static func removeAllAndExit(status: Int32, beforeExit: () -> Void = {}) -> Never {
        live.withLock { names -> Never in
            for path in names { unlink(path) }
            beforeExit()
            _exit(status)
        }
    }

    // MARK: - Stale temporaries

    /// A temporary file left by a process that no longer writes it, removed by `removeStale`.
    public struct Stale: Sendable, Equatable {
        /// Where it was.
        public var path: String
        /// Its size.
        public var bytes: Int
        /// The process that created it.
        public var pid: Int32
    }

    /// Deletes the temporaries in `directory` whose writer is gone, and returns them; with
    /// `destination`, only those of that file name (`NAME.tmp-…`). Live ones (this process's, or
    /// held open by their running writer) are left, as is anything that cannot be decided
    /// (another user's process).
    @discardableResult
    public static func removeStale(in directory: String, destination: String? = nil) -> [Stale] {
        var removed: [Stale] = []
        for name in BarStore.directoryEntries(directory) {
            guard let pid = writerPID(ofTemporary: name, destination: destination) else { continue }
            let path = directory == "/" ? "/" + name : "\(directory)/\(name)"
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if pid == getpid() ? isLive(path) : isHeldOpen(pid: pid, device: UInt64(info.st_dev), inode: UInt64(info.st_ino)) { continue }
            if unlink(path) == 0 { removed.append(Stale(path: path, bytes: Int(info.st_size), pid: pid)) }
        }
        return removed.sorted { $0.path < $1.path }
    }

    /// The writer's PID when `name` is a temporary name (`DEST.tmp-PID-RANDOM`, with `DEST`
    /// equal to `destination` when given), else nil.
    static func writerPID(ofTemporary name: String, destination: String?) -> Int32? {
        let bytes = Array(name.utf8), mark = Array(marker.utf8)
        guard bytes.count > mark.count,
              let at = (0...(bytes.count - mark.count)).reversed().first(where: { bytes[$0..<($0 + mark.count)].elementsEqual(mark) })
        else { return nil }
        let stem = bytes[..<at], tail = bytes[(at + mark.count)...]
        guard !stem.isEmpty, destination.map({ stem.elementsEqual($0.utf8) }) ?? true else { return nil }
        let parts = tail.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        let isBase36 = { (b: UInt8) in (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) }
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              !parts[1].isEmpty, parts[1].allSatisfy(isBase36),
              let pid = Int32(String(decoding: parts[0], as: UTF8.self)), pid > 0 else { return nil }
        return pid
    }

    /// Whether process `pid` is running and holds the file (`device`, `inode`) open. A writer
    /// keeps its temporary open from creation until it is renamed or deleted, so a running
    /// process that does not hold it is not its writer (the PID was reused). Where that cannot be
    /// checked (no `/proc`, or another user's process), a running process counts as the writer.
    static func isHeldOpen(pid: Int32, device: UInt64, inode: UInt64) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        #if os(Linux)
        let fdDirectory = "/proc/\(pid)/fd"
        guard let dir = opendir(fdDirectory) else { return true }
        closedir(dir)
        for entry in BarStore.directoryEntries(fdDirectory) {
            var info = stat()
            if stat("\(fdDirectory)/\(entry)", &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode { return true }
        }
        return false
        #else
        return true
        #endif
    }
}
