#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TraderCore

/// Reads configuration and workflow files within `YAMLLimits.maxBytes`.
///
/// `String(contentsOfFile:)` reads whatever a path gives: `--config /dev/zero` grows without end,
/// and a FIFO blocks on open until something writes to it. Here the path is opened without
/// blocking, must be a regular file no larger than the limit, and is read with a bound even if
/// it grows meanwhile. The text must be UTF-8.
public enum YAMLFile {
    /// Why a file could not be read, in words that follow "cannot read FILE: ".
    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func read(_ path: String, limits: YAMLLimits = .standard) throws(ReadError) -> String {
        func failure(_ reason: String) -> ReadError { ReadError(path: path, reason: reason) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw failure(message(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(message(errno)) }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            throw failure(type == S_IFDIR ? "is a directory" : "not a regular file (a device, FIFO or socket is not read)")
        }
        let limit = limits.maxBytes
        guard Int(info.st_size) <= limit else { throw failure(tooLarge(Int(info.st_size), limit)) }
        // One byte more than allowed is asked for, so a file that grew past the limit is noticed.
        var failed: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: limit + 1) { buffer, count in
            (count, failed) = fill(fd, buffer)
        }
        if failed != 0 { throw failure(message(failed)) }
        guard bytes.count <= limit else { throw failure(tooLarge(nil, limit)) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw failure("not UTF-8 text") }
        return text
    }

    static func tooLarge(_ size: Int?, _ limit: Int) -> String {
        "\(size.map { "\($0) bytes, " } ?? "")larger than \(ByteCountText.format(limit)) (the limit of a YAML file)"
    }

    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// Reads from `fd` until `buffer` is full or the file ends: the bytes read and the `errno` of a
/// failure (0 when none).
private func fill(_ fd: Int32, _ buffer: UnsafeMutableBufferPointer<UInt8>) -> (Int, Int32) {
    guard let base = buffer.baseAddress else { return (0, 0) }
    var count = 0
    while count < buffer.count {
        let n = read(fd, base + count, buffer.count - count)
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { continue }
            return (count, errno)
        }
        if n == 0 { break }
        count += n
    }
    return (count, 0)
}
