import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process as a bot's record names it, and whether another named process still runs.
public enum BotProcess {
    public static var pid: Int32 { getpid() }

    public static var hostName: String { ProcessInfo.processInfo.hostName }

    /// Whether a process with `pid` exists on this host (signal 0 checks without sending).
    public static func isAlive(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}

