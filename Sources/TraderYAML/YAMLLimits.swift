/// How much a YAML document may hold. Configuration and workflow files are a few kilobytes; these
/// bounds are far above any real one and far below what hurts, so a hostile or broken file is
/// refused with a located error instead of exhausting memory or the stack:
///
/// - `maxBytes`: a file larger than this is not read at all (nor is anything that is not a
///   regular file, such as `/dev/zero` or a FIFO: see `YAMLFile`).
/// - `maxDepth`: mappings and sequences nested deeper than this (`[[[[…` or aliases of deep
///   values placed deep) are refused where the level is opened, before anything recurses.
/// - `maxNodes`: values in the document counted as the program would see them, that is with every
///   alias expanded. The "billion laughs" pattern (nine anchors of ten aliases each, 600 bytes of
///   text) stands for 10⁹ values; it is refused at the alias that crosses the bound, in
///   microseconds, because the size of each anchored value is known when it is defined.
public struct YAMLLimits: Sendable, Equatable {
    public var maxBytes: Int
    public var maxDepth: Int
    public var maxNodes: Int

    public init(maxBytes: Int, maxDepth: Int, maxNodes: Int) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    /// 1 MiB, 64 levels, 100,000 values: the limits of every configuration and workflow file
    /// (documented in docs/configuration.md and docs/workflows.md).
    public static let standard = YAMLLimits(maxBytes: 1 << 20, maxDepth: 64, maxNodes: 100_000)

}
