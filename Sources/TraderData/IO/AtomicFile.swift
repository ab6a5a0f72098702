#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file being written under a temporary name beside its destination, so that readers see
/// either the old file or the complete new one, never a partial one.
///
/// `commit()` flushes the data to disk (`fsync`), renames the file over the destination and
/// closes it; `abandon()` (also run by `deinit` when neither was called) closes and deletes the
/// temporary file. Both the CSV writer and the bar store writers go through this one type, so the
/// "nothing half-written on failure" rule lives in one place. The temporary name starts with the
/// destination's name and ends with `.tmp-PID-RANDOM`, so a listing by extension never sees it.
///
/// The temporary is registered in `TemporaryFiles` from creation to rename, so a SIGINT, SIGTERM
/// or SIGHUP that ends the process deletes it, and it stays open until after the rename, so a
/// running writer's file is never taken for a stale one. Opening a new one first removes the
/// stale temporaries of the same destination (left by a process that was killed).
final class AtomicFile {
    /// Where the file ends up.
    let path: String
    /// Where it is written until `commit()`.
    let temporaryPath: String
    /// The open descriptor of the temporary file; -1 once committed or abandoned.
    private(set) var fd: Int32

    /// Creates the temporary file (mode `mode`, never an existing file). Throws
    /// `.notRegularFile` when `path` is a directory or a device, `.unwritable` when the
    /// temporary file cannot be created.
    init(replacing path: String, mode: mode_t = 0o644) throws(DataError) {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            throw .notRegularFile(path, kind: POSIXFile.kind(of: info.st_mode))
        }
        if path.hasSuffix("/") { throw .notRegularFile(path, kind: "a directory") }
        let (directory, name) = POSIXFile.split(path)
        TemporaryFiles.removeStale(in: directory, destination: name)
        self.path = path
        temporaryPath = TemporaryFiles.name(for: path)
        let temporary = temporaryPath
        fd = TemporaryFiles.create(temporary) { open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw .unwritable(path, reason: POSIXFile.message(errno)) }
    }

    deinit { abandon() }

    /// Flushes, renames the temporary file over `path` and closes it, then flushes the directory
    /// so the rename itself survives a crash. On failure the temporary file is removed and the
    /// destination is left as it was.
    func commit() throws(DataError) {
        precondition(fd >= 0, "AtomicFile committed after it was closed")
        var failure: DataError?
        if fsync(fd) != 0 { failure = .unwritable(path, reason: POSIXFile.message(errno)) }
        if failure == nil {
            let code = TemporaryFiles.move(temporaryPath, to: path)
            if code != 0 { failure = .unwritable(path, reason: POSIXFile.message(code)) }
        }
        if let failure {
            abandon()
            throw failure
        }
        close(fd)  // the data is on disk (fsync) and in place: a late close error changes nothing
        fd = -1
        Self.syncDirectory(of: path)
    }

    /// Closes and deletes the temporary file; does nothing after `commit()` or a first `abandon()`.
    func abandon() {
        guard fd >= 0 else { return }
        TemporaryFiles.remove(temporaryPath)
        close(fd)
        fd = -1
    }

    /// Writes all of `bytes` at `offset` (retrying short writes and interruptions).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(DataError) {
        try POSIXFile.writeAll(fd, bytes, at: offset, path: path)
    }

    /// Best-effort `fsync` of the directory holding `path` (some file systems refuse it).
    private static func syncDirectory(of path: String) {
        let dirFD = open(POSIXFile.split(path).directory, O_RDONLY | O_CLOEXEC)
        guard dirFD >= 0 else { return }
        _ = fsync(dirFD)
        close(dirFD)
    }
}

extension POSIXFile {
    /// Writes all of `bytes` to `fd` at `offset` with `pwrite`, retrying short writes and `EINTR`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws(DataError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, base + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .unwritable(path, reason: message(errno))
            }
            done += n
        }
    }

    /// Reads `buffer.count` bytes from `fd` at `offset` with `pread`, retrying short reads and
    /// `EINTR`. Returns the bytes read, fewer only when the file ends first.
    static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(DataError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, base + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path, reason: message(errno))
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}
