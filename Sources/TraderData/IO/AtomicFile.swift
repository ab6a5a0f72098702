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
/// `commit()` flushes the data to disk (`fsync`), closes the file and renames it over the
/// destination; `abandon()` (also run by `deinit` when neither was called) closes and deletes the
/// temporary file. Both the CSV writer and the bar store writers go through this one type, so the
/// "nothing half-written on failure" rule lives in one place. The temporary name starts with the
/// destination's name and ends with `.tmp-PID-RANDOM`, so a listing by extension never sees it.
final class AtomicFile {
    /// Where the file ends up.
    let path: String
    /// Where it is written until `commit()`.
    let temporaryPath: String
    /// The open descriptor of the temporary file; -1 once committed or abandoned.
    private(set) var fd: Int32

    /// Creates the temporary file (mode 0644, never an existing file).
    init(replacing path: String) throws(DataError) {
        self.path = path
        temporaryPath = "\(path).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unwritable(path, reason: POSIXFile.message(errno)) }
    }

    deinit { abandon() }

    /// Flushes, closes and renames the temporary file over `path`, then flushes the directory so
    /// the rename itself survives a crash. On failure the temporary file is removed and the
    /// destination is left as it was.
    func commit() throws(DataError) {
        precondition(fd >= 0, "AtomicFile committed after it was closed")
        var failure: DataError?
        if fsync(fd) != 0 { failure = .unwritable(path, reason: POSIXFile.message(errno)) }
        if close(fd) != 0 && failure == nil { failure = .unwritable(path, reason: POSIXFile.message(errno)) }
        fd = -1
        if failure == nil && rename(temporaryPath, path) != 0 { failure = .unwritable(path, reason: POSIXFile.message(errno)) }
        if let failure {
            unlink(temporaryPath)
            throw failure
        }
        Self.syncDirectory(of: path)
    }

    /// Closes and deletes the temporary file; does nothing after `commit()` or a first `abandon()`.
    func abandon() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporaryPath)
    }

    /// Writes all of `bytes` at `offset` (retrying short writes and interruptions).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(DataError) {
        try POSIXFile.writeAll(fd, bytes, at: offset, path: path)
    }

    /// Best-effort `fsync` of the directory holding `path` (some file systems refuse it).
    private static func syncDirectory(of path: String) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let dirFD = open(directory, O_RDONLY | O_CLOEXEC)
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
