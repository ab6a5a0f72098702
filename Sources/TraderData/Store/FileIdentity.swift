#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which file, and which version of it, a descriptor refers to, as the file system tells it:
/// device, inode, size, and the modification and status-change times in nanoseconds.
///
/// Any write to a file changes its status-change time (ctime) to the file system's clock, and no
/// user can set ctime back (`touch -d` sets mtime, and moves ctime to now), so a file whose
/// identity is unchanged has not been written since — with one caveat that `isSettled` handles:
/// the clock ticks coarsely (a few milliseconds on Linux, a second on some file systems), so a
/// second write within the same tick as the first leaves ctime as it was.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var changed: Int64

    init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
    }

    /// The identity in `info` (from `fstat`).
    init(_ info: stat) {
        #if canImport(Darwin)
        let m = info.st_mtimespec, c = info.st_ctimespec
        #else
        let m = info.st_mtim, c = info.st_ctim
        #endif
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                  modified: Int64(m.tv_sec) &* 1_000_000_000 &+ Int64(m.tv_nsec),
                  changed: Int64(c.tv_sec) &* 1_000_000_000 &+ Int64(c.tv_nsec))
    }

    /// The identity of the open file `fd`, or nil when `fstat` fails.
    init?(fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        self.init(info)
    }

    /// Whether a verdict on this version may be remembered, given `start`, the file system
    /// clock's reading (`FileIdentity.clock()`) taken before the file's bytes were read.
    ///
    /// A later write sets ctime to at least the clock at that write, which is at least `start`;
    /// it shows as a change only if that differs from the ctime read now. It always does when
    /// this ctime is before the whole second `start` falls in — also on file systems that keep
    /// times to the second. A file changed less than about a second before it was checked is
    /// therefore checked again next time, until it has settled.
    func isSettled(checkedFrom start: Int64) -> Bool {
        changed < start - start % 1_000_000_000
    }

    /// The clock file times come from, in nanoseconds since 1970: on Linux the coarse real-time
    /// clock (file systems stamp times from it, so it is never behind a time just written).
    static func clock() -> Int64 {
        var now = timespec()
        #if os(Linux)
        clock_gettime(CLOCK_REALTIME_COARSE, &now)
        #else
        clock_gettime(CLOCK_REALTIME, &now)
        #endif
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }
}
