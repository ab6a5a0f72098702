/// What one Redis reply may hold before the client gives up on the connection.
///
/// Without bounds a broken or hostile server can make the client allocate without end (a bulk
/// header announcing 2⁶³ bytes keeps the receive buffer growing while it waits for them; a
/// header line that never ends does the same) or overflow the stack (`*1\r\n` nested a million
/// times). The defaults are Redis's own: a bulk string is at most 512 MiB (`proto-max-bulk-len`),
/// an inline line at most 64 KiB, an array at most 1,048,576 elements (its multibulk limit). No
/// reply this client asks for nests arrays more than a few levels (SCAN, EXEC, pub/sub messages),
/// so 32 levels is plenty. The cache never stores a value over `maxL2ValueBytes` (32 MiB).
public struct RESPLimits: Sendable, Equatable {
    /// Longest bulk string.
    public var maxBulkBytes: Int
    /// Longest header line (`+OK`, `-ERR …`, `:42`, `$5`, `*3`), without its CRLF.
    public var maxLineBytes: Int
    /// Most elements of one array.
    public var maxArrayCount: Int
    /// Deepest nesting of arrays.
    public var maxDepth: Int
    /// Most bytes one unfinished reply may hold while the rest is awaited.
    public var maxReplyBytes: Int

    public init(maxBulkBytes: Int, maxLineBytes: Int, maxArrayCount: Int, maxDepth: Int, maxReplyBytes: Int) {
        self.maxBulkBytes = maxBulkBytes
        self.maxLineBytes = maxLineBytes
        self.maxArrayCount = maxArrayCount
        self.maxDepth = maxDepth
        self.maxReplyBytes = maxReplyBytes
    }

    public static let standard = RESPLimits(maxBulkBytes: 512 << 20, maxLineBytes: 64 << 10, maxArrayCount: 1 << 20,
                                            maxDepth: 32, maxReplyBytes: 512 << 20 + 64 << 10)

}
