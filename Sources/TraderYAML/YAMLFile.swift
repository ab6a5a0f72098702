import TraderCore
import TraderData

/// Reads configuration and workflow files within `YAMLLimits.maxBytes`.
///
/// `String(contentsOfFile:)` reads whatever a path gives: `--config /dev/zero` grows without end,
/// and a FIFO blocks on open until something writes to it. The reading itself is `InputFile`'s,
/// the same for every file a user names (a regular file, opened without blocking, read with a
/// bound even if it grows meanwhile, UTF-8); this type adds the YAML limit and the words of its
/// errors.
public enum YAMLFile {
    /// Why a file could not be read, in words that follow "cannot read FILE: ".
    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
        public var description: String { "\(path): \(reason)" }
    }

    public static func read(_ path: String, limits: YAMLLimits = .standard) throws(ReadError) -> String {
        do {
            return try InputFile.readText(path: path, limit: limits.maxBytes)
        } catch {
            let reason: String
            switch error {
            case .fileNotFound: reason = "no such file"
            case let .notRegularFile(_, kind): reason = "not a regular file (\(kind))"
            case let .tooLarge(_, bytes, limit): reason = "\(bytes) bytes, larger than \(ByteCountText.format(limit)) (the limit of a YAML file)"
            case let .unreadable(_, why): reason = why
            default: reason = error.description
            }
            throw ReadError(path: path, reason: reason)
        }
    }
}
