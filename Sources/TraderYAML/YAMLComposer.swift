internal import CYaml
import TraderCore

/// Builds a `YAMLNode` tree from libyaml's event stream, within `YAMLLimits`.
///
/// Why not `Yams.compose`: its composer recurses once per nesting level (100,000 `[` overflow the
/// stack), and it checks mapping keys for duplicates by hashing whole nodes, so one alias of a
/// "billion laughs" value used as a key hashes 10⁹ nodes. Here the tree is built with an explicit
/// stack of open collections: depth is checked when a level opens, and each anchored value
/// remembers how many values and text bytes it stands for, so an alias is refused before it is
/// counted past the limit. The anchored value itself is shared, not copied (`YAMLNode` is a value
/// with copy-on-write arrays); the limits bound what later readers of the tree may expand.
///
/// libyaml is the scanner and parser Yams vendors (its `CYaml` module); only its event API is used.
struct YAMLComposer {
    let file: String
    let limits: YAMLLimits

    /// A finished value and what it costs where it is used: values with aliases expanded, bytes of
    /// scalar text with aliases expanded, and collection levels (0 for a scalar).
    struct Built {
        var node: YAMLNode
        var size: Int
        var bytes: Int
        var height: Int
        /// The scalar as written, for use as a mapping key (nil for collections).
        var keyText: String?
    }

    /// A mapping or sequence whose end has not been read yet.
    struct Frame {
        let location: YAMLLocation
        let anchor: String?
        let isMapping: Bool
        var items: [YAMLNode] = []
        var pairs: [(key: String, keyLocation: YAMLLocation, value: YAMLNode)] = []
        var pendingKey: (text: String, location: YAMLLocation)?
        var seen: Set<String> = []
        var size = 1
        var bytes = 0
        var height = 1
    }

    private var stack: [Frame] = []
    private var anchors: [String: Built] = [:]
    private var root: YAMLNode?
    private var documents = 0
    /// Values and scalar bytes of the whole document so far, aliases expanded.
    private var totalNodes = 0
    private var totalBytes = 0

    init(file: String, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
    }

    /// The document in `text`, or nil when it holds none (empty, or only comments).
    static func compose(_ text: String, file: String, limits: YAMLLimits) throws(YAMLError) -> YAMLNode? {
        var text = text
        let result = text.withUTF8 { bytes -> Result<YAMLNode?, YAMLError> in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return .success(nil) }
            var composer = YAMLComposer(file: file, limits: limits)
            return Result { () throws(YAMLError) in try composer.run(base, bytes.count) }
        }
        return try result.get()
    }

    private mutating func run(_ input: UnsafePointer<UInt8>, _ count: Int) throws(YAMLError) -> YAMLNode? {
        // libyaml keeps a pointer to the parser inside the parser: it must not move.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        event.initialize(to: yaml_event_t())
        defer {
            parser.deallocate()
            event.deallocate()
        }
        guard yaml_parser_initialize(parser) == 1 else { throw YAMLError(file: file, line: 1, column: 1, message: "out of memory reading YAML") }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input, count)
        while true {
            guard yaml_parser_parse(parser, event) == 1 else { throw syntaxError(parser.pointee, input, count) }
            defer { yaml_event_delete(event) }
            if try !handle(event.pointee) { return root }
        }
    }

    /// Takes one event; false at the end of the stream.
    private mutating func handle(_ event: yaml_event_t) throws(YAMLError) -> Bool {
        let at = location(event.start_mark)
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return false
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 { throw at.error("invalid YAML: expected a single document in the stream but found another document") }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = s.length == 0 ? "" : String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            try count(nodes: 1, bytes: s.length, at: at)
            let node = YAMLNode(kind: .scalar(YAMLNode.scalarValue(text, plain: s.style == YAML_PLAIN_SCALAR_STYLE)), location: at)
            try add(Built(node: node, size: 1, bytes: s.length, height: 0, keyText: text), anchor: Self.name(s.anchor), at: at)
        case YAML_ALIAS_EVENT:
            guard let name = Self.name(event.data.alias.anchor), let built = anchors[name] else {
                throw at.error("invalid YAML: found undefined alias")
            }
            guard stack.count + built.height <= limits.maxDepth else {
                throw at.error("alias *\(DisplayText.quote(name)) nests values deeper than \(limits.maxDepth) levels (the limit of a YAML file)")
            }
            try count(nodes: built.size, bytes: built.bytes, at: at)
            try add(built, anchor: nil, at: at)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if let top = stack.last, top.isMapping, top.pendingKey == nil { throw at.error("keys must be plain text") }
            guard stack.count < limits.maxDepth else { throw at.error(depthMessage) }
            try count(nodes: 1, bytes: 0, at: at)
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = Self.name(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
            stack.append(Frame(location: at, anchor: anchor, isMapping: isMapping))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let kind: YAMLNode.Kind = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
            let built = Built(node: YAMLNode(kind: kind, location: frame.location), size: frame.size, bytes: frame.bytes, height: frame.height, keyText: nil)
            try add(built, anchor: frame.anchor, at: frame.location)
        default:
            break   // stream start, document end
        }
        return true
    }

    /// Counts values and text the document now stands for; throws past the limits.
    private mutating func count(nodes: Int, bytes: Int, at: YAMLLocation) throws(YAMLError) {
        totalNodes += nodes
        totalBytes += bytes
        if totalNodes > limits.maxNodes {
            throw at.error("more than \(limits.maxNodes) values with aliases expanded (the limit of a YAML file)")
        }
        if totalBytes > limits.maxBytes {
            throw at.error("more than \(ByteCountText.format(limits.maxBytes)) of text with aliases expanded (the limit of a YAML file)")
        }
    }

    /// Puts a finished value into the open collection (as a key or a value), or makes it the root.
    private mutating func add(_ built: Built, anchor: String?, at: YAMLLocation) throws(YAMLError) {
        if let anchor { anchors[anchor] = built }
        guard var frame = stack.popLast() else {
            root = built.node
            return
        }
        frame.size += built.size
        frame.bytes += built.bytes
        frame.height = max(frame.height, built.height + 1)
        if !frame.isMapping {
            frame.items.append(built.node)
        } else if let key = frame.pendingKey {
            frame.pairs.append((key.text, key.location, built.node))
            frame.pendingKey = nil
        } else {
            guard let text = built.keyText else { throw at.error("keys must be plain text") }
            guard frame.seen.insert(text).inserted else { throw at.error("'\(DisplayText.quote(text))' is given twice") }
            frame.pendingKey = (text, at)
        }
        stack.append(frame)
    }

    private var depthMessage: String { "values nested deeper than \(limits.maxDepth) levels (the limit of a YAML file)" }

    private func location(_ mark: yaml_mark_t) -> YAMLLocation {
        YAMLLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: $0) }
    }

    /// libyaml's error as `FILE:LINE:COLUMN: invalid YAML: …`.
    private func syntaxError(_ parser: yaml_parser_t, _ input: UnsafePointer<UInt8>, _ count: Int) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(file: file, line: 1, column: 1, message: "out of memory reading YAML")
        case YAML_READER_ERROR:
            // The reader reports a byte offset (bad UTF-8, control characters): find its line.
            let offset = min(Int(parser.problem_offset), count)
            var line = 1, lineStart = 0
            for i in 0..<offset where input[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            let column = String(decoding: UnsafeBufferPointer(start: input + lineStart, count: offset - lineStart), as: UTF8.self).unicodeScalars.count + 1
            return YAMLError(file: file, line: line, column: column, message: "unreadable YAML: \(problem)")
        default:
            let mark = location(parser.problem_mark)
            // libyaml's own bound (1000 levels, counting the flow levels its scanner has read
            // ahead) can fire before the composer sees level 65: it means the same thing.
            if problem.hasPrefix("Maximum nesting level") { return mark.error(depthMessage) }
            let context = parser.context.map { String(cString: $0) + " " } ?? ""
            return mark.error("invalid YAML: \(context)\(problem)")
        }
    }
}
