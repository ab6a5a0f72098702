/// Files a user names to be read whole (a configuration, a workflow, a portfolio profile), read
/// with the same rules as CSV data: a regular file (a directory, device or FIFO is refused in one
/// line naming it, instead of Foundation's `NSCocoaErrorDomain error 256` or a read that never
/// ends on `/dev/zero`) of bounded size.
public enum InputFile {
    /// Largest text file read whole: 16 MiB (configuration and workflow files are kilobytes).
    public static let maxTextBytes = 16 << 20

    /// The UTF-8 text of the regular file at `path`, at most `limit` bytes. Throws
    /// `.fileNotFound`, `.notRegularFile`, `.tooLarge`, or `.unreadable` (also for bytes that
    /// are not UTF-8).
    public static func readText(path: String, limit: Int = maxTextBytes) throws(DataError) -> String {
        let bytes = try POSIXFile.readAll(path: path, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .unreadable(path, reason: "not UTF-8 text") }
        return text
    }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    public static func readBytes(path: String, limit: Int) throws(DataError) -> [UInt8] {
        try POSIXFile.readAll(path: path, limit: limit)
    }
}
