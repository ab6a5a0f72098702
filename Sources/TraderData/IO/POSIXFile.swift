#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes through plain POSIX calls (no Foundation).
enum POSIXFile {
    /// Calls `body` with every byte of the file at `path`: memory-mapped when the file is a
    /// regular, non-empty file (no copy, pages come straight from the page cache), otherwise read
    /// into memory. The bytes are only valid inside `body`. (As with any mapping, truncating the
    /// file while it is being parsed is not supported; `CSVBarWriter` replaces files by rename.)
    static func withContents<R>(
        path: String, _ body: (UnsafeRawBufferPointer) throws(DataError) -> R
    ) throws(DataError) -> R {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path) }
            throw .unreadable(path, reason: message(code))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw .unreadable(path, reason: message(code))
        }
        let size = Int(info.st_size)
        if (info.st_mode & S_IFMT) == S_IFREG && size > 0 {
            let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
            close(fd)
            if let address, address != UnsafeMutableRawPointer(bitPattern: -1) {
                defer { munmap(address, size) }
                // The parser reads front to back: ask for aggressive read-ahead.
                _ = madvise(address, size, MADV_SEQUENTIAL)
                return try body(UnsafeRawBufferPointer(start: address, count: size))
            }
        } else {
            close(fd)
        }
        let bytes = try readAll(path: path)
        var result: Result<R, DataError>?
        bytes.withUnsafeBytes { buffer in
            do throws(DataError) { result = .success(try body(buffer)) } catch { result = .failure(error) }
        }
        return try result!.get()
    }

    /// Every byte of the file at `path`.
    static func readAll(path: String) throws(DataError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path) }
            throw .unreadable(path, reason: message(code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path, reason: message(errno)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .unreadable(path, reason: "is a directory") }

        // Read straight into the array's storage, one byte more than the size fstat reported so
        // a file that grew meanwhile is noticed; then read any remainder in chunks.
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: max(Int(info.st_size), 0) + 1) { buffer, initialized in
            (initialized, failure) = fill(fd, buffer)
        }
        if failure != 0 { throw .unreadable(path, reason: message(failure)) }
        if bytes.count > Int(info.st_size) {
            while true {
                let chunk = [UInt8](unsafeUninitializedCapacity: 1 << 16) { buffer, initialized in
                    (initialized, failure) = fill(fd, buffer)
                }
                if failure != 0 { throw .unreadable(path, reason: message(failure)) }
                if chunk.isEmpty { break }
                bytes.append(contentsOf: chunk)
            }
        }
        return bytes
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
