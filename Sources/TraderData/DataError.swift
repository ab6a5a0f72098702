import TraderCore

/// Why market data could not be read or written. Every description is one line a user can act
/// on; row problems read `FILE:LINE: REASON`, like a compiler diagnostic.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Nothing exists at `path`.
    case fileNotFound(String)
    /// `path` exists but could not be opened or read; `reason` is the system's explanation.
    case unreadable(String, reason: String)
    /// `path` could not be written; `reason` is the system's explanation.
    case unwritable(String, reason: String)
    /// `path` names a directory, a device, a FIFO or a socket where a file was expected (to read
    /// bars from, or to write to); `kind` says which ("a directory").
    case notRegularFile(String, kind: String)
    /// `path` is larger than a reader accepts (`limit` bytes): see `CSVBarReader.maxFileBytes`.
    case tooLarge(String, bytes: Int, limit: Int)
    /// A row of `file` is invalid: a missing field, a non-number, an impossible bar, a timestamp
    /// out of order. `line` is the 1-based line of the file (the header is line 1).
    case malformed(file: String, line: Int, reason: String)
    /// `file` has no data rows.
    case empty(String)
    /// The header of `file` does not name the columns a bar needs. `header` is the line as read
    /// (at most `CSVBarReader.maxLineBytes`); the message quotes it cut short and escaped.
    case unknownLayout(String, header: String)
    /// `path` is not a valid bar store file (wrong magic bytes or version, a checksum that does
    /// not match, a size that does not match its header); `reason` says which.
    case corrupt(String, reason: String)
    /// `symbol` cannot name stored bars (empty, too long, or with characters a file name
    /// cannot hold); `reason` says why.
    case invalidSymbol(String, reason: String)

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            "\(path): no such file"
        case let .unreadable(path, reason):
            "\(path): cannot read: \(reason)"
        case let .unwritable(path, reason):
            "\(path): cannot write: \(reason)"
        case let .notRegularFile(path, kind):
            "\(path): not a regular file (\(kind))"
        case let .tooLarge(path, bytes, limit):
            "\(path): \(bytes) bytes is more than the \(limit) bytes a file may have"
        case let .malformed(file, line, reason):
            "\(file):\(line): \(reason)"
        case let .empty(file):
            "\(file): no data rows"
        case let .unknownLayout(file, header):
            "\(file): unrecognized header '\(DisplayText.quote(header))': \(CSVLayout.problem(withHeader: header))"
        case let .corrupt(path, reason):
            "\(path): corrupt bar store file: \(reason)"
        case let .invalidSymbol(symbol, reason):
            "symbol '\(DisplayText.quote(symbol))': \(reason)"
        }
    }
}
