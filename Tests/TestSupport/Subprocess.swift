import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program for a test: `posix_spawn`, output into temporary files, `waitpid` on a thread
/// of its own.
///
/// Foundation's `Process.waitUntilExit` learns of a child's end through SIGCHLD; in the test
/// process that signal can be delivered to a thread that does not block it and is lost, and then
/// `waitUntilExit` waits forever (seen: finished children left as zombies, the cooperative
/// threads stuck in it, the whole run stalled). `waitpid` on the child's pid cannot miss it.
/// Files rather than pipes: a program that starts a server (pg_ctl) leaves descriptors to the
/// server, and a pipe held open by a server would never reach its end.
public enum Subprocess {
    public struct Output: Sendable {
        /// The exit code, or 128 + the signal that ended the program.
        public var status: Int32
        /// True when a signal ended the program.
        public var signaled: Bool
        public var stdout: String
        public var stderr: String
    }

    /// A started program: `wait()` for its output, `signal(_:)` to interrupt it.
    public final class Running: Sendable {
        public let pid: pid_t
        let outPath: String
        let errPath: String

        init(pid: pid_t, outPath: String, errPath: String) {
            self.pid = pid
            self.outPath = outPath
            self.errPath = errPath
        }

        public func signal(_ signal: Int32) { _ = kill(pid, signal) }

        /// `waitForOutput` on a thread of its own, so no cooperative thread blocks (a server in
        /// the same process, serving the program, needs them).
        public func waitForOutput(containing text: String, occurrences: Int = 1, limit: Duration = .seconds(60)) async -> Bool {
            await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: self.waitForOutput(containing: text, occurrences: occurrences, limit: limit)) }.start()
            }
        }

        /// Waits on a thread of its own until standard output contains `text` (`occurrences`
        /// times, at most `limit`), then runs `action` on that thread at once with whether it did.
        /// What the test does at that point (a signal, a command from another process) then
        /// happens while the program is where the output says, however long the test's own task
        /// waits for a cooperative thread (the CLI tests block theirs on subprocesses).
        public func whenOutput<T: Sendable>(containing text: String, occurrences: Int = 1, limit: Duration = .seconds(60),
                                            _ action: @escaping @Sendable (Bool) -> T) async -> T {
            await withCheckedContinuation { continuation in
                Thread {
                    let seen = self.waitForOutput(containing: text, occurrences: occurrences, limit: limit)
                    continuation.resume(returning: action(seen))
                }.start()
            }
        }

        /// Whether the program has ended (a zombie waiting for `wait()`, or gone), without reaping it.
        public var hasEnded: Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            // "pid (name) S ...": the state follows the last ')'.
            guard let close = stat.lastIndex(of: ")") else { return true }
            return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
        }

        /// What the program has written to standard output so far (it may be mid-line).
        public func stdoutSoFar() -> String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
        /// What the program has written to standard error so far.
        public func stderrSoFar() -> String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

        /// Waits (up to `limit`) until standard output contains `text` (`occurrences` times);
        /// false when the program ended or the time ran out first. Event-driven: the thread
        /// sleeps in `poll` on an inotify watch of the output file and wakes when the program
        /// writes to it or closes it (it ends), rereading the file only then.
        public func waitForOutput(containing text: String, occurrences: Int = 1, limit: Duration = .seconds(60)) -> Bool {
            wait(for: text, in: outPath, occurrences: occurrences, limit: limit)
        }

        /// `waitForOutput` for standard error (log lines).
        public func waitForError(containing text: String, occurrences: Int = 1, limit: Duration = .seconds(60)) -> Bool {
            wait(for: text, in: errPath, occurrences: occurrences, limit: limit)
        }

        private func wait(for text: String, in path: String, occurrences: Int, limit: Duration) -> Bool {
            let deadline = ContinuousClock.now + limit
            let seen = { ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").components(separatedBy: text).count - 1 >= occurrences }
            let watch = inotify_init1(Int32(IN_CLOEXEC))
            defer { if watch >= 0 { close(watch) } }
            if watch >= 0 { _ = inotify_add_watch(watch, path, UInt32(IN_MODIFY | IN_CLOSE_WRITE)) }
            var events = [UInt8](repeating: 0, count: 4096)
            while true {
                if seen() { return true }
                if hasEnded { return seen() }
                let left = deadline - ContinuousClock.now
                guard left > .zero else { return false }
                // Woken by the next write; the cap only bounds how late a missed wake-up is seen.
                let millis = Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1, 1000))
                var p = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
                if poll(&p, 1, millis) > 0 { _ = read(watch, &events, events.count) }
            }
        }

        /// Blocks the calling thread until the program ends.
        public func wait() -> Output {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            defer {
                unlink(outPath)
                unlink(errPath)
            }
            let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
            let signaled = (status & 0x7f) != 0
            return Output(status: signaled ? 128 + (status & 0x7f) : (status >> 8) & 0xff, signaled: signaled,
                          stdout: read(outPath), stderr: read(errPath))
        }

        /// Waits on a thread of its own, so no cooperative thread blocks.
        public func output() async -> Output {
            await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: self.wait()) }.start()
            }
        }
    }

    /// Starts `executable` with `arguments`, the environment (default: this process's), the
    /// working directory (default: this process's) and `input` as standard input (default: none,
    /// `/dev/null`).
    ///
    /// `resetSignals` starts the program with no signal blocked and the default action for
    /// SIGCHLD, SIGINT, SIGPIPE, SIGHUP, SIGTERM and SIGQUIT, instead of the mask and dispositions
    /// of the test thread that starts it (which blocks most signals): a server that lives on,
    /// such as tmux, never learns that its children ended while SIGCHLD is blocked.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                             directory: String? = nil, input: String? = nil, resetSignals: Bool = false) throws -> Running {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-\(UUID().uuidString)").path
        let outPath = base + ".out", errPath = base + ".err", inPath = base + ".in"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            try input.write(toFile: inPath, atomically: false, encoding: .utf8)
            posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        // The child has the file open once it starts; the name is not needed after that.
        defer { if input != nil { unlink(inPath) } }
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Glibc's module does not export posix_spawn_file_actions_addchdir_np: `env -C DIR` changes
        // the directory and then execs the program.
        let program = directory == nil ? executable : "/usr/bin/env"
        let command = directory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for e in env { free(e) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if resetSignals {
            var none = sigset_t()
            sigemptyset(&none)
            posix_spawnattr_setsigmask(&attributes, &none)
            var defaults = sigset_t()
            sigemptyset(&defaults)
            for sig in [SIGCHLD, SIGINT, SIGPIPE, SIGHUP, SIGTERM, SIGQUIT] { sigaddset(&defaults, sig) }
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, program, &actions, &attributes, argv, env)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        return Running(pid: pid, outPath: outPath, errPath: errPath)
    }

    /// Runs the program to its end, blocking the calling thread.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           directory: String? = nil, input: String? = nil, resetSignals: Bool = false) throws -> Output {
        try start(executable, arguments, environment: environment, directory: directory, input: input,
                  resetSignals: resetSignals).wait()
    }
}
