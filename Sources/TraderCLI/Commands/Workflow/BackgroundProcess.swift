import Foundation
import TraderApp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The arguments of the command being run (without the program), set by `CLI.run` for each
/// command line, so a command can start itself again (`workflow run --background`) also from
/// the interactive shell, where the process's own arguments are not the command's.
enum ShellArguments {
    @TaskLocal static var arguments: [String] = Array(CommandLine.arguments.dropFirst())

    static func current() -> [String] { arguments }
}

/// Starts this program again, detached: its own process group (Ctrl-C in the terminal does not
/// reach it), stdin from /dev/null, stdout and stderr appended to a log file.
enum BackgroundProcess {
    static func spawn(_ arguments: [String], log: String) throws -> pid_t {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The default actions for the signals this process ignores while TerminationSignals
        // watches them (an ignored signal stays ignored across exec).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else { throw AppError.runtime("cannot start the background run: \(String(cString: strerror(status)))") }
        return pid
    }
}
