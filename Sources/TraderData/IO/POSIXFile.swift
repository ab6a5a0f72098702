#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes through plain POSIX calls (no Foundation).
enum POSIXFile {
    /// Calls `body` with every byte of the file at `path`, which must be a regular file of at
    /// most `limit` bytes: memory-mapped (no copy, pages come straight from the page cache), or
    /// read into memory when it cannot be mapped. The bytes are only valid inside `body`. (As
    /// with any mapping, truncating the file while it is being parsed is not supported;
    /// `CSVBarWriter` replaces files by rename.)
    ///
    /// Why only regular files: a device, FIFO or socket has no size to check, and `/dev/zero`
    /// given as a CSV file would be read until memory runs out.
    static func withContents<R>(
        path: String, limit: Int, _ body: (UnsafeRawBufferPointer) throws(DataError) -> R
    ) throws(DataError) -> R {
        let (fd, size) = try openRegular(path: path, limit: limit)
        if size > 0, let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != UnsafeMutableRawPointer(bitPattern: -1) {
            close(fd)
            defer { munmap(address, size) }
            // The parser reads front to back: ask for aggressive read-ahead.
            _ = madvise(address, size, MADV_SEQUENTIAL)
            return try body(UnsafeRawBufferPointer(start: address, count: size))
        }
        defer { close(fd) }
        let bytes = try readSized(fd, size: size, path: path)
        var result: Result<R, DataError>?
        bytes.withUnsafeBytes { buffer in
            do throws(DataError) { result = .success(try body(buffer)) } catch { result = .failure(error) }
        }
        return try result!.get()
    }

    /// Every byte of the regular file at `path`, at most `limit` of them.
    static func readAll(path: String, limit: Int) throws(DataError) -> [UInt8] {
        let (fd, size) = try openRegular(path: path, limit: limit)
        defer { close(fd) }
        return try readSized(fd, size: size, path: path)
    }

    /// Opens `path` for reading and returns the descriptor and the size; throws unless it is a
    /// regular file of at most `limit` bytes (the descriptor is closed then).
    static func openRegular(path: String, limit: Int) throws(DataError) -> (Int32, Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)  // O_NONBLOCK: a FIFO must not block the open
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path) }
            if code == ENXIO { throw .notRegularFile(path, kind: "a socket or a FIFO") }
            throw .unreadable(path, reason: message(code))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw .unreadable(path, reason: message(code))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .notRegularFile(path, kind: kind(of: info.st_mode))
        }
        let size = Int(info.st_size)
        guard size <= limit else {
            close(fd)
            throw .tooLarge(path, bytes: size, limit: limit)
        }
        return (fd, size)
    }

    /// The `size` bytes of the open file `fd` (fewer if it shrank meanwhile; a file that grew is
    /// read only up to the size it had, so the limit holds).
    private static func readSized(_ fd: Int32, size: Int, path: String) throws(DataError) -> [UInt8] {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            (initialized, failure) = fill(fd, buffer)
        }
        if failure != 0 { throw .unreadable(path, reason: message(failure)) }
        return bytes
    }

    /// What a file of mode `mode` is, for messages: "a directory", "a character device", ...
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a file"
        }
    }

    /// The directory holding `path` ("." for a bare name) and the name within it.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        return (directory, String(path[path.index(after: slash)...]))
    }

    /// Reads from `fd` until `buffer` is full or the file ends; returns the bytes read and the
    /// `errno` of a failure (0 when none).
    private static func fill(_ fd: Int32, _ buffer: UnsafeMutableBufferPointer<UInt8>) -> (Int, Int32) {
        guard let base = buffer.baseAddress else { return (0, 0) }
        var count = 0
        while count < buffer.count {
            let n = read(fd, base + count, buffer.count - count)
            if n < 0 {
                if errno == EINTR { continue }
                return (count, errno)
            }
            if n == 0 { break }
            count += n
        }
        return (count, 0)
    }

    /// Lets `produce` write a file through a `ChunkedWriter` on a temporary file next to `path`,
    /// flushes it to disk, then renames it over `path` (see `AtomicFile`), so readers see either
    /// the old file or the complete new one, never a partial one. On any failure the temporary
    /// file is removed.
    static func writeAtomically(
        to path: String, _ produce: (inout ChunkedWriter) throws(DataError) -> Void
    ) throws(DataError) {
        let file = try AtomicFile(replacing: path)
        var writer = ChunkedWriter(fd: file.fd, path: path)
        defer { writer.buffer.deallocate() }
        do throws(DataError) {
            try produce(&writer)
            try writer.flush()
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }

    /// Buffers output in 1 MiB chunks and writes each full chunk to a file descriptor.
    struct ChunkedWriter {
        static let chunkSize = 1 << 20
        let fd: Int32
        let path: String
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: ChunkedWriter.chunkSize)
        var count = 0

        /// Makes room for `maxBytes` (at most `chunkSize`), lets `fill` write them, and keeps the
        /// number of bytes it reports.
        mutating func append(maxBytes: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Int) throws(DataError) {
            if ChunkedWriter.chunkSize - count < maxBytes { try flush() }
            count += fill(buffer + count)
        }

        /// Writes out everything buffered.
        mutating func flush() throws(DataError) {
            var offset = 0
            while offset < count {
                let n = write(fd, buffer + offset, count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .unwritable(path, reason: POSIXFile.message(errno))
                }
                offset += n
            }
            count = 0
        }
    }

    /// The system's text for an `errno` value.
    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
